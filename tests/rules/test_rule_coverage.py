"""Rules that know what they do not know: periods no source covers are unknown, never quiet, zero or met."""

from __future__ import annotations

from datetime import date, timedelta

import polars as pl
from rule_builders import DAY0, at, daily_attacks, one_condition_rule

from reassure.monitoring.indicators.coverage import SourceCoverage
from reassure.monitoring.indicators.frame import build_incident_frame
from reassure.rules import evaluate_rule, load_bundled_rules, rule_by_id


def _violations(days: list[int], source: str = "monitoring mission") -> pl.DataFrame:
    return build_incident_frame([{"incident_id": f"V{d}", "kind": "ceasefire_violation", "start": at(d),
                                  "sources": [source]} for d in days])


def test_exit_condition_over_uncovered_weeks_is_unknown_not_met() -> None:
    """The violations source stops after two weeks; air attacks go on for 20 weeks with no violation in them.
    "Fewer than 5 violations a week for 12 weeks" must be unknown, not met on weeks nobody watched."""
    attacks = daily_attacks([1] * 140, sources=["air force"])
    frame = pl.concat([attacks, _violations([0, 3, 9])])
    rule = one_condition_rule("exit_condition", indicator="violations", period="week", comparator="<", threshold=5,
                              consecutive=12)
    evaluation = evaluate_rule(rule, frame, ceasefire=DAY0)
    condition = evaluation.conditions[0]
    assert evaluation.state == "unknown" and not evaluation.met
    assert condition.state == "unknown" and condition.value is None
    assert condition.periods_uncovered == 12 and condition.periods_partial == 0  # the last 12 of 20 weeks: none
    assert [c.source for c in condition.coverage] == ["monitoring mission"]
    assert condition.coverage[0].last == (at(9)).date()
    assert "covered by no source" in (condition.note or "") and "monitoring mission" in (condition.note or "")
    assert "UNKNOWN" in evaluation.summary
    # Every source's days are in the output, air force included.
    assert {"air force", "monitoring mission"} <= {c.source for c in evaluation.coverage}


def test_the_same_condition_is_met_when_the_weeks_are_covered() -> None:
    attacks = daily_attacks([1] * 140, sources=["air force"])
    frame = pl.concat([attacks, _violations([0, 3, 9, 139])])  # the mission reports to the end: quiet weeks
    rule = one_condition_rule("exit_condition", indicator="violations", period="week", comparator="<", threshold=5,
                              consecutive=12)
    evaluation = evaluate_rule(rule, frame, ceasefire=DAY0)
    assert evaluation.state == "met" and evaluation.met
    assert evaluation.conditions[0].periods_uncovered == 0


def test_declared_coverage_counts_like_data() -> None:
    attacks = daily_attacks([1] * 140, sources=["air force"])
    frame = pl.concat([attacks, _violations([0])])
    declared = [SourceCoverage(source="monitoring mission", kind="ceasefire_violation", first=DAY0,
                               last=DAY0 + timedelta(days=139), declared=True),
                SourceCoverage(source="air force", kind="air_attack", first=DAY0, last=DAY0 + timedelta(days=139))]
    rule = one_condition_rule("exit_condition", indicator="violations", period="week", comparator="<", threshold=5,
                              consecutive=12)
    assert evaluate_rule(rule, frame, coverage=declared, ceasefire=DAY0).state == "met"


def test_a_trigger_met_on_known_periods_stays_met_beside_unknown_ones() -> None:
    """Three big attacks within the covered days are enough for ">= 3 in 30 days", whatever the rest held."""
    launched = [0] * 20 + [150, 0, 150, 0, 150]
    rule = one_condition_rule("trigger", indicator="attacks_over_threshold", params={"threshold": 100}, window=30,
                              aggregate="sum", comparator=">=", threshold=3)
    evaluation = evaluate_rule(rule, daily_attacks(launched))
    assert evaluation.state == "met" and evaluation.conditions[0].at_least == 3


def test_one_unknown_condition_makes_an_all_rule_unknown_and_a_false_one_decides() -> None:
    base = {"id": "r", "name": "r", "kind": "exit_condition", "description": "d", "action": "a"}
    quiet = {"id": "quiet", "indicator": "launched", "comparator": "<", "threshold": 10}
    calm = {"id": "calm", "indicator": "violations", "period": "day", "comparator": "<", "threshold": 1}
    loud = {"id": "loud", "indicator": "launched", "comparator": ">", "threshold": 10}
    from reassure.rules import Rule

    frame = daily_attacks([5, 5])  # no source reports violations
    assert evaluate_rule(Rule.model_validate({**base, "conditions": [quiet, calm]}), frame).state == "unknown"
    assert evaluate_rule(Rule.model_validate({**base, "conditions": [loud, calm]}), frame).state == "not_met"
    assert evaluate_rule(Rule.model_validate({**base, "logic": "any", "conditions": [quiet, calm]}),
                         frame).state == "met"


def test_bundled_exit_condition_is_unknown_when_violation_data_stops(tmp_path: object) -> None:
    """The demo's fault in small: violation reports end long before the air-attack data."""
    rule = rule_by_id(load_bundled_rules(), "exit-quiet-skies")
    attacks = daily_attacks([1] * 200, sources=["air force"])
    frame = pl.concat([attacks, _violations([0, 1, 2])])
    evaluation = evaluate_rule(rule, frame, date(2025, 1, 6) + timedelta(days=199))
    few = next(c for c in evaluation.conditions if c.key == "few-violations")
    assert few.state == "unknown" and evaluation.state != "met"

"""Violations count only from the scenario's ceasefire date on, by UCDP event type when asked; a rule over violations
without a ceasefire date says so instead of counting everything."""

from __future__ import annotations

from datetime import timedelta

import polars as pl
import pytest
from tests.rules.rule_builders import DAY0, at

from reassure.monitoring.indicators.frame import build_incident_frame
from reassure.monitoring.indicators.series import NO_CEASEFIRE, violations_series
from reassure.rules import evaluate_rule
from reassure.rules.evaluate import backtest
from reassure.rules.model import Rule

CEASEFIRE = DAY0 + timedelta(days=14)  # a Monday: weeks 0 and 1 before it, weeks 2-5 after


def frame() -> pl.DataFrame:
    """Seven violations a week before the ceasefire, a state-based and a non-state one after it, and attacks to day
    41, so that the source covers six whole weeks (a source covers its first to its last day: docs/adr/0018)."""
    rows = [{"kind": "ceasefire_violation", "start": at(day), "event_type": "state_based"} for day in range(14)]
    rows += [{"kind": "ceasefire_violation", "start": at(16), "event_type": "state_based"},
             {"kind": "ceasefire_violation", "start": at(30), "event_type": "non_state"}]
    rows += [{"start": at(day), "category": "drone", "launched": 5} for day in [*range(0, 42, 3), 41]]
    return build_incident_frame(rows)


def few_violations(**params: object) -> Rule:
    return Rule.model_validate({
        "id": "few", "name": "few", "kind": "exit_condition", "description": "d", "action": "a",
        "conditions": [{"id": "few-violations", "indicator": "violations", "params": params, "period": "week",
                        "comparator": "<", "threshold": 2, "consecutive": 4}]})


def test_only_violations_from_the_ceasefire_on_count() -> None:
    as_of = DAY0 + timedelta(days=41)
    evaluation = evaluate_rule(few_violations(), frame(), as_of, ceasefire=CEASEFIRE)
    (result,) = evaluation.conditions
    assert evaluation.met and result.streak == 4  # the 14 violations before it are not violations of it
    assert [v.value for v in result.values] == [1, 0, 1, 0]
    assert all(v.period_start >= CEASEFIRE for v in result.values)
    earlier = violations_series(frame(), "1w", DAY0, end=as_of)
    later = violations_series(frame(), "1w", CEASEFIRE, end=as_of)
    assert earlier is not None and later is not None
    assert earlier["value"].to_list() == [7, 7, 1, 0, 1, 0]  # with an earlier ceasefire, the first weeks violate it
    assert later["value"].to_list() == [1, 0, 1, 0]


def test_without_a_ceasefire_date_the_rule_says_so_and_is_unknown() -> None:
    evaluation = evaluate_rule(few_violations(), frame(), DAY0 + timedelta(days=41))
    (result,) = evaluation.conditions
    assert not evaluation.met and evaluation.state == "unknown" and result.value is None and result.values == []
    assert result.note == f"unknown: {NO_CEASEFIRE}" and "no ceasefire date" in result.note
    timeline = backtest(few_violations(), frame())
    assert timeline.spans == [] and not timeline.frame["met"].any()


def test_a_week_the_ceasefire_falls_in_is_not_counted_as_a_whole_one() -> None:
    series = violations_series(frame(), "1w", CEASEFIRE + timedelta(days=2))
    assert series is not None
    assert series["period_start"].min().date() == CEASEFIRE + timedelta(days=7)  # the next whole week
    assert violations_series(frame(), "1w", None) is None


@pytest.mark.parametrize(("types", "values"), [("state_based", [1, 0, 0, 0]), (["non_state"], [0, 0, 1, 0]),
                                               (["state_based", "non_state"], [1, 0, 1, 0])])
def test_violations_by_ucdp_event_type(types: object, values: list[int]) -> None:
    evaluation = evaluate_rule(few_violations(event_type=types), frame(), DAY0 + timedelta(days=41),
                               ceasefire=CEASEFIRE)
    assert [v.value for v in evaluation.conditions[0].values] == values


def test_an_unknown_event_type_is_refused_when_the_rule_is_read() -> None:
    with pytest.raises(ValueError, match="event_type"):
        few_violations(event_type="terrorism")

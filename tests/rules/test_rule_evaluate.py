"""Rule evaluation: table-driven condition cases, evidence, grade exclusion, as-of handling and backtests."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import polars as pl
import pytest
from rule_builders import DAY0, at, daily_attacks, one_condition_rule

from reassure.monitoring.indicators.frame import build_incident_frame
from reassure.rules import Rule, backtest, evaluate_rule, evaluate_rules, evaluations_table

D = {"period": "day"}


def last_day(values: list[Any]) -> date:
    return DAY0 + timedelta(days=len(values) - 1)


CASES = [
    # (id, launched per day (0 = no attack), condition, met, streak, value)
    (
        "below-3-days",
        [5, 5, 5],
        {"indicator": "launched", "comparator": "<", "threshold": 10, "consecutive": 3},
        True,
        3,
        5.0,
    ),
    (
        "streak-broken",
        [5, 50, 5],
        {"indicator": "launched", "comparator": "<", "threshold": 10, "consecutive": 2},
        False,
        1,
        5.0,
    ),
    (
        "no-attack-day-is-zero",
        [5, 0, 5],
        {"indicator": "launched", "comparator": "<", "threshold": 10, "consecutive": 3},
        True,
        3,
        5.0,
    ),
    (
        "sum-window",
        [5, 5, 5, 5],
        {"indicator": "launched", "window": 3, "aggregate": "sum", "comparator": ">=", "threshold": 15},
        True,
        2,
        15.0,
    ),
    (
        "mean-window",
        [2, 4, 6],
        {"indicator": "launched", "window": 2, "aggregate": "mean", "comparator": ">", "threshold": 4.5},
        True,
        1,
        5.0,
    ),
    (
        "max-window",
        [1, 9, 2],
        {"indicator": "launched", "window": 3, "aggregate": "max", "comparator": ">=", "threshold": 9},
        True,
        2,  # day 2 already holds: its window's maximum is at least 9 whatever the days before the data held
        9.0,
    ),
    (
        "min-window",
        [3, 9, 2],
        {"indicator": "launched", "window": 3, "aggregate": "min", "comparator": ">", "threshold": 2},
        False,
        0,
        2.0,
    ),
    (
        "count-window",
        [1, 3, 0, 4],
        {"indicator": "launched", "window": 3, "aggregate": "count", "comparator": ">=", "threshold": 2},
        True,
        3,  # day 2 already holds: two days above zero, whatever the day before the data held
        2.0,
    ),
    (
        "window-longer-than-history",
        [5, 5, 5],
        {"indicator": "launched", "window": 5, "aggregate": "sum", "comparator": "<", "threshold": 100},
        False,
        0,
        None,
    ),
    (
        "quiet-after-big-attack",
        [5, 20, 5, 5, 5],
        {
            "indicator": "attacks_over_threshold",
            "params": {"threshold": 10},
            "comparator": "==",
            "threshold": 0,
            "consecutive": 3,
        },
        True,
        3,
        0.0,
    ),
    (
        "big-attack-too-recent",
        [5, 5, 20, 5],
        {
            "indicator": "attacks_over_threshold",
            "params": {"threshold": 10},
            "comparator": "==",
            "threshold": 0,
            "consecutive": 3,
        },
        False,
        1,
        0.0,
    ),
    (
        "hysteresis-holds",
        [50, 30, 30],
        {"indicator": "launched", "comparator": ">", "threshold": 40, "hysteresis": {"release": 20}},
        True,
        0,
        30.0,
    ),
    (
        "no-hysteresis-drops",
        [50, 30, 30],
        {"indicator": "launched", "comparator": ">", "threshold": 40},
        False,
        0,
        30.0,
    ),
    (
        "hysteresis-released",
        [50, 30, 10],
        {"indicator": "launched", "comparator": ">", "threshold": 40, "hysteresis": {"release": 20}},
        False,
        0,
        10.0,
    ),
    (
        "release-after-2-periods",
        [50, 10],
        {
            "indicator": "launched",
            "comparator": ">",
            "threshold": 40,
            "hysteresis": {"release": 20, "periods": 2},
        },
        True,
        0,
        10.0,
    ),
]


@pytest.mark.parametrize(
    ("values", "condition", "met", "streak", "value"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_condition_cases(
    values: list[int], condition: dict[str, Any], met: bool, streak: int, value: float | None
) -> None:
    rule = one_condition_rule(**D, **condition)
    evaluation = evaluate_rule(rule, daily_attacks(values), last_day(values))
    [result] = evaluation.conditions
    assert (evaluation.met, result.met, result.streak, result.value) == (met, met, streak, value)
    assert evaluation.to_dict()["met"] is met


def test_evidence_lists_values_incidents_sources_and_grades() -> None:
    values = [5, 120, 5, 150]
    df = daily_attacks(
        values, sources=["Ukrainian Air Force (kpszsu)", "Media report"], reliability="B", credibility=2
    )
    rule = one_condition_rule(
        indicator="attacks_over_threshold",
        params={"threshold": 100},
        window=4,
        aggregate="sum",
        comparator=">=",
        threshold=2,
    )
    evaluation = evaluate_rule(rule, df, last_day(values))
    [c] = evaluation.conditions
    assert evaluation.met and c.value == 2
    assert c.incident_ids == ["A0001", "A0003"]
    assert c.sources == {"Ukrainian Air Force (kpszsu)": 2, "Media report": 2}
    assert c.grades == {"B2": 2}
    assert [v.value for v in c.values] == [0, 1, 0, 1]
    assert c.incidents_considered == 4
    table = evaluation.table()
    assert table.columns[:3] == ["condition", "test", "last_period"] and table["met"].to_list() == [True]


def test_grade_exclusion_drops_weak_reports_and_counts_them() -> None:
    strong = daily_attacks([150, 0, 0], reliability="B", credibility=2)
    weak = build_incident_frame(
        [
            {
                "incident_id": "W",
                "start": at(1),
                "category": "drone",
                "launched": 300,
                "reliability": "D",
                "credibility": 4,
            }
        ]
    )
    df = pl.concat([strong, weak])
    rule = one_condition_rule(
        indicator="attacks_over_threshold",
        params={"threshold": 100},
        window=3,
        aggregate="sum",
        comparator=">=",
        threshold=2,
    )
    assert evaluate_rule(rule, df, last_day([0, 0, 0]), min_grade=None).met
    graded = evaluate_rule(rule, df, last_day([0, 0, 0]), min_grade="B3")
    assert not graded.met and graded.rows_excluded == 1 and graded.conditions[0].value == 1
    own = Rule.model_validate({**rule.model_dump(), "min_grade": "C3"})
    assert evaluate_rule(own, df, last_day([0, 0, 0])).rows_excluded == 1  # the rule's own grade applies


def test_weekly_condition_uses_only_complete_weeks() -> None:
    values = [10] * 7 + [100] * 3  # second week incomplete on day 9 (a Wednesday)
    rule = one_condition_rule(indicator="launched", period="week", comparator=">", threshold=100)
    evaluation = evaluate_rule(rule, daily_attacks(values), last_day(values))
    assert evaluation.conditions[0].last_period == DAY0 and evaluation.conditions[0].value == 70
    later = evaluate_rule(rule, daily_attacks(values), DAY0 + timedelta(days=13))
    # The data ends on day 9: the second week is covered on 3 of its 7 days, so its 300 is a lower bound, which
    # is enough for "> 100".
    condition = later.conditions[0]
    assert condition.value is None and condition.at_least == 300 and later.met
    assert condition.values[-1].coverage == "partial" and condition.values[-1].covered_days == 3


def test_nested_groups_combine_all_and_any() -> None:
    base = {"id": "g", "name": "g", "kind": "trigger", "description": "d", "action": "a"}
    over = {"indicator": "launched", "comparator": ">", "threshold": 40}
    under = {"indicator": "launched", "comparator": "<", "threshold": 10}
    df = daily_attacks([50])
    any_rule = Rule.model_validate({**base, "logic": "any", "conditions": [under, {"conditions": [over]}]})
    all_rule = Rule.model_validate({**base, "logic": "all", "conditions": [under, {"conditions": [over]}]})
    assert evaluate_rule(any_rule, df, DAY0).met
    assert not evaluate_rule(all_rule, df, DAY0).met


def test_backtest_lists_fired_and_released_dates() -> None:
    values = [5] * 5 + [50] * 3 + [5] * 5
    rule = one_condition_rule(indicator="launched", comparator=">", threshold=40)
    timeline = backtest(rule, daily_attacks(values))
    assert timeline.frame.height == len(values) and not timeline.initially_met
    assert timeline.fired == [DAY0 + timedelta(days=5)]
    assert timeline.released == [DAY0 + timedelta(days=8)]
    assert [(s.start, s.end) for s in timeline.spans] == [
        (DAY0 + timedelta(days=5), DAY0 + timedelta(days=7))
    ]
    assert timeline.events[0].values == {"c": 50.0}
    assert timeline.to_dict(include_periods=True)["periods"][5]["met"] is True
    assert timeline.table()["change"].to_list() == ["fired", "released"]


def test_backtest_with_hysteresis_does_not_flap() -> None:
    values = [5, 50, 35, 45, 35, 45, 10, 5]
    flappy = one_condition_rule(indicator="launched", comparator=">", threshold=40)
    steady = one_condition_rule(
        indicator="launched", comparator=">", threshold=40, hysteresis={"release": 30}
    )
    assert len(backtest(flappy, daily_attacks(values)).fired) == 3
    timeline = backtest(steady, daily_attacks(values))
    assert timeline.fired == [DAY0 + timedelta(days=1)] and timeline.released == [DAY0 + timedelta(days=6)]


def test_backtest_mixes_daily_and_weekly_conditions_without_look_ahead() -> None:
    values = [5] * 21
    rule = Rule.model_validate(
        {
            "id": "mix",
            "name": "mix",
            "kind": "exit_condition",
            "description": "d",
            "action": "a",
            "conditions": [
                {
                    "id": "daily",
                    "indicator": "launched",
                    "comparator": "<",
                    "threshold": 10,
                    "consecutive": 3,
                },
                {
                    "id": "weekly",
                    "indicator": "violations",
                    "period": "week",
                    "comparator": "<",
                    "threshold": 1,
                    "consecutive": 2,
                },
            ],
        }
    )
    # The attack source also reports ceasefire violations (one, in the third week): it covers the weekly condition.
    frame = pl.concat([daily_attacks(values), build_incident_frame(
        [{"incident_id": "V0", "kind": "ceasefire_violation", "start": at(20, 1)}])])
    timeline = backtest(rule, frame, step="day", ceasefire=DAY0)
    # Met once two complete weeks exist: at the end of day 13 (the second Sunday).
    assert timeline.fired == [DAY0 + timedelta(days=13)]
    # Before that, one complete week and the unknown week before the data began: unknown, not "not met".
    assert timeline.frame.filter(pl.col("at") == DAY0 + timedelta(days=12))["weekly_met"].to_list() == [None]


def test_evaluate_rules_table() -> None:
    rules = [one_condition_rule(indicator="launched", comparator=">", threshold=t) for t in (1, 100)]
    table = evaluations_table(evaluate_rules(rules, daily_attacks([50, 60])))
    assert table["met"].to_list() == [True, False]
    assert table["action"].to_list() == ["Do something.", ""]


def test_as_of_defaults_to_the_latest_report_even_if_excluded_by_grade() -> None:
    strong = daily_attacks([50, 50], reliability="A", credibility=1)
    late = build_incident_frame(
        [{"start": at(5), "category": "drone", "launched": 1, "reliability": "E", "credibility": 5}]
    )
    rule = one_condition_rule(indicator="launched", comparator=">", threshold=40)
    evaluation = evaluate_rule(rule, pl.concat([strong, late]), min_grade="B2")
    assert evaluation.as_of == DAY0 + timedelta(days=5) and evaluation.rows_excluded == 1
    # The only report of day 5 is excluded by grade: no source kept covers that day, so it is unknown, not zero.
    assert not evaluation.met and evaluation.state == "unknown" and evaluation.conditions[0].value is None
    assert evaluation.conditions[0].periods_uncovered == 1


def test_as_of_before_any_data_is_unknown_with_a_note() -> None:
    rule = one_condition_rule(indicator="launched", comparator="<", threshold=40)
    evaluation = evaluate_rule(rule, daily_attacks([5, 5]), DAY0 - timedelta(days=30))
    assert not evaluation.met and evaluation.state == "unknown"
    assert evaluation.conditions[0].note == "unknown: no complete period before as_of that any source covers"

"""The planning picture service: plan against baseline, what-if cost, opened gaps; bad what-ifs are input errors."""

from __future__ import annotations

import pytest

from reassure.core.errors import InputError
from reassure.planner.analysis.whatif import FlagChange, Withdraw
from reassure.planner.instance import Gap, Plan
from reassure.services.planning import opened_gaps, solve_and_review, whatif_picture
from tests.planner.builders import problem, task, unit


def _problem():  # type: ignore[no-untyped-def]
    return problem(
        [unit("FRA-1", max_tour=3, min_dwell=1), unit("GBR-1", nation="GBR", max_tour=3, min_dwell=1,
                                                      conditions=["us_backstop"])],
        [task("air", demand=1), task("sea", demand=1, capability="fighter_squadron", location="sea")], periods=8)


def test_the_picture_says_what_the_us_backstop_is_worth() -> None:
    picture = solve_and_review(_problem(), marking="PUBLIC", seconds=2, whatif=[FlagChange(flag="us_backstop",
                                                                                       value=False)], samples=200)
    assert picture.marking == "PUBLIC" and picture.whatif is not None and picture.robustness is not None
    assert picture.plan.coverage >= picture.greedy.coverage
    c = picture.whatif.comparison
    assert c.new_coverage < c.base_coverage and c.new_missing > c.base_missing
    assert picture.whatif.opened and sum(o.unit_months for o in picture.whatif.opened) >= c.new_missing - c.base_missing
    assert picture.whatif.problem.flags["us_backstop"] is False
    assert list(picture.worst_gaps) == sorted(picture.worst_gaps, key=lambda g: -(g.missing * len(g.periods)))


def test_no_whatif_and_no_sampling_when_not_asked() -> None:
    picture = solve_and_review(_problem(), marking="REL TO FRA", seconds=1, whatif=None, samples=0)
    assert picture.whatif is None and picture.robustness is None


def test_a_whatif_the_problem_cannot_take_is_an_input_error() -> None:
    p = _problem()
    base = solve_and_review(p, marking="PUBLIC", seconds=1, whatif=None, samples=0).plan
    with pytest.raises(InputError, match="what-if"):
        whatif_picture(p, base, [Withdraw(nation="ZZZ", period=99)], seconds=1)


def _plan(gaps: list[Gap]) -> Plan:
    return Plan(status="feasible", coverage=0.5, bound=1.0, covered_weight=1, demand_weight=2, tours=[], tours_count=0,
                gaps=gaps,
                solve_seconds=0.0)


def test_opened_gaps_are_those_over_periods_the_base_did_not_miss() -> None:
    base = _plan([Gap(task="air", periods=[0, 1], missing=1, reason="a: none left")])
    new = _plan([Gap(task="air", periods=[0, 1], missing=1, reason="a: none left"),
                 Gap(task="air", periods=[5, 6, 7], missing=2, reason="a: units withdrawn"),
                 Gap(task="sea", periods=[3], missing=1, reason="b: conditional on us_backstop")])
    opened = opened_gaps(base, new)
    assert [(o.task, o.unit_months, o.reason) for o in opened] == [
        ("air", 6, "units withdrawn"), ("sea", 1, "conditional on us_backstop")]

"""What-if re-planning: tours under way stay, unchanged future tours are kept, comparisons add up."""

from __future__ import annotations

import pytest

from reassure.core.labels import reason_label
from reassure.planner.analysis.whatif import (
    FlagChange,
    Surge,
    Withdraw,
    apply_changes,
    compare,
    parse_flag,
    parse_surge,
    parse_withdraw,
    replan,
)
from reassure.planner.hard_rules.validate import validate
from reassure.planner.instance import Plan, Problem, Tour
from reassure.planner.solver.solve import solve

from ..builders import problem, task, tour, unit


def _base() -> Problem:
    units = [
        unit("FRA-1", max_tour=3, min_dwell=1),
        unit("FRA-2", max_tour=3, min_dwell=1),
        unit("GBR-1", nation="GBR", max_tour=3, min_dwell=1, conditions=["us_backstop"]),
        unit("POL-1", nation="POL", max_tour=3, min_dwell=1),
    ]
    return problem(units, [task("AIR", demand=2, priority=3)], periods=12)


def _plan() -> tuple[Problem, Plan]:
    p = _base()
    return p, solve(p, time_limit=3, seed=1, workers=1)


def test_parsers() -> None:
    assert parse_withdraw("fra@12") == Withdraw(nation="FRA", period=12)
    assert parse_flag("us_backstop=false") == FlagChange(flag="us_backstop", value=False, period=0)
    assert parse_flag("us_backstop=off@6") == FlagChange(flag="us_backstop", value=False, period=6)
    assert parse_surge("AIR-WEST:12-18:+1") == Surge(task="AIR-WEST", start=12, end=18, extra=1)
    for bad, fn in (("FRA12", parse_withdraw), ("x=maybe", parse_flag), ("T:5-2:+1", parse_surge)):
        with pytest.raises(ValueError):
            fn(bad)


def test_withdrawal_freezes_tours_under_way_cut_at_the_withdrawal() -> None:
    p, base = _plan()
    changed = apply_changes(p, base.tours, [Withdraw(nation="FRA", period=4)])
    fra = [u for u in changed.units if u.nation == "FRA"]
    assert fra and all(u.available_to == 3 for u in fra)
    for t in base.tours:
        if t.start < 4:
            expected = t if not t.unit.startswith("FRA") or t.end < 4 else t.model_copy(update={"end": 3})
            assert expected in changed.frozen
    assert all(t.start < 4 for t in changed.frozen)


def test_replan_keeps_frozen_and_unchanged_tours() -> None:
    p, base = _plan()
    result = replan(p, base, [Surge(task="AIR", start=8, end=9, extra=1)], time_limit=3, workers=1)
    assert validate(result.problem, result.plan).valid
    new = {t.key() for t in result.plan.tours}
    assert all(t.key() in new for t in base.tours if t.start < 8)  # under way: frozen
    # Extra demand only adds work: every earlier tour can stay, so stability keeps them all.
    assert result.comparison.removed == 0 and result.comparison.kept >= len(base.tours) - result.comparison.changed
    assert result.comparison.new_coverage >= 0


def test_flag_off_removes_conditional_unit_from_the_change_on() -> None:
    p, base = _plan()
    result = replan(p, base, [FlagChange(flag="us_backstop", value=False, period=6)], time_limit=3, workers=1)
    assert validate(result.problem, result.plan).valid
    assert all(t.end < 6 for t in result.plan.tours if t.unit == "GBR-1")
    assert result.problem.flags["us_backstop"] is False


def test_flag_off_from_the_start_excludes_by_condition() -> None:
    p, base = _plan()
    result = replan(p, base, [FlagChange(flag="us_backstop", value=False)], time_limit=3, workers=1)
    assert not any(t.unit == "GBR-1" for t in result.plan.tours)
    assert any(reason_label("conditions_flags") in g.reason for g in result.plan.gaps) or not result.plan.gaps


def test_withdrawal_before_availability_drops_units() -> None:
    p, base = _plan()
    changed = apply_changes(p, base.tours, [Withdraw(nation="POL", period=0)])
    assert all(u.nation != "POL" for u in changed.units)
    with pytest.raises(ValueError):
        apply_changes(p, base.tours, [Surge(task="NOPE", start=0, end=1, extra=1)])


def test_compare_counts_kept_changed_added_removed() -> None:
    def plan(tours: list[Tour]) -> Plan:
        return Plan(
            status="feasible",
            tours=tours,
            coverage=0.5,
            covered_weight=1,
            demand_weight=2,
            tours_count=len(tours),
            bound=1.0,
            gaps=[],
            solve_seconds=0.0,
        )

    base = plan([tour("A", "T", 0, 1), tour("B", "T", 2, 3), tour("C", "T", 4, 5)])
    new = plan([tour("A", "T", 0, 1), tour("B", "T", 2, 4), tour("D", "T", 6, 7)])
    c = compare(base, new, 2)
    assert (c.kept, c.changed, c.added, c.removed) == (1, 1, 1, 1)


def test_surge_respects_notice_to_move_of_units_not_yet_used() -> None:
    # The base plan needs one unit; a surge at month 4 needs a second, which has two months' notice: it can
    # start only at month 6, so months 4–5 of the surge stay short and the gap says why.
    p = problem([unit("A"), unit("B", notice=2)], [task("T", 1)], periods=10)
    base = solve(p, time_limit=2, seed=1, workers=1)
    assert {t.unit for t in base.tours} == {"A"}
    what = replan(p, base, [Surge(task="T", start=4, end=9, extra=1)], time_limit=2, seed=1, workers=1)
    assert what.problem.horizon.decision == 4
    assert validate(what.problem, what.plan).valid
    b_starts = [t.start for t in what.plan.tours if t.unit == "B"]
    assert b_starts and min(b_starts) == 6
    early = next(g for g in what.plan.gaps if 4 in g.periods)
    assert reason_label("notice_to_move") in early.reason


def test_replan_keeps_the_readiness_of_units_already_used() -> None:
    p = problem([unit("A", notice=3, max_tour=2, min_dwell=1)], [task("T", 1)], periods=10)
    base = solve(p, time_limit=2, seed=1, workers=1)
    changed = apply_changes(p, base.tours, [Surge(task="T", start=5, end=9, extra=1)])
    a = next(u for u in changed.units if u.id == "A")
    assert changed.horizon.decision == 5 and a.notice == 0  # ready since month 3, before the change

"""One feasible and one infeasible case per hard rule, solved end to end and checked by the validator."""

from __future__ import annotations

from reassure.core.labels import reason_label, rule_label
from reassure.planner.hard_rules.validate import validate
from reassure.planner.instance import Plan, Problem
from reassure.planner.solver.solve import solve

from ..builders import problem, task, tour, unit, used


def _solve(p: Problem) -> Plan:
    plan = solve(p, time_limit=2, seed=1, workers=1)
    report = validate(p, plan)
    assert report.valid, report.violations
    return plan


def test_capability_match_feasible_uses_matching_unit() -> None:
    plan = _solve(problem([unit("A")], [task("T")]))
    assert used(plan, "A") and plan.coverage == 1.0


def test_capability_match_infeasible_leaves_gap_and_never_uses_unit() -> None:
    plan = _solve(problem([unit("A", capability="frigate")], [task("T")]))
    assert not used(plan, "A") and plan.coverage == 0.0
    assert plan.gaps[0].periods == list(range(6)) and "no unit in the problem is a" in plan.gaps[0].reason


def test_availability_window_limits_tours() -> None:
    plan = _solve(problem([unit("A", available_from=2, available_to=3)], [task("T")]))
    assert [(t.start, t.end) for t in plan.tours] == [(2, 3)]
    assert {p for g in plan.gaps for p in g.periods} == {0, 1, 4, 5}
    assert reason_label("availability_window") in plan.gaps[0].reason


def test_availability_window_outside_horizon_gets_nothing() -> None:
    plan = _solve(problem([unit("A", available_from=10, available_to=20)], [task("T")]))
    assert not used(plan, "A")


def test_max_tour_with_dwell_limits_coverage() -> None:
    # Tours of at most 2 with 1 period of dwell: the best is on-on-off-on-on-off.
    plan = _solve(problem([unit("A", max_tour=2, min_dwell=1)], [task("T")]))
    assert all(t.end - t.start + 1 <= 2 for t in plan.tours)
    assert plan.covered_weight == 4 and plan.status == "optimal"


def test_max_tour_with_zero_dwell_allows_back_to_back_tours() -> None:
    plan = _solve(problem([unit("A", max_tour=2, min_dwell=0)], [task("T")]))
    assert plan.coverage == 1.0 and len(plan.tours) == 3


def test_min_dwell_feasible_two_tours() -> None:
    plan = _solve(problem([unit("A", max_tour=2, min_dwell=2)], [task("T")]))
    tours = sorted(plan.tours, key=lambda t: t.start)
    assert len(tours) == 2 and tours[1].start - tours[0].end - 1 >= 2
    assert plan.covered_weight == 4


def test_min_dwell_infeasible_leaves_gap_explained() -> None:
    plan = _solve(problem([unit("A", max_tour=2, min_dwell=4)], [task("T")]))
    assert plan.covered_weight == 2
    assert any(reason_label("min_dwell") in g.reason for g in plan.gaps)


def test_location_allowed() -> None:
    ok = _solve(problem([unit("A", locations=["air"])], [task("T", location="air")]))
    bad = _solve(problem([unit("A", locations=["adjacent"])], [task("T", location="air")]))
    assert used(ok, "A") and not used(bad, "A")
    assert reason_label("location_allowed") in bad.gaps[0].reason


def test_task_excluded_by_caveat() -> None:
    ok = _solve(problem([unit("A", exclude_tasks=["OTHER"])], [task("T")]))
    bad = _solve(problem([unit("A", exclude_tasks=["T"])], [task("T")]))
    assert used(ok, "A") and not used(bad, "A")
    assert reason_label("task_excluded") in bad.gaps[0].reason


def test_conditions_flags() -> None:
    units = [unit("A", conditions=["us_backstop"])]
    ok = _solve(problem(units, [task("T")], flags={"us_backstop": True}))
    bad = _solve(problem(units, [task("T")], flags={"us_backstop": False}))
    missing = _solve(problem(units, [task("T")], flags={}))
    assert used(ok, "A") and not used(bad, "A") and not used(missing, "A")
    assert reason_label("conditions_flags") in bad.gaps[0].reason


def test_legal_prerequisite_restricts_start() -> None:
    legal = [{"nation": "FRA", "host": "UKR", "kind": "SOFA", "in_force_from": 3}]
    plan = _solve(problem([unit("A")], [task("T", requires_legal=["SOFA"])], legal=legal))
    assert plan.tours and min(t.start for t in plan.tours) >= 3
    assert reason_label("legal_prerequisite") in plan.gaps[0].reason


def test_legal_prerequisite_missing_or_other_host_blocks_unit() -> None:
    legal = [{"nation": "FRA", "host": "POL", "kind": "SOFA", "in_force_from": 0}]
    plan = _solve(problem([unit("A")], [task("T", requires_legal=["SOFA"])], legal=legal))
    assert not used(plan, "A") and reason_label("legal_prerequisite") in plan.gaps[0].reason


def test_nation_allowed() -> None:
    ok = _solve(problem([unit("A")], [task("T", nations=["FRA"])]))
    bad = _solve(problem([unit("A")], [task("T", nations=["GBR"])]))
    assert used(ok, "A") and not used(bad, "A")
    assert reason_label("nation_allowed") in bad.gaps[0].reason


def test_personnel_cap_allows_one_of_two_units_at_a_time() -> None:
    nations = [{"code": "FRA", "max_personnel": 400}]
    units = [unit("A", personnel=300), unit("B", personnel=300)]
    plan = _solve(problem(units, [task("T1"), task("T2")], nations=nations))
    assert plan.covered_weight == 6  # one unit per period, never both
    assert any(reason_label("personnel_cap") in g.reason for g in plan.gaps)


def test_personnel_cap_lets_both_units_serve_when_high_enough() -> None:
    nations = [{"code": "FRA", "max_personnel": 600}]
    units = [unit("A", personnel=300), unit("B", personnel=300)]
    plan = _solve(problem(units, [task("T1"), task("T2")], nations=nations))
    assert plan.coverage == 1.0


def test_frozen_tours_are_kept() -> None:
    frozen = [tour("A", "T2", 0, 1)]
    p = problem([unit("A"), unit("B")], [task("T1", priority=5), task("T2", priority=1)], frozen=frozen)
    plan = _solve(p)
    assert frozen[0] in plan.tours


def test_frozen_tour_breaking_a_rule_makes_the_problem_infeasible() -> None:
    frozen = [tour("A", "T", 0, 4)]
    p = problem([unit("A", max_tour=2)], [task("T")], frozen=frozen)
    plan = solve(p, time_limit=1, workers=1)
    assert plan.status == "infeasible" and plan.tours == []
    assert rule_label("max_tour") in plan.gaps[0].reason


def test_unit_overlap_one_unit_one_task_at_a_time() -> None:
    plan = _solve(problem([unit("A")], [task("T1"), task("T2")]))
    assert plan.covered_weight == 6
    periods = [p for t in plan.tours for p in t.periods()]
    assert len(periods) == len(set(periods))

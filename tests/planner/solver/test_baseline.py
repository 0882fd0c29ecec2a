"""Greedy baseline: the staff officer's spreadsheet."""

from __future__ import annotations

from reassure.planner.hard_rules.validate import validate
from reassure.planner.solver.baseline import greedy_plan

from ..builders import problem, task, tour, unit


def test_greedy_serves_highest_priority_first_with_longest_available_unit() -> None:
    units = [unit("SHORT", available_to=3, max_tour=6), unit("LONG", available_to=11, max_tour=6)]
    p = problem(units, [task("LOW", priority=1), task("HIGH", priority=5)], periods=6)
    plan = greedy_plan(p)
    assert validate(p, plan).valid
    first = {(t.unit, t.task) for t in plan.tours if t.start == 0}
    assert ("LONG", "HIGH") in first and ("SHORT", "LOW") in first


def test_greedy_deploys_full_tours_and_respects_dwell() -> None:
    p = problem([unit("A", max_tour=3, min_dwell=2)], [task("T")], periods=10)
    plan = greedy_plan(p)
    assert [(t.start, t.end) for t in plan.tours] == [(0, 2), (5, 7)]
    assert plan.status == "feasible" and plan.bound >= plan.coverage


def test_greedy_keeps_frozen_tours() -> None:
    p = problem([unit("A"), unit("B")], [task("T")], frozen=[tour("B", "T", 2, 3)])
    assert tour("B", "T", 2, 3) in greedy_plan(p).tours

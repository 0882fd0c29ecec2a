"""Bounds drop the cells the coupling rules leave unmanned whatever the plan (hard_rules/compat.reachable_demand)."""

from __future__ import annotations

from reassure.planner.hard_rules.compat import reachable_demand
from reassure.planner.index import Instance
from reassure.planner.solver.baseline import cell_bound
from reassure.planner.solver.solve import solve

from ..builders import problem, task, unit


def test_a_lead_with_no_unit_that_may_serve_leaves_the_task_unreachable_and_the_bound_follows() -> None:
    # France could serve all along, but the lead (Britain) has a unit only from period 2: periods 0-1 are worth 0.
    units = [unit("F1"), unit("F2"), unit("G1", nation="GBR", available_from=2)]
    p = problem(units, [task("T", 2, lead="GBR")], periods=4)
    inst = Instance(p)
    assert reachable_demand(inst) == [[0, 0, 2, 2]]
    assert cell_bound(inst) == 4  # not 8: the per-cell relaxation no longer counts periods 0-1
    plan = solve(p, time_limit=2, seed=1, workers=1)
    assert plan.coverage <= plan.bound + 1e-9 and plan.bound <= 0.5 + 1e-9


def test_the_lead_present_keeps_the_demand() -> None:
    p = problem([unit("F1"), unit("G1", nation="GBR")], [task("T", 2, lead="GBR")], periods=3)
    assert reachable_demand(Instance(p)) == [[2, 2, 2]]


def test_min_nations_needs_that_many_nations_able_to_serve() -> None:
    units = [unit("F1"), unit("F2"), unit("G1", nation="GBR", available_to=1)]
    p = problem(units, [task("T", 2, component="multinational", min_nations=2)], periods=4)
    assert reachable_demand(Instance(p)) == [[2, 2, 0, 0]]


def test_a_headquarters_without_a_component_that_can_be_manned_is_worth_nothing() -> None:
    units = [unit("H", capability="hq_staff"), unit("C", available_from=2)]
    tasks = [task("HQ", 1, capability="hq_staff", location="inside"), task("C", 1, parent="HQ", location="air")]
    p = problem(units, tasks, periods=4)
    assert reachable_demand(Instance(p)) == [[0, 0, 1, 1], [0, 0, 1, 1]]  # no unit may serve C before 2


def test_frozen_tours_keep_the_cells_they_cover() -> None:
    # A frozen tour on a cell the lead rule leaves unreachable still counts: the plan keeps it, so must the bound.
    units = [unit("F1"), unit("G1", nation="GBR", available_from=2)]
    p = problem(units, [task("T", 1, lead="GBR")], periods=4,
                frozen=[{"unit": "F1", "task": "T", "start": 0, "end": 0}])
    assert reachable_demand(Instance(p)) == [[1, 0, 1, 1]]

"""The capacity bound: how many periods units can serve in any interval bounds each part's coverage."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from reassure.planner.generate import Size, generate
from reassure.planner.hard_rules.score import score
from reassure.planner.index import Instance
from reassure.planner.solver.baseline import greedy_tours
from reassure.planner.solver.cpsat.capacity import capacity_bounds
from reassure.planner.solver.decompose import parts, sub_instance, tours_of
from reassure.planner.solver.improve import improve
from reassure.planner.solver.solve import solve

from ...builders import problem, task, unit
from ...rule_keys import RULE_KEYS, with_rule_keys

TINY = Size(nations=3, units=6, tasks=3, periods=8)
SMALL = Size(nations=4, units=14, tasks=4, periods=20)


def test_capacity_bound_counts_tours_and_dwell() -> None:
    # One unit serves 0-2 and 6-8 of nine periods at best; two staggered units serve all nine.
    one = Instance(problem([unit("A", max_tour=3, min_dwell=3)], [task("T")], periods=9))
    assert capacity_bounds(one, parts(one), seconds=5) == [6.0]
    two_units = [unit("A", max_tour=3, min_dwell=3), unit("B", max_tour=3, min_dwell=3)]
    two = Instance(problem(two_units, [task("T", priority=2)], periods=9))
    assert capacity_bounds(two, parts(two), seconds=5) == [18.0]


@settings(max_examples=10, deadline=None)
@given(seed=st.integers(min_value=0, max_value=10_000), size=st.sampled_from([TINY, SMALL]), keys=RULE_KEYS)
def test_capacity_bound_is_above_every_plan(seed: int, size: Size, keys: int | None) -> None:
    p = with_rule_keys(generate(size, seed=seed), keys)
    inst = Instance(p)
    plist = parts(inst)
    bounds = capacity_bounds(inst, plist, seconds=5)
    tours = improve(inst, greedy_tours(inst), seconds=1)
    for part, bound in zip(plist, bounds, strict=True):
        sub = sub_instance(inst, part)
        assert score(sub, tours_of(part, inst, tours)).covered_weight <= bound + 1e-6
        assert bound <= sub.demand_weight()
    plan = solve(p, time_limit=2, seed=seed, workers=1)
    if plan.status == "optimal":
        assert sum(bounds) >= plan.covered_weight - 1e-6

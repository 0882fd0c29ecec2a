"""Local search and the column-generation bound: plans valid and never worse, bounds above every plan."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from reassure.planner.generate import Size, generate
from reassure.planner.hard_rules.score import score
from reassure.planner.hard_rules.validate import check_tours
from reassure.planner.index import Instance
from reassure.planner.solver.baseline import greedy_tours
from reassure.planner.solver.columns.generation import generate_columns
from reassure.planner.solver.improve import improve
from reassure.planner.solver.solve import solve

from ..builders import problem, task, tour, unit
from ..rule_keys import RULE_KEYS, with_rule_keys

TINY = Size(nations=3, units=6, tasks=3, periods=8)


@settings(max_examples=15, deadline=None)
@given(seed=st.integers(min_value=0, max_value=10_000), keys=RULE_KEYS)
def test_local_search_keeps_plans_valid_and_never_loses_coverage(seed: int, keys: int | None) -> None:
    inst = Instance(with_rule_keys(generate(TINY, seed=seed), keys))
    start = greedy_tours(inst)
    better = improve(inst, start, seconds=2)
    assert check_tours(inst, better) == []
    assert score(inst, better).covered_weight >= score(inst, start).covered_weight


def test_local_search_staggers_rotations() -> None:
    # Greedy sends both units at once and leaves a gap in the dwell; the best response staggers them.
    p = problem([unit("A", max_tour=3, min_dwell=3), unit("B", max_tour=3, min_dwell=3)], [task("T")], periods=9)
    inst = Instance(p)
    start = [tour("A", "T", 0, 2), tour("B", "T", 0, 2)]
    assert score(inst, improve(inst, start, seconds=2)).covered_weight > score(inst, start).covered_weight


def test_local_search_leaves_frozen_units_alone() -> None:
    p = problem([unit("A"), unit("B")], [task("T", demand=2)], periods=4, frozen=[tour("A", "T", 1, 2)])
    inst = Instance(p)
    start = greedy_tours(inst)
    out = improve(inst, start, seconds=2)
    assert tour("A", "T", 1, 2) in out
    assert [t for t in out if t.unit == "A"] == [t for t in start if t.unit == "A"]


@settings(max_examples=10, deadline=None)
@given(seed=st.integers(min_value=0, max_value=10_000), keys=RULE_KEYS)
def test_column_bounds_are_above_every_plan(seed: int, keys: int | None) -> None:
    p = with_rule_keys(generate(TINY, seed=seed), keys)
    inst = Instance(p)
    plan = solve(p, time_limit=2, seed=seed, workers=1)
    pool = generate_columns(inst, greedy_tours(inst), seconds=3)
    assert pool.bound >= plan.covered_weight - 1e-6  # above any plan, so above the optimum
    assert pool.lp <= pool.bound + 1e-6
    assert plan.bound * inst.demand_weight() >= plan.covered_weight - 1e-6

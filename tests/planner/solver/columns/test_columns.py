"""Column generation, the integer master and LP rounding: valid plans, never worse, bounds above the optimum."""

from __future__ import annotations

import itertools
import math
import time
from collections.abc import Iterator

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reassure.planner.generate import Size, generate
from reassure.planner.hard_rules.repair import repair
from reassure.planner.hard_rules.score import score
from reassure.planner.hard_rules.validate import check_tours, validate
from reassure.planner.index import Instance
from reassure.planner.solver import solve as solve_module
from reassure.planner.solver.baseline import greedy_tours
from reassure.planner.solver.columns import generation as columns_module
from reassure.planner.solver.columns import master_lp as master_lp_module
from reassure.planner.solver.columns.by_columns import solve_by_columns
from reassure.planner.solver.columns.generation import ColumnGeneration, Pool, generate_columns
from reassure.planner.solver.columns.master import best_combination
from reassure.planner.solver.columns.parts import plan_parts
from reassure.planner.solver.columns.rounding import rounded_plan
from reassure.planner.solver.decompose import parts, sub_instance, tours_of
from reassure.planner.solver.processes import pool as processes
from reassure.planner.solver.solve import solve_report

from ...builders import problem, task, tour, unit
from ...rule_keys import RULE_KEYS, with_rule_keys

SMALL = Size(nations=5, units=16, tasks=4, periods=14)


def test_column_generation_solves_a_two_unit_rotation() -> None:
    # Two units, tours of 3 and dwell 3, demand 1 over 9 periods: alternating exactly, they cover all 9.
    p = problem([unit("A", max_tour=3, min_dwell=3), unit("B", max_tour=3, min_dwell=3)], [task("T")], periods=9)
    inst = Instance(p)
    pool = generate_columns(inst, [tour("A", "T", 0, 2), tour("B", "T", 0, 2)], seconds=5)
    assert pool.converged
    assert pool.lp == pytest.approx(9.0)
    assert pool.bound == pytest.approx(9.0)
    result = best_combination(inst, pool, [tour("A", "T", 0, 2), tour("B", "T", 0, 2)], seconds=5)
    assert result.covered == 9
    assert check_tours(inst, result.tours) == []


def test_column_generation_bound_is_tight_when_demand_outruns_supply() -> None:
    # One unit, tour 2, dwell 2, demand 1 over 8 periods: it can serve 4 periods at most (2 + 2).
    p = problem([unit("A", max_tour=2, min_dwell=2)], [task("T")], periods=8)
    pool = generate_columns(Instance(p), [], seconds=5)
    assert pool.converged
    assert pool.bound == pytest.approx(4.0)


@settings(max_examples=10, deadline=None)
@given(seed=st.integers(min_value=0, max_value=10_000), keys=RULE_KEYS)
def test_by_columns_returns_a_valid_plan_never_worse_than_its_start(seed: int, keys: int | None) -> None:
    inst = Instance(with_rule_keys(generate(SMALL, seed=seed), keys))
    start = greedy_tours(inst)
    out = solve_by_columns(inst, start, seconds=2, seed=seed)
    assert check_tours(inst, out.tours) == []
    assert score(inst, out.tours).covered_weight >= score(inst, start).covered_weight
    assert out.bound >= score(inst, out.tours).covered_weight


def test_master_and_rounding_keep_frozen_tours_and_caps() -> None:
    units = [
        unit("A", nation="FRA", personnel=500, max_tour=2, min_dwell=1),
        unit("B", nation="FRA", personnel=500, max_tour=2, min_dwell=1),
        unit("C", nation="GBR", personnel=300, max_tour=2, min_dwell=1),
    ]
    p = problem(
        units,
        [task("T", demand=2)],
        periods=6,
        nations=[{"code": "FRA", "max_personnel": 600}, {"code": "GBR"}],
        frozen=[tour("A", "T", 0, 1)],
    )
    inst = Instance(p)
    start = greedy_tours(inst)
    pool = generate_columns(inst, start, seconds=3)
    master = best_combination(inst, pool, start, seconds=3)
    rounded = rounded_plan(inst, pool, seconds=1)
    assert rounded is not None
    for tours in (master.tours, rounded):
        assert check_tours(inst, tours) == []
        assert tour("A", "T", 0, 1) in tours


def test_large_problem_path_uses_columns_and_returns_a_valid_plan(monkeypatch: pytest.MonkeyPatch) -> None:
    # Parts above COLUMNS_FROM cells take the large-problem path; lower it so a small instance does.
    monkeypatch.setattr(solve_module, "COLUMNS_FROM", 50)
    p = generate(SMALL, seed=3)
    report = solve_report(p, time_limit=6, seed=3, workers=1)
    assert any(s.name == "columns" for s in report.stages)
    assert validate(p, report.plan).valid
    assert report.plan.bound >= report.plan.coverage - 1e-9
    assert report.greedy is not None
    assert report.plan.covered_weight >= report.greedy.covered_weight


@settings(max_examples=8, deadline=None)
@given(seed=st.integers(min_value=0, max_value=10_000), keys=RULE_KEYS)
def test_a_dive_fixes_units_keeps_the_bound_valid_and_rounds_to_a_valid_plan(seed: int, keys: int | None) -> None:
    inst = Instance(with_rule_keys(generate(SMALL, seed=seed), keys))
    start = greedy_tours(inst)
    free = generate_columns(inst, start, seconds=3)
    generation = ColumnGeneration(inst, start)
    pool = generation.grow(seconds=0.0, max_rounds=60)  # one round, then the dive
    dived = pool if pool.converged else generation.dive(3.0)
    if not free.converged or free.lp < free.bound - 1e-6:
        return  # the comparison below needs the LP optimum
    assert dived.bound >= free.lp - 1e-6  # still an upper bound on the LP, hence on every plan
    if not dived.converged:  # the LP was not solved at once, so the dive fixed units
        assert dived.fixed
    plan = rounded_plan(inst, dived, seconds=0.5)
    assert plan is not None
    # Rounding plans unit by unit; like every such path it is followed by the repair of the coupling rules
    # (by_columns.consider), after which the plan keeps every hard rule.
    assert check_tours(inst, repair(inst, plan)) == []


def _lps_left_unsolved() -> Iterator[tuple[Instance, ColumnGeneration, Pool]]:
    """Yield small instances whose LP two rounds of column generation leave unsolved, ready to dive."""
    for seed in range(1, 9):
        inst = Instance(generate(SMALL, seed=seed))
        generation = ColumnGeneration(inst, greedy_tours(inst))
        pool = generation.grow(seconds=5, max_rounds=2)
        if not pool.converged:
            yield inst, generation, pool


def test_dives_leave_the_lp_where_it_was_and_start_from_the_same_place() -> None:
    solved = 0
    for inst, generation, pool in _lps_left_unsolved():
        lp, share = pool.lp, list(pool.share)
        first, second = generation.dive(5.0, 0.5), generation.dive(5.0, 0.5)
        assert first.fixed and first.fixed == second.fixed  # same LP, same threshold: same dive
        assert not pool.fixed and pool.lp == lp and pool.share[: len(share)] == share
        plan = rounded_plan(inst, first, seconds=0.2)
        assert plan is not None and check_tours(inst, plan) == []
        # The LP goes on growing from where the dives found it, to the same optimum as without them.
        plain = generate_columns(inst, greedy_tours(inst), seconds=5)
        after = generation.grow(seconds=5)
        if plain.converged and after.converged:
            solved += 1
            assert after.lp == pytest.approx(plain.lp, rel=1e-6)
    assert solved >= 2


def test_a_dive_step_fixes_at_least_its_share_of_the_free_units() -> None:
    checked = 0
    for _inst, generation, pool in _lps_left_unsolved():
        # No share reaches 1.01, so one unit per step without a step share, half the free ones with 0.5.
        rounds = pool.rounds
        one_by_one = generation.dive(5.0, 1.01, 0.0)
        single_steps = one_by_one.rounds - rounds
        rounds = pool.rounds
        halves = generation.dive(5.0, 1.01, 0.5)
        assert len(one_by_one.fixed) >= single_steps  # each step fixed one unit (the last may end the dive)
        assert halves.rounds - rounds <= 1 + math.ceil(math.log2(len(halves.fixed) + 1))
        assert halves.rounds - rounds < single_steps
        checked += 1
    assert checked >= 2

def test_subgradient_steps_lower_the_bound_and_keep_it_above_the_lp_optimum() -> None:
    lowered = 0
    for seed in range(1, 9):
        inst = Instance(generate(SMALL, seed=seed))
        optimum = generate_columns(inst, greedy_tours(inst), seconds=5)
        if not optimum.converged:
            continue
        generation = ColumnGeneration(inst, greedy_tours(inst))
        before = generation.grow(seconds=5, max_rounds=2).bound
        after = generation.tighten(0.5)
        assert optimum.lp - 1e-6 <= after <= before
        lowered += after < before - 1e-6
    assert lowered >= 2

def test_parts_planned_side_by_side_in_child_processes_each_get_a_valid_plan(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    calls: list[str] = []
    real_call = processes.ChildProcess.call

    def counted(self: processes.ChildProcess, path: str, *args: object, **kwargs: object) -> object:
        calls.append(path)
        return real_call(self, path, *args, **kwargs)

    monkeypatch.setattr(processes.ChildProcess, "call", counted)
    inst = Instance(generate(Size(nations=6, units=30, tasks=8, periods=14), seed=5))
    plist = parts(inst)
    assert len(plist) >= 2
    start = greedy_tours(inst)
    chosen = [tours_of(part, inst, start) for part in plist]
    done: dict[int, float] = {}
    plan_parts(inst, plist, chosen, {i: 1.0 for i in range(len(plist))}, time.perf_counter() + 8, 2, 1,
               lambda i, out, _s: done.setdefault(i, out.bound))
    assert calls == ["reassure.planner.solver.columns.by_columns:solve_by_columns"] * len(plist)  # all in children
    assert sorted(done) == list(range(len(plist)))
    for i, part in enumerate(plist):
        sub = sub_instance(inst, part)
        assert check_tours(sub, chosen[i]) == []
        assert done[i] >= score(sub, chosen[i]).covered_weight - 1e-6
        assert score(sub, chosen[i]).covered_weight >= score(sub, tours_of(part, inst, start)).covered_weight


def test_parts_side_by_side_that_overrun_a_shared_cap_are_trimmed_to_a_valid_plan(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Two independent parts (air and sea) whose units are all Polish: each alone may deploy the whole
    # cap, so planned side by side they overrun it and the joint plan must be trimmed back.
    monkeypatch.setattr(solve_module, "COLUMNS_FROM", 10)
    units = [unit(f"A{i}", nation="POL", max_tour=4, min_dwell=2) for i in range(4)]
    units += [unit(f"S{i}", nation="POL", capability="frigate", max_tour=4, min_dwell=2) for i in range(4)]
    tasks = [task("AIR", demand=2, priority=3), task("SEA", demand=2, capability="frigate", location="sea")]
    nations = [{"code": "POL", "max_personnel": 900}, {"code": "FRA"}, {"code": "GBR"}]
    p = problem(units, tasks, periods=12, nations=nations)
    report = solve_report(p, time_limit=6, seed=1, workers=2)
    assert validate(p, report.plan).valid
    assert report.plan.covered_weight > 0


def test_columns_cut_back_from_the_lp_come_back_when_they_price_out(monkeypatch: pytest.MonkeyPatch) -> None:
    # Cutting the LP back to a handful of columns each round must not stop it short of its optimum:
    # a column cut out earlier re-enters when it prices out again, so "solved" means LP = bound.
    monkeypatch.setattr(columns_module, "KEEP_PER_UNIT", 3)
    monkeypatch.setattr(columns_module, "KEEP_EXTRA", 10)
    solved = 0
    for seed in range(1, 7):
        inst = Instance(generate(SMALL, seed=seed))
        pool = generate_columns(inst, greedy_tours(inst), seconds=5)
        if pool.converged:
            solved += 1
            assert pool.bound - pool.lp <= 1e-4 * max(1.0, pool.lp)
    assert solved >= 3


def _lp_values(monkeypatch: pytest.MonkeyPatch, fail: set[int] | None = None) -> list[float | None]:
    """Record every master LP solve's value; make the solves numbered in `fail` give up as GLOP can."""
    values: list[float | None] = []
    solve = master_lp_module.MasterLP.solve

    def recorded(self: master_lp_module.MasterLP, *args: int) -> object:
        number = len(values) + 1
        out = None if fail is not None and number in fail else solve(self, *args)
        values.append(None if out is None else out[0])
        return out

    monkeypatch.setattr(master_lp_module.MasterLP, "solve", recorded)
    return values


def test_cutting_the_lp_back_keeps_every_column_it_uses(monkeypatch: pytest.MonkeyPatch) -> None:
    # With room for few columns the LP used to lose columns of its own solution at each cut-back and
    # fall back; keeping them, its value never drops from one round to the next.
    monkeypatch.setattr(columns_module, "KEEP_PER_UNIT", 2)
    monkeypatch.setattr(columns_module, "KEEP_EXTRA", 4)
    for seed in range(1, 5):
        values = _lp_values(monkeypatch)
        inst = Instance(generate(SMALL, seed=seed))
        generate_columns(inst, greedy_tours(inst), seconds=5)
        lps = [v for v in values if v is not None]
        assert all(b >= a - 1e-6 for a, b in itertools.pairwise(lps)), (seed, lps)


def test_an_lp_solve_that_fails_is_retried_in_a_fresh_lp(monkeypatch: pytest.MonkeyPatch) -> None:
    inst = Instance(generate(SMALL, seed=3))
    plain = generate_columns(inst, greedy_tours(inst), seconds=5)
    assert plain.converged
    values = _lp_values(monkeypatch, fail={3})
    pool = generate_columns(inst, greedy_tours(inst), seconds=5)
    assert values[2] is None and values[3] is not None  # the failed solve, then the fresh LP's
    assert pool.converged
    assert pool.lp == pytest.approx(plain.lp)
    assert pool.bound >= pool.lp - 1e-6


def test_an_lp_that_keeps_failing_stops_unsolved_with_its_last_solution(monkeypatch: pytest.MonkeyPatch) -> None:
    # A failed solve has no duals: taking its silence for "nothing prices out" once ended column
    # generation as solved, with every column's share zero and the LP value zero.
    inst = Instance(generate(SMALL, seed=3))
    values = _lp_values(monkeypatch, fail=set(range(3, 100)))
    pool = generate_columns(inst, greedy_tours(inst), seconds=5)
    assert not pool.converged
    assert pool.rounds == 2
    assert pool.lp == pytest.approx(values[1])
    assert pool.lp > 0 and max(pool.share) > 0
    assert rounded_plan(inst, pool, 0.5) is not None

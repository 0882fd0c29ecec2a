"""Solver behaviour: status mapping, bound, progress, greedy floor, and validity on generated instances."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ortools.sat.python import cp_model

from reassure.planner.generate import Size, generate
from reassure.planner.hard_rules.validate import validate
from reassure.planner.solver.baseline import greedy_plan
from reassure.planner.solver.cpsat.stages import map_status
from reassure.planner.solver.solve import Progress, solve, solve_report

from ..builders import problem, task, unit
from ..rule_keys import RULE_KEYS, with_rule_keys


def test_status_mapping() -> None:
    assert map_status(cp_model.OPTIMAL, True) == "optimal"
    assert map_status(cp_model.FEASIBLE, True) == "feasible"
    assert map_status(cp_model.INFEASIBLE, False) == "infeasible"
    assert map_status(cp_model.UNKNOWN, False) == "timeout_no_solution"
    assert map_status(cp_model.UNKNOWN, True) == "feasible"


def test_optimal_small_instance_staggers_rotations() -> None:
    # Two units, tours of 2, dwell 2, demand 1 over 8 months: staggered they cover everything.
    p = problem([unit("A", max_tour=2, min_dwell=2), unit("B", max_tour=2, min_dwell=2)], [task("T")], periods=8)
    plan = solve(p, time_limit=5, workers=1)
    assert plan.status == "optimal" and plan.coverage == 1.0 and plan.bound == 1.0
    assert plan.tours_count == 4


def test_bound_is_at_least_coverage_and_progress_is_reported() -> None:
    p = generate("tiny", seed=3)
    events: list[Progress] = []
    plan = solve(p, time_limit=3, seed=2, workers=2, callback=events.append)
    assert plan.bound >= plan.coverage
    assert events and {e.event for e in events} >= {"start", "done"}
    assert all(0.0 <= e.coverage <= e.bound + 1e-9 for e in events)


def test_never_worse_than_greedy_on_small_instances() -> None:
    for seed in range(3):
        p = generate("small", seed=seed)
        report = solve_report(p, time_limit=2, seed=seed, workers=2)
        greedy = greedy_plan(p)
        assert (report.plan.covered_weight, -report.plan.tours_count) >= (greedy.covered_weight, -greedy.tours_count)
        assert validate(p, report.plan).valid


def test_parts_sharing_a_personnel_cap_are_repaired_jointly() -> None:
    # A fighter and a frigate task, served by different parts, both FRA: the cap allows one at a time.
    units = [unit("FS", personnel=300), unit("FF", capability="frigate", personnel=300)]
    tasks = [task("AIR", priority=3), task("SEA", capability="frigate", location="sea", priority=1)]
    p = problem(units, tasks, periods=4, nations=[{"code": "FRA", "max_personnel": 400}])
    report = solve_report(p, time_limit=3, workers=1)
    assert report.parts == 2 and report.repaired_caps
    assert validate(p, report.plan).valid
    assert report.plan.covered_weight == 12  # the priority-3 task all along


TINY = Size(nations=3, units=6, tasks=3, periods=6)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(min_value=0, max_value=10_000), keys=RULE_KEYS)
def test_solver_output_always_passes_the_validator(seed: int, keys: int | None) -> None:
    p = with_rule_keys(generate(TINY, seed=seed), keys)
    plan = solve(p, time_limit=1, seed=seed, workers=1)
    report = validate(p, plan)
    assert report.valid, report.violations
    assert plan.covered_weight >= greedy_plan(p).covered_weight

"""The solver on the second generator's families: valid plans, bounds above every plan, never below a simple plan."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reassure.planner.families import FAMILIES, family_problem
from reassure.planner.hard_rules.score import score
from reassure.planner.hard_rules.validate import check_tours, validate
from reassure.planner.index import Instance
from reassure.planner.solver.baseline import fill_tours, greedy_tours, start_tours
from reassure.planner.solver.solve import solve_report


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(family=st.sampled_from(sorted(FAMILIES)), seed=st.integers(min_value=0, max_value=10_000),
       units=st.integers(min_value=12, max_value=30))
def test_every_output_validates_and_every_bound_is_above_every_plan(family: str, seed: int, units: int) -> None:
    p = family_problem(family, units, seed)
    inst = Instance(p)
    walk, fill = greedy_tours(inst), fill_tours(inst)
    assert not check_tours(inst, walk) and not check_tours(inst, fill)
    report = solve_report(p, time_limit=1.5, seed=seed, workers=1)
    plan = report.plan
    assert validate(p, plan).valid
    found = [plan.covered_weight, score(inst, walk).covered_weight, score(inst, fill).covered_weight]
    assert plan.bound * plan.demand_weight >= max(found) - 1e-6  # a bound above every plan found
    assert plan.covered_weight >= max(found[1:])  # never below either simple plan
    assert plan.origin in ("optimiser", "greedy", "fill")


def test_solve_starts_from_the_fill_where_it_beats_the_greedy_walk() -> None:
    p = family_problem("legal-late", 150, seed=1)  # late instruments: the walk strands units, the fill does not
    inst = Instance(p)
    start, name = start_tours(inst)
    assert name == "fill" and score(inst, start).covered_weight > score(inst, greedy_tours(inst)).covered_weight
    report = solve_report(p, time_limit=0.01, workers=1)
    assert report.start == "fill" and report.plan.covered_weight >= score(inst, start).covered_weight
    assert report.plan.origin == ("fill" if report.used_greedy else "optimiser")


def test_solve_is_never_below_the_better_simple_plan_at_any_time_limit() -> None:
    p = family_problem("outside", 40, seed=3)
    inst = Instance(p)
    floor = max(score(inst, greedy_tours(inst)).covered_weight, score(inst, fill_tours(inst)).covered_weight)
    for limit in (0.01, 0.3, 2.0):
        plan = solve_report(p, time_limit=limit, seed=1, workers=1).plan
        assert plan.covered_weight >= floor and validate(p, plan).valid

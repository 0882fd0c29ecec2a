"""The demo's no-backstop what-if reports a bound it can trust in the demo's 4 s: a true bound, near its plan.

The 3-point target is a figure measured on a quiet machine (`reassure demo`, README: 2.5 points at load 1.9); a
unit test on a shared, loaded machine gets fewer CPU seconds in the same 4 s (3.1 points at load 20), so this test
guards the behaviour (a valid bound, not a useless one) with a margin, and the figure stays with the benchmarks."""

from __future__ import annotations

from pathlib import Path

from reassure import migrations as migrate
from reassure.db.uow import engine_for, unit_of_work
from reassure.domains.planning.problem import problem_and_marking
from reassure.domains.scenarios.importing import load_bundled
from reassure.planner.analysis.whatif import FlagChange, replan
from reassure.planner.hard_rules.validate import validate
from reassure.planner.solver.solve import solve
from reassure.settings import Settings
from tests.conftest import who

DEMO_SECONDS = 4.0  # `reassure demo --plan-seconds` default


def test_the_demo_no_backstop_whatif_bound_is_a_true_bound_near_its_plan(tmp_path: Path) -> None:
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'demo.sqlite'}")
    migrate.upgrade(engine_for(settings))
    with unit_of_work(settings, identity=who("FRA")) as db:
        load_bundled(db=db)
    with unit_of_work(settings, identity=who("FRA")) as db:
        problem, _marking = problem_and_marking("illustrative", db=db)
    base = solve(problem, time_limit=DEMO_SECONDS, seed=1)
    result = replan(problem, base, [FlagChange(flag="us_backstop", value=False)], time_limit=DEMO_SECONDS, seed=1)
    plan = result.plan
    assert validate(result.problem, plan).valid
    assert plan.coverage <= plan.bound <= plan.coverage + 0.05, (plan.coverage, plan.bound)
    assert base.coverage <= base.bound <= base.coverage + 0.05, (base.coverage, base.bound)  # was 85.4 % vs 92.4 %

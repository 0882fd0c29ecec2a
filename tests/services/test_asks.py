"""Force-generation asks on the demo scenario: without the US backstop, the asks restore the coverage the plan has
with it, and a plain re-solve of the problem with the asked units reaches that target; targets are read as people
write them."""

from __future__ import annotations

from pathlib import Path

import pytest

from reassure import migrations as migrate
from reassure.core.errors import InputError
from reassure.db.uow import engine_for, unit_of_work
from reassure.domains.planning.problem import build_problem
from reassure.domains.scenarios.importing import load_bundled
from reassure.planner.analysis.ask_text import ask_lines
from reassure.planner.analysis.asks import asked_units, pledged_months, with_asked
from reassure.planner.hard_rules.validate import check_tours
from reassure.planner.index import Instance
from reassure.planner.solver.solve import solve
from reassure.services.asks import asks_for, parse_target, with_flags
from reassure.settings import Settings
from tests.conftest import who

pytestmark = pytest.mark.slow


def test_the_asks_restore_the_demos_coverage_without_the_us_backstop(tmp_path: Path) -> None:
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'demo.sqlite'}")
    migrate.upgrade(engine_for(settings))
    with unit_of_work(settings, identity=who("GBR")) as db:
        load_bundled(db=db)
    with unit_of_work(settings, identity=who("GBR")) as db:
        demo = build_problem("illustrative", db=db)
    assert demo.flags["us_backstop"] is True
    target = solve(demo, time_limit=4, seed=1).coverage  # the plan with the backstop
    without = with_flags(demo, {"us_backstop": False})
    base, asks = asks_for(without, target, seconds=4, seed=1)
    assert base.coverage < target - 0.05  # the backstop is worth several points
    assert asks.reached and asks.coverage >= target and asks.units_asked == sum(a.count for a in asks.asks) > 0
    # Nobody is asked who provides the backstop (no fair share), and strictly nobody past their fair share.
    assert all(a.nation != "USA" and a.fair_share is not None and not a.above_fair_share for a in asks.asks)
    assert all(a.closes or a.adds > 0 for a in asks.asks)
    added = asked_units(asks)
    problem = with_asked(without, added)
    assert check_tours(Instance(problem), asks.tours) == []
    assert pledged_months(problem).keys() >= {u.nation for u in added}
    # The test: re-solve the whole problem with the asked units added (another seed; the verified tours only as the
    # reference a what-if keeps, so a loaded machine cannot make it miss what a plan already shows) and reach it.
    again = solve(problem, time_limit=10, seed=2, reference=asks.tours)
    assert again.coverage >= target, (again.coverage, target)
    assert check_tours(Instance(problem), again.tours) == []
    lines = ask_lines(asks, without.horizon)
    assert lines[0].startswith(f"To reach {target:.1%}") and all(" more " in line for line in lines[1:])
    assert not any("ASK-" in line for line in lines)  # labels for people, never the asked units' ids


@pytest.mark.parametrize(("text", "value"), [("95%", 0.95), ("95 %", 0.95), ("95", 0.95), ("0.95", 0.95),
                                             (0.9, 0.9), ("86.4%", 0.864), ("100%", 1.0)])
def test_targets_are_read_as_people_write_them(text: str | float, value: float) -> None:
    assert parse_target(text) == pytest.approx(value)


@pytest.mark.parametrize("text", ["", "ninety", "0", "101%", "-5%", "95%%"])
def test_a_target_that_is_no_coverage_is_an_input_error(text: str) -> None:
    with pytest.raises(InputError, match="target"):
        parse_target(text)

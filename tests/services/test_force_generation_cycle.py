"""Issue 26's first "Done when", on the demo's data (the bundled `illustrative` scenario, as `reassure demo` loads
it): the planner's force-generation asks become asks to nations; one is sent and answered in part; it becomes a
pledge citing the answer; the plan re-solved covers exactly what the accepted unit adds (the same pledge added
directly to a second registry, re-solved the same way, gives the same coverage); a verification marks a shortfall,
and a what-if counting only verified pledges shows its cost, printed as `reassure plans whatif --verified-only`
prints it.

The demo's German planner plans: Germany reads the PUBLIC records only, so its plan, and the asks drafted from it,
are PUBLIC and may be sent to any nation (an ask is sent only to a nation that may read it, docs/adr/0041). Plans
are the greedy baseline (deterministic), so "rises by what the answer adds" is an exact equality."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pytest

from reassure import migrations as migrate
from reassure.core.identity import Role
from reassure.db.uow import engine_for, unit_of_work
from reassure.domains.planning.problem import problem_and_marking, problem_json
from reassure.domains.plans.actions import attach_asks, store_plan
from reassure.domains.pledges.actions import add_pledge
from reassure.domains.pledges.service import get_pledge
from reassure.domains.requests import actions as asks
from reassure.domains.requests.service import get_ask
from reassure.domains.scenarios.importing import load_bundled
from reassure.domains.verifications.actions import add_verification
from reassure.planner.analysis.asks import find_asks
from reassure.planner.instance import Plan, Problem
from reassure.planner.solver.baseline import greedy_plan
from reassure.scenario_io.schema import PledgeEntry
from reassure.services.asks import with_flags
from reassure.settings import Settings
from tests.conftest import Cli, stored_user, who

SCENARIO = "illustrative"
NO_BACKSTOP = {"us_backstop": False}  # the demo's what-if: the asks restore what the US backstop gives
GAIN = 0.045  # four and a half points of coverage: an ask of two air defence batteries
DEU = who("DEU", Role.PLANNER, Role.ANALYST, user="deu-planner")


def _demo(settings: Settings) -> None:
    with unit_of_work(settings, identity=who("FRA")) as db:
        load_bundled(db=db)


def _replan(settings: Settings) -> tuple[Problem, Plan]:
    """The scenario as Germany reads it, without the US backstop, and its greedy plan."""
    with unit_of_work(settings, identity=DEU) as db:
        problem, _marking = problem_and_marking(SCENARIO, db=db)
    problem = with_flags(problem, NO_BACKSTOP)
    return problem, greedy_plan(problem)


def test_the_whole_force_generation_cycle_on_the_demo(settings: Settings, tmp_path: Path) -> None:
    _demo(settings)
    stored_user(settings.database_url, "DEU", Role.PLANNER, Role.ANALYST, name="deu-planner")
    problem, base = _replan(settings)
    with unit_of_work(settings, identity=DEU) as db:
        target = greedy_plan(problem_and_marking(SCENARIO, db=db)[0]).coverage  # with the backstop
    # The planner's force-generation asks towards that target, stored with the plan (as the demo stores them).
    _plan, found = find_asks(problem, base.coverage + GAIN, base=base, solve_seconds=0.3, seed=1, max_rounds=1)
    assert found.asks and base.coverage + GAIN < target
    with unit_of_work(settings, identity=DEU) as db:
        stored = store_plan(db=db, scenario=SCENARIO, problem=problem_json(problem), plan=base, rel_to="PUBLIC",
                            settings={"method": "greedy", "changes": ["us_backstop=false"]})
        attach_asks(stored.id, found, db=db, settings={"target": base.coverage + GAIN})
        drafted = asks.asks_from_plan(stored.id, db=db, on_date=date(2026, 12, 1))
    # One ask to a nation per force-generation ask, marked like the plan; one for two units is answered in part.
    assert len(drafted) == len(found.asks)
    assert all(a.state == "drafted" and a.marking == "PUBLIC" and a.closes for a in drafted)
    ask = next(a for a in drafted if a.quantity >= 2)
    with unit_of_work(settings, identity=DEU) as db:
        asks.send_ask(ask.id, db=db, on_date=date(2026, 12, 2))
        asks.answer_ask(ask.id, db=db, answer="part", accepted=1, on_date=date(2026, 12, 9),
                        conditions="One battery now, the second after the winter exercise", reliability="B")
        pledged = asks.ask_to_pledge(ask.id, db=db, on_date=date(2026, 12, 10))
        made = get_pledge(SCENARIO, pledged.pledge or "", db=db)
    assert (pledged.state, pledged.answer, pledged.accepted) == ("pledged", "part", 1)
    assert made.quantity == "1" and made.sources == [f"answer-{ask.id}"] and made.nation == ask.nation

    # Re-solved, the plan covers more, by exactly what the accepted unit adds: a second registry with the same
    # pledge added directly by the pledge action, re-solved the same way, covers the same.
    _problem, after = _replan(settings)
    assert after.coverage > base.coverage
    control = Settings(database_url=f"sqlite:///{tmp_path / 'control.sqlite'}")
    migrate.upgrade(engine_for(control))
    _demo(control)
    answered = _answered(settings, ask.id)
    with unit_of_work(control, identity=DEU) as db:
        add_pledge(SCENARIO, PledgeEntry.model_validate({
            "key": made.key, "nation": ask.nation, "capability": ask.capability, "quantity": 1,
            "personnel_per_unit": answered.personnel_per_unit, "where": answered.where,
            "window": {"from": ask.available_from, "to": ask.available_to},
            "rotation": {"max_tour": answered.max_tour, "min_dwell": answered.min_dwell},
            "status": "offered", "standing": "assumption"}), db=db)  # no answer to cite here
    assert _replan(control)[1].coverage == after.coverage

    # A verification finds half of a pledged battalion: every plan counts the units found, and a what-if counting
    # only verified pledges shows what trusting no unverified pledge costs.
    with unit_of_work(settings, identity=DEU) as db:
        seen = add_verification(SCENARIO, "GBR-INF", db=db, on_date=date(2026, 12, 11), kind="visit",
                                finding="shortfall", found=2, source="Coalition verification team", grade="B2")
        assert get_pledge(SCENARIO, "GBR-INF", db=db).verification.startswith("verified with shortfall")
    assert seen.marking == "PUBLIC"
    checked_problem, checked = _replan(settings)
    assert checked.coverage <= after.coverage  # two battalions fewer, never more
    with unit_of_work(settings, identity=DEU) as db:
        verified_base = store_plan(db=db, scenario=SCENARIO, problem=problem_json(checked_problem), plan=checked,
                                   rel_to="PUBLIC", settings={"method": "greedy"})
    code, out, err = Cli(settings.database_url)("plans", "whatif", verified_base.id, "--verified-only",
                                                "--time-limit", "0.5", "--seed", "1", user="deu-planner")
    assert code == 0, err
    row = re.search(r"coverage\s*│\s*([\d.]+%)\s*│\s*([\d.]+%)", out)
    assert row is not None, out
    assert row.group(1) == f"{checked.coverage:.1%}"  # the base, as the CLI prints a coverage
    assert float(row.group(2).rstrip("%")) < float(row.group(1).rstrip("%"))  # the cost of counting verified only

    code, out, _err = Cli(settings.database_url)("asks", "list", "--scenario", SCENARIO, "--json", user="deu-planner")
    listed = {a["id"]: a for a in json.loads(out)}
    assert code == 0 and listed[ask.id]["state"] == "pledged" and listed[ask.id]["pledge"] == made.key


def _answered(settings: Settings, ask_id: str):  # type: ignore[no-untyped-def]
    with unit_of_work(settings, identity=DEU) as db:
        return get_ask(ask_id, db=db)


pytestmark = pytest.mark.slow

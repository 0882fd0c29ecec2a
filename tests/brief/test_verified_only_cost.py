"""The cost of counting only verified pledges in the brief (issue 26 item 2, docs/adr/0047): the bottom line of the
minister's page one and of the staff brief reads the stored verified-only re-plan of the plan and says "coverage
falls from A % to B %" with its basis; or that no pledge is verified yet, or that no such re-plan is stored (never a
zero). A later what-if of another kind is never taken for it."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from reassure.brief.render import render_html
from reassure.db.uow import unit_of_work
from reassure.domains.planning.problem import problem_and_marking, problem_json
from reassure.domains.plans.actions import store_plan
from reassure.domains.plans.service import get_plan, get_stored
from reassure.domains.scenarios.importing import import_document
from reassure.domains.verifications.actions import add_verification
from reassure.planner.analysis.whatif import FlagChange, VerifiedOnly
from reassure.planner.instance import Plan, Problem
from reassure.planner.solver.solve import solve
from reassure.scenario_io.load import load_document
from reassure.services.briefing import brief_context
from reassure.services.planning import whatif_picture
from reassure.settings import Settings
from tests.conftest import who
from tests.scenario_io.samples import VALID, write

# long tours, and Britain's pledge without its caveat: both nations' units can fill the task all year
LONG_TOURS = VALID.replace("rotation: {max_tour: 4, min_dwell: 8}", "rotation: {max_tour: 12, min_dwell: 1}").replace(
    "    caveats: [{text: No flights east of the Dnipro, tasks: [AIR-WEST]}]\n", "")


def _base(settings: Settings) -> str:
    with unit_of_work(settings, identity=who("FRA")) as db:
        problem, marking = problem_and_marking("small", db=db)
        plan = solve(problem, time_limit=1, seed=1, workers=1)
        return store_plan(db=db, scenario="small", problem=problem_json(problem), plan=plan, rel_to=marking,
                          settings={"method": "cp-sat"}).id


def _whatif(settings: Settings, base_id: str, change: VerifiedOnly | FlagChange, stored_as: object) -> float:
    """Re-plan the base with one change and store it as a job would (`stored_as`: its settings' change)."""
    with unit_of_work(settings, identity=who("FRA")) as db:
        base = get_plan(base_id, db=db)
        result = whatif_picture(Problem.model_validate(base.problem), Plan.model_validate(base.plan), [change],
                                seconds=1, seed=1)
        store_plan(db=db, scenario="small", problem=problem_json(result.problem), plan=result.plan,
                   rel_to=get_stored(base_id, db=db).rel_to, settings={"method": "what-if", "changes": [stored_as]},
                   label=f"what-if on {base_id}", base=base_id)
        return result.plan.coverage


def _lines(settings: Settings, base_id: str, audience: str = "staff") -> tuple[list[str], str]:
    with unit_of_work(settings, identity=who("FRA")) as db:
        brief = brief_context("small", db=db, plan_id=base_id, audience=audience)
    assert brief.bottom is not None
    return [f"{b.text} [{b.basis}]" for b in brief.bottom.verified], render_html(brief)


def test_the_brief_says_what_counting_only_verified_pledges_costs(settings: Settings, tmp_path: Path) -> None:
    with unit_of_work(settings, identity=who("FRA")) as db:
        import_document(load_document(write(tmp_path, LONG_TOURS)), db=db, origin="tests")
    unverified = _base(settings)
    [line], _ = _lines(settings, unverified)
    assert line.startswith("No pledge of the baseline plan of") and "is verified yet" in line and " 0" not in line
    assert "[verifications: none on record for its 2 pledges]" in line

    with unit_of_work(settings, identity=who("FRA")) as db:
        add_verification("small", "FRA-FS", db=db, on_date=date(2026, 11, 2), kind="visit", finding="shortfall",
                         found=1, source="JFC visit team", grade="B2")
    base_id = _base(settings)
    [line], _ = _lines(settings, base_id)
    assert "is unknown: no re-plan counting only them is stored (1 of 2 pledges verified)" in line

    cost = _whatif(settings, base_id, VerifiedOnly(period=0), {"kind": "verified_only", "period": 0})
    _whatif(settings, base_id, FlagChange(flag="us_backstop", value=False), {"kind": "flag"})  # newer, another kind
    with unit_of_work(settings, identity=who("FRA")) as db:
        base = get_plan(base_id, db=db).coverage
    assert cost < base  # GBR-FS (never verified) and one FRA unit leave
    [line], staff = _lines(settings, base_id)
    expected = (f"Counting only verified pledges, coverage falls from {base * 100:.1f} % to {cost * 100:.1f} % "
                "(1 of 2 pledges verified;")
    assert line.startswith(expected), line
    assert "its re-plan counting only verified pledges of" in line and "verifications as recorded]" in line
    assert 'id="verified-only"' in staff and expected in staff
    _, minister = _lines(settings, base_id, "minister")
    assert 'id="verified-only"' in minister and expected in minister

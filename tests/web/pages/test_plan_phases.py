"""Issue 26's third "Done when", on the dashboard: the demo scenario's phases are listed on the plan page and drawn
on its Gantt (a dashed rule at each phase's start, named, docs/adr/0044). The brief's side is
tests/brief/test_brief.py::test_the_brief_shows_the_mission_phases_beside_the_gantt_and_on_it. Over HTTP (TestClient)
on SQLite and PostgreSQL."""

from __future__ import annotations

import html
import json

from reassure.db.uow import unit_of_work
from reassure.domains.planning.problem import problem_and_marking, problem_json
from reassure.domains.plans.actions import store_plan
from reassure.domains.scenarios.importing import load_bundled
from reassure.planner.solver.baseline import greedy_plan
from reassure.settings import Settings
from tests.conftest import who
from tests.web.pages.test_admin import new_signed_in

PHASES = ["Entry", "Build-up", "Steady state", "Drawdown", "Transition to Ukrainian forces"]


def test_the_demo_plan_page_lists_the_phases_and_its_gantt_marks_them(settings: Settings) -> None:
    with unit_of_work(settings, identity=who("FRA")) as db:
        load_bundled(db=db)
    with unit_of_work(settings, identity=who("FRA")) as db:
        problem, marking = problem_and_marking("illustrative", db=db)
        stored = store_plan(db=db, scenario="illustrative", problem=problem_json(problem), plan=greedy_plan(problem),
                            rel_to=marking, settings={"method": "greedy"})
    reader, _ = new_signed_in(settings, "fra-reader", "FRA", ["viewer"])
    page = reader.get("/plan", params={"id": stored.id}).text
    table = page.split('id="phases"', 1)[1].split("</table>", 1)[0]
    assert [name for name in PHASES if name in table] == PHASES
    spec = json.loads(html.unescape(page.split('id="gantt" data-spec=\'', 1)[1].split("'", 1)[0]))
    rows = [r for r in spec["data"]["values"] if r.get("kind") == "phase"]
    assert [r["label"] for r in rows if r["label"]] == PHASES  # named once each, in the first panel
    assert {r["phase"] for r in rows} == set(PHASES) and all(r["start"] and r["entry"] for r in rows)

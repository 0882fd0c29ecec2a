"""Text for people on the main web pages carries labels, never identifiers (issue 25): the overview, the pledges of
the illustrative scenario and a pledge with conditions, a plan of the illustrative scenario with its gap reasons,
the security page with its exit conditions and triggers, three incidents' weapon lines and the command tree, as a
planner sees them in chromium. No key of the label catalogue that reads as an identifier (a rule, flag, capability,
reason, indicator ...) shows."""

from __future__ import annotations

from typing import Any

import pytest

from reassure.core.identity import Role
from reassure.db.uow import unit_of_work
from reassure.domains.incidents.service import list_incidents
from reassure.domains.planning.problem import problem_and_marking, problem_json
from reassure.domains.plans.actions import store_plan
from reassure.planner.solver.solve import solve
from reassure.web.pages.common import quote_key
from tests.conftest import who
from tests.core.test_labels import identifiers_in
from tests.web.conftest import LiveServer, sign_in

pytestmark = pytest.mark.slow


def test_the_main_pages_show_labels_not_identifiers(live_server: LiveServer, browser: Any) -> None:
    with unit_of_work(live_server.settings, identity=who("FRA", Role.PLANNER)) as db:
        problem, marking = problem_and_marking("illustrative", db=db)
    plan = solve(problem, time_limit=2, seed=1, workers=1)
    assert plan.gaps, "the illustrative plan has gaps whose reasons the page shows"
    with unit_of_work(live_server.settings, identity=who("FRA", Role.PLANNER)) as db:
        stored = store_plan(db=db, scenario="illustrative", problem=problem_json(problem), plan=plan, rel_to=marking,
                            settings={"method": "cp-sat"})
        incidents = [i.key for i in list_incidents(db=db, kind="air_attack")][:3]
    page = sign_in(browser, live_server, "fra-planner")
    base = live_server.url
    seen = {}
    for path in ("/", "/pledges?scenario=illustrative", "/pledges/illustrative/FRA-INF", f"/plan?id={stored.id}",
                 "/security", "/command", *(f"/security/incidents/{quote_key(k)}" for k in incidents)):
        page.goto(base + path)
        seen[path] = page.inner_text("body")
    assert "US backstop" in seen["/pledges/illustrative/FRA-INF"]  # the pledge's conditions, by their labels
    assert "ceasefire in force" in seen["/pledges/illustrative/FRA-INF"]
    assert "infantry battalion" in seen["/pledges?scenario=illustrative"]
    assert plan.gaps[0].reason.split(":")[0][:40] in seen[f"/plan?id={stored.id}"]
    assert "exit condition" in seen["/security"]
    found = {path: identifiers_in(text) for path, text in seen.items()}
    assert not any(found.values()), found

"""The asks page (docs/adr/0046): a planner drafts the asks to nations from a plan, sends one, records an answer in
part (a wrong number of units comes back by field, nothing written) and turns it into a pledge; a viewer is offered
no form and a form posted anyway is refused with nothing written; a nation the ask is not released to sees nothing of
it (404 as absent). Over HTTP (TestClient) on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from reassure.db.uow import unit_of_work
from reassure.domains.requests.service import get_ask, list_asks
from reassure.settings import Settings
from tests.conftest import who
from tests.domains.requests.test_asks_lifecycle import SHARED, asked_cycle
from tests.web.pages.test_admin import new_signed_in

TODAY = date.today()  # the plan page drafts its asks today: the steps follow


def _ask(settings: Settings, ask_id: str) -> tuple[str, int | None]:
    with unit_of_work(settings, identity=who("FRA")) as db:
        found = get_ask(ask_id, db=db)
    return found.state, found.accepted


def test_a_planner_drafts_sends_answers_in_part_and_pledges_and_others_are_refused(settings: Settings,
                                                                                   tmp_path: Path) -> None:
    cycle = asked_cycle(settings, tmp_path, SHARED, draft=False)
    planner, csrf = new_signed_in(settings, "fra-planner", "FRA", ["planner"])
    plan_page = planner.get(f"/plan?id={cycle.plan_id}").text
    assert "Draft asks to nations from this plan" in plan_page
    drafted = planner.post(f"/plan/{cycle.plan_id}/draft-asks", data={"scenario": "small", "csrf": csrf})
    assert drafted.status_code == 303 and drafted.headers["location"].startswith("/asks?scenario=small")
    with unit_of_work(settings, identity=who("FRA")) as db:
        (ask,) = list_asks(db=db, scenario="small")
    assert "Draft asks to nations" not in planner.get(f"/plan?id={cycle.plan_id}").text  # drafted once
    page = planner.get("/asks?scenario=small").text
    card = page.split(f'id="{ask.id}"')[1].split("</article>")[0]
    assert "Air policing (" in card and "4 fighter squadrons" in card and "REL TO FRA, GBR" in card  # labels
    assert f"/asks/{ask.id}/send" in card and "/answer" not in card

    viewer, viewer_csrf = new_signed_in(settings, "fra-viewer", "FRA", ["viewer"])
    shown = viewer.get("/asks?scenario=small").text
    assert ask.id in shown and "<form method=\"post\" action=\"/asks/" not in shown
    refused = viewer.post(f"/asks/{ask.id}/send", data={"on_date": str(TODAY), "csrf": viewer_csrf})
    assert refused.status_code == 403 and _ask(settings, ask.id) == ("drafted", None)
    britain, _ = new_signed_in(settings, "gbr-planner", "GBR", ["planner"])
    assert ask.id in (theirs := britain.get("/asks?scenario=small").text) and f"/asks/{ask.id}/send" not in theirs
    germany, deu_csrf = new_signed_in(settings, "deu-planner", "DEU", ["planner"])
    assert ask.id not in germany.get("/asks?scenario=small").text
    absent = germany.post(f"/asks/{ask.id}/send", data={"on_date": str(TODAY), "csrf": deu_csrf})
    assert absent.status_code == 404 and _ask(settings, ask.id) == ("drafted", None)

    sent = planner.post(f"/asks/{ask.id}/send", data={"on_date": str(TODAY), "scenario": "small", "csrf": csrf})
    assert sent.status_code == 303 and sent.headers["location"] == f"/asks?scenario=small#{ask.id}"
    answer = {"answer": "part", "accepted": "4", "on_date": str(TODAY + timedelta(days=1)), "reliability": "A",
              "conditions": "Not before the spring rotation", "scenario": "small", "csrf": csrf}
    wrong = planner.post(f"/asks/{ask.id}/answer", data=answer)
    assert wrong.status_code == 422 and _ask(settings, ask.id) == ("sent", None)  # nothing written
    problems = wrong.text.split(f'id="{ask.id}"')[1].split("</article>")[0]
    assert "<strong>accepted</strong>: an answer in part accepts from 1 to 3 units" in problems
    assert planner.post(f"/asks/{ask.id}/answer", data={**answer, "accepted": "2"}).status_code == 303
    page = planner.get("/asks?scenario=small").text
    assert "2 of 4 units accepted" in page and "Not before the spring rotation" in page
    assert "2 still open" in page.split('id="asks-by-gap"')[1]  # the gap's remaining units
    later = str(TODAY + timedelta(days=2))
    pledged = planner.post(f"/asks/{ask.id}/pledge", data={"pledge": "FRA-FS", "on_date": later, "scenario": "small",
                                                            "csrf": csrf})
    assert pledged.status_code == 303 and _ask(settings, ask.id) == ("pledged", 2)
    assert 'href="/pledges/small/FRA-FS"' in planner.get("/asks?scenario=small&state=pledged").text
    assert ask.id not in planner.get("/asks?scenario=small&state=open").text.split('id="by-gap"')[0]

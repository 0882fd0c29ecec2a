"""The incident page: standing with its reason and tolerance, and the relink form (analysts only, CSRF-checked)."""

from __future__ import annotations

from datetime import date
from typing import Any

from reassure.db.uow import unit_of_work
from reassure.domains.incidents.service import get_incident, list_incidents
from reassure.web.pages.common import quote_key
from tests.conftest import who
from tests.web.conftest import LiveServer, sign_in


def _seed_attack(server: LiveServer) -> str:
    with unit_of_work(server.settings, identity=who("FRA")) as db:
        # "overnight" on 4 September: the night from 18:00 on the 3rd (docs/adr/0021)
        found = list_incidents(db=db, kind="air_attack", start=date(2025, 9, 3), end=date(2025, 9, 4))
    (incident,) = [i for i in found if "seed-002" in i.sources]
    return incident.key


def test_an_analyst_moves_a_report_to_a_new_incident_from_the_page(live_server: LiveServer, browser: Any) -> None:
    key = _seed_attack(live_server)
    viewer = sign_in(browser, live_server, "deu-viewer")
    viewer.goto(f"{live_server.url}/security/incidents/{quote_key(key)}")
    assert "Tolerance:" in viewer.inner_text("#standing") and viewer.locator("form.relink").count() == 0
    page = sign_in(browser, live_server, "fra-planner")
    page.goto(f"{live_server.url}/security/incidents/{quote_key(key)}")
    assert page.inner_text("#standing").startswith("unconfirmed")  # 112 and "over 100": compatible, not verified
    assert "compatible" in page.inner_text("#figures")
    forged = page.request.post(f"{live_server.url}/security/relink",
                               form={"report": "seed-002:bundled:seed-002", "new": "1", "csrf": "forged"})
    assert forged.status == 403
    form = page.locator("form.relink", has_text="seed-002:bundled:seed-002")
    form.locator("button[name=new]").click()
    page.wait_for_selector("#accounts")
    assert "seed-002" in page.inner_text("#accounts") and "seed-000" not in page.inner_text("#accounts")
    with unit_of_work(live_server.settings, identity=who("DEU")) as db:
        assert get_incident(key, db=db).sources == ["seed-000"]

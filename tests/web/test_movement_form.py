"""The security page's freedom-of-movement section in the Debian chromium (1366 px): an analyst records a restriction
(a bad one shows its problems by field, nothing written), sees it listed with its grade; a viewer is offered no form
and sees no French-only restriction."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from reassure.db.uow import unit_of_work
from reassure.domains.movement.models import MovementRestriction
from tests.conftest import who
from tests.web.conftest import LiveServer, sign_in_page


def _count(server: LiveServer) -> int:
    with unit_of_work(server.settings, identity=who("FRA")) as db:
        return int(db.scalar(select(func.count()).select_from(MovementRestriction)) or 0)


def test_an_analyst_records_a_restriction_and_a_viewer_is_offered_no_form(live_server: LiveServer,
                                                                          browser: Any) -> None:
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    page = sign_in_page(context.new_page(), live_server, "fra-planner")
    page.goto(f"{live_server.url}/security#movement")
    before = _count(live_server)
    form = "#movement-form"
    page.select_option(f"{form} select[name=kind]", "denied_access")
    page.fill(f"{form} input[name=start]", "2025-03-02T09:00")
    page.fill(f"{form} input[name=region]", "Atlantis")
    page.fill(f"{form} input[name=source]", "fra-desk")
    page.fill(f"{form} input[name=publisher]", "French desk")
    page.fill(f"{form} input[name=grade]", "B3")
    page.fill(f"{form} input[name=place]", "Reni crossing")
    assert page.input_value(f"{form} input[name=marking]") == "REL TO FRA"
    page.click(f"{form} button[type=submit]")
    problems = page.inner_text("#movement-problems")
    assert "Nothing was written" in problems and "--region" in problems and _count(live_server) == before
    assert page.input_value(f"{form} input[name=place]") == "Reni crossing"  # the values are kept
    page.fill(f"{form} input[name=region]", "Odesa oblast")
    page.click(f"{form} button[type=submit]")
    page.wait_for_selector("#movements")
    row = page.inner_text("#movements tbody tr")
    assert "denied access" in row and "Odesa Oblast: Reni crossing" in row and "B3" in row and "REL TO FRA" in row
    assert _count(live_server) == before + 1
    viewer = sign_in_page(browser.new_context(viewport={"width": 1366, "height": 768}).new_page(), live_server,
                          "deu-viewer")
    viewer.goto(f"{live_server.url}/security")
    assert viewer.locator("#movement-form").count() == 0
    assert "Freedom of movement" in viewer.inner_text("#movement") and "Reni crossing" not in viewer.content()
    context.close()

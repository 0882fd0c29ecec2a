"""An analyst's monitor work on the dashboard, in the Debian chromium at desktop and phone width: search and filter
incidents, ingest a report text, check and import an air-attack table (a bad one shows its problems by row and
field, and nothing is written), review an incident (a standing and a comment) and see the review; a viewer is
offered none of these forms, and their POSTs are refused (403) with nothing written."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select

from reassure.db.uow import unit_of_work
from reassure.domains.incidents.models import Incident, IncidentReport, IncidentReview
from reassure.web.pages.common import quote_key
from tests.api.conftest import attacks_csv
from tests.conftest import who
from tests.web.conftest import LiveServer, sign_in_page

WIDTHS = {"desktop": (1366, 768), "phone": (390, 844)}
BAD = ("time_start,time_end,model,launched,destroyed\n"
       "2025-05-01 18:00,2025-05-02 08:00,Shahed-136/131,many,10\n"
       "2025-05-02 18:00,2025-05-03 08:00,Shahed-136/131,20,10\n"
       "2025-13-03 18:00,2025-05-04 08:00,Shahed-136/131,20,10\n")
REPORT = ("Overnight on {day} March 2025 Russia launched 50 Shahed drones at Ukraine, the Ukrainian Air Force said. "
          "Air defence destroyed 40 of them.")


def _counts(server: LiveServer) -> tuple[int, int, int]:
    with unit_of_work(server.settings, identity=who("FRA")) as db:
        return tuple(int(db.scalar(select(func.count()).select_from(m)) or 0)  # type: ignore[return-value]
                     for m in (Incident, IncidentReport, IncidentReview))


def _csv(page: Any, name: str, content: str) -> None:
    page.set_input_files("#table-form input[name=upload]",
                         files=[{"name": name, "mimeType": "text/csv", "buffer": content.encode()}])
    page.click("#table-form button[type=submit]")


@pytest.mark.parametrize("width", list(WIDTHS))
def test_an_analyst_searches_ingests_imports_and_reviews(live_server: LiveServer, browser: Any, width: str) -> None:
    url, phone = live_server.url, width == "phone"
    context = browser.new_context(viewport=dict(zip(("width", "height"), WIDTHS[width], strict=True)))
    page = sign_in_page(context.new_page(), live_server, "fra-planner")

    # search: a source and a kind; a text nothing matches; a region that is none
    page.goto(f"{url}/security?kind=air_attack&source=seed-000")
    rows = page.locator("#incidents tbody tr")
    assert rows.count() >= 1 and "found" in page.inner_text("#incidents-heading")
    assert all("seed-000" in t for t in rows.all_inner_texts())
    page.fill("#incident-search input[name=q]", "no such place anywhere")
    page.click("#incident-search button[type=submit]")
    page.wait_for_selector("#no-match")
    page.goto(f"{url}/security?region=Atlantis")
    assert "no region of Ukraine" in page.inner_text("#search-problem")

    # a report text, through the form
    page.goto(f"{url}/security")
    page.click("#ingest-link")
    page.wait_for_selector("#report-form")
    page.fill("#report-form textarea[name=text]", REPORT.format(day=8 if phone else 7))
    page.fill("#report-form input[name=name]", f"desk-{width}.txt")
    page.fill("#report-form input[name=publisher]", f"Desk {width}")
    assert page.input_value("#report-form input[name=marking]") == "REL TO FRA"
    page.click("#report-form button[type=submit]")
    assert "1 new report" in page.inner_text("#report-stored")

    # a bad table: its problems by row and field, nothing written
    before = _counts(live_server)
    _csv(page, "bad.csv", BAD)
    problems = page.inner_text("#table-problems")
    assert "row 2" in problems and "launched" in problems and "row 4" in problems and "time_start" in problems
    assert "Nothing was written" in problems and "reassure-uploads" not in problems
    assert page.locator("#table-confirm").count() == 0 and _counts(live_server) == before

    # a good table: checked (nothing written), then imported
    _csv(page, "good.csv", attacks_csv(7 if phone else 6, days=2))
    assert "add 2 incident(s)" in page.inner_text("#table-preview") and _counts(live_server) == before
    page.click("#table-confirm button")
    assert "2 new incident(s)" in page.inner_text("#table-imported")
    assert _counts(live_server)[0] == before[0] + 2

    # review one of them: a standing with its reason, then a comment; a marking the analyst may not write is refused
    key = f"mmau:2025-{7 if phone else 6:02d}-01T18:00/2025-{7 if phone else 6:02d}-02T08:00"
    page.goto(f"{url}/security/incidents/{quote_key(key)}")
    assert "neutralized" in page.inner_text("#accounts") and "not reported" in page.inner_text("#accounts")
    assert "—" not in page.inner_text("#accounts")
    page.select_option("#review-form select[name=standing]", "verified")
    page.fill("#review-form textarea[name=text]", "matches the Air Force post")
    page.click("#review-form button[type=submit]")
    page.wait_for_selector("#reviews li.review")
    page.fill("#review-form textarea[name=text]", "debris reported in Kyiv")
    page.fill("#review-form input[name=marking]", "REL TO DEU")
    page.click("#review-form button[type=submit]")
    assert "not released to your nation" in page.inner_text("#review-problems")
    page.fill("#review-form input[name=marking]", "REL TO FRA")
    page.click("#review-form button[type=submit]")
    page.wait_for_selector("#reviews li.review >> nth=1")
    reviews = page.inner_text("#reviews")
    assert "reviewed as verified: matches the Air Force post" in reviews
    assert "comment: debris reported in Kyiv" in reviews and "fra-planner (FRA)" in reviews
    assert _counts(live_server)[2] == before[2] + 2
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTHS[width][0]
    context.close()


def test_a_viewer_is_offered_no_monitor_form_and_is_refused(live_server: LiveServer, browser: Any) -> None:
    url = live_server.url
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    page = sign_in_page(context.new_page(), live_server, "deu-viewer")
    page.goto(f"{url}/security")
    assert page.locator("#ingest-link").count() == 0 and page.locator("#incident-search").count() == 1
    page.locator("#incidents a").first.click()
    page.wait_for_selector("#accounts")
    assert page.locator("main form[method=post]").count() == 0 and page.locator("#review-form").count() == 0
    key = page.url.split("/security/incidents/", 1)[1]
    csrf = page.get_attribute("meta[name=csrf-token]", "content") or ""
    before = _counts(live_server)
    assert page.goto(f"{url}/security/ingest").status == 403  # type: ignore[union-attr]
    answers = [
        page.request.post(f"{url}/security/ingest/report", multipart={
            "csrf": csrf, "text": REPORT.format(day=9), "publisher": "Viewer desk", "marking": "PUBLIC"}),
        page.request.post(f"{url}/security/ingest/air-attacks", multipart={
            "csrf": csrf, "marking": "PUBLIC",
            "upload": {"name": "a.csv", "mimeType": "text/csv", "buffer": attacks_csv(8, days=1).encode()}}),
        page.request.post(f"{url}/security/review", form={
            "csrf": csrf, "key": key, "text": "a comment", "marking": "PUBLIC"}),
        page.request.post(f"{url}/security/relink", form={"csrf": csrf, "report": "seed-000:x", "new": "1"})]
    assert [a.status for a in answers] == [403] * 4
    assert _counts(live_server) == before
    context.close()

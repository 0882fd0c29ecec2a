"""The registry's forms in the Debian chromium, at desktop (1366) and phone (390) width: a French planner enters a
pledge (a refused field first, named on the form), changes its status, withdraws it, uploads a bad pledge table (every
problem by row and field, nothing written) and a good one (a preview of what it changes, then written on confirm); a
German viewer is offered none of these forms, and posting them anyway is refused (403) with nothing written."""

from __future__ import annotations

from typing import Any

import pytest

from reassure.domains.audit.models import AuditEntry
from reassure.domains.pledges.models import Pledge, PledgeStatusEvent
from tests.conftest import raw_counts
from tests.scenario_io.samples import BAD_PLEDGE_TABLE, PLEDGE_TABLE
from tests.web.conftest import LiveServer, sign_in_page

pytestmark = pytest.mark.slow

WIDTHS = [1366, 390]
WIDE = "document.documentElement.scrollWidth"


def _page(browser: Any, server: LiveServer, name: str, width: int) -> Any:
    return sign_in_page(browser.new_context(viewport={"width": width, "height": 900}).new_page(), server, name)


def _fits(page: Any, width: int, where: str) -> None:
    assert page.evaluate(WIDE) <= width, f"{where} is wider than {width} px"


def upload(page: Any, text: str, scenario: str = "small", name: str = "pledges.csv") -> None:
    """Choose a pledge table for a scenario on the upload page and send it for a preview."""
    page.set_input_files("input[name=file]", files=[{"name": name, "mimeType": "text/csv",
                                                     "buffer": text.encode("utf-8")}])
    page.select_option("#upload-form select[name=scenario]", scenario)
    page.click("#preview-upload")
    page.wait_for_selector("#upload-problems, #upload-report")


@pytest.mark.parametrize("width", WIDTHS)
def test_a_planner_enters_a_pledge_changes_it_withdraws_it_and_uploads_tables(live_server: LiveServer, browser: Any,
                                                                              width: int) -> None:
    url, db = live_server.url, live_server.settings.database_url
    page = _page(browser, live_server, "fra-planner", width)
    page.goto(f"{url}/pledges?scenario=small")
    page.click("#new-pledge")
    page.wait_for_selector("#pledge-form")
    assert page.input_value("input[name=nation]") == "FRA" and page.input_value("input[name=marking]") == "REL TO FRA"
    key = f"POL-ENG-{width}"
    page.fill("input[name=key]", key)
    page.fill("input[name=nation]", "POL")
    page.select_option("select[name=capability]", "engineer_company")
    page.fill("input[name=quantity]", "lots")  # refused, by field, and nothing written
    page.fill("input[name=personnel_per_unit]", "150")
    page.check("input[name=where][value=inside]")
    page.fill("input[name=available_from]", "2027-01-01")
    page.fill("input[name=available_to]", "2027-12-31")
    page.fill("input[name=max_tour]", "6")
    page.fill("input[name=min_dwell]", "6")
    page.check("input[name=conditions][value=us_backstop]")
    page.select_option("select[name=status]", "offered")
    page.fill("input[name=status_date]", "2026-05-01")
    page.fill("input[name=marking]", "REL TO FRA, POL")
    before = raw_counts(db, Pledge)
    page.click("#add-pledge")
    page.wait_for_selector("#form-problems")
    assert "units: expected a count" in page.text_content("#form-problems")
    assert raw_counts(db, Pledge) == before
    _fits(page, width, "the new-pledge form")
    page.fill("input[name=quantity]", "1-3~2")  # the form came back with every other field as typed
    page.click("#add-pledge")
    page.wait_for_url(f"**/pledges/small/{key}")
    assert "offered" in page.text_content("#pledge-history") and "REL TO FRA, POL" in page.text_content("main")
    page.select_option("#status-form select[name=status]", "confirmed")
    page.fill("#status-form input[name=on_date]", "2026-06-01")
    page.click("#change-status")
    page.wait_for_function("() => document.querySelector('#pledge-history').textContent.includes('confirmed')")
    page.fill("#status-form input[name=on_date]", "2026-01-01")  # before the last step: refused, nothing written
    page.click("#change-status")
    page.wait_for_selector("#form-message")
    assert "forward in time" in page.text_content("#form-message")
    page.fill("#withdraw-form input[name=on_date]", "2026-07-01")
    page.click("#withdraw")
    page.wait_for_function("() => document.querySelector('#pledge-history').textContent.includes('withdrawn')")
    assert page.text_content("#pledge-history").count(":") == 3
    _fits(page, width, "the pledge page with its forms")
    page.goto(f"{url}/pledges?scenario=small")
    page.click("#upload-link")
    before = raw_counts(db, Pledge, AuditEntry)
    upload(page, BAD_PLEDGE_TABLE)
    problems = [row.inner_text() for row in page.locator("#upload-problems tbody tr").all()]
    assert len(problems) == 3 and "nothing was written" in page.text_content("#upload-refused").lower()
    assert any("row 2" in p and "nation" in p and "unknown nation code 'XXX'" in p for p in problems), problems
    assert any("row 3" in p and "quantity" in p for p in problems) and any("row 3" in p and "max_tour" in p
                                                                           for p in problems), problems
    assert not page.locator("#confirm-upload").count() and raw_counts(db, Pledge, AuditEntry) == before
    _fits(page, width, "the upload's problems")
    upload(page, PLEDGE_TABLE)
    report = page.text_content("#upload-report")
    assert "pledges" in report and "nothing is written yet" in page.text_content("#upload-summary")
    assert raw_counts(db, Pledge, AuditEntry) == before  # a preview writes nothing
    page.click("#confirm-upload")
    page.wait_for_selector("#upload-written")
    page.goto(f"{url}/pledges?scenario=small")
    keys = page.locator("table.pledges tbody a").all_inner_texts()
    assert "POL-LOG" in keys and "ITA-FRG" in keys and key not in keys  # the table is the scenario's pledges now
    page.context.close()


def test_a_viewer_is_offered_no_registry_form_and_posting_one_is_refused(live_server: LiveServer,
                                                                         browser: Any) -> None:
    url, db = live_server.url, live_server.settings.database_url
    page = _page(browser, live_server, "deu-viewer", WIDTHS[0])
    for width in WIDTHS:  # the same page, offering nothing, at both widths
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(f"{url}/pledges?scenario=small")
        assert not page.locator("#new-pledge, #upload-link, #registry-actions").count()
        page.locator("table.pledges tbody a").first.click()
        page.wait_for_selector("#pledge-history")
        assert not page.locator("main form, main button").count()
        _fits(page, width, "the viewer's pledge page")
    pledge_path = page.url.removeprefix(url)
    for path in ("/pledges/new?scenario=small", "/imports"):
        assert page.goto(f"{url}{path}").status == 403
        assert not page.locator("main form").count()
    csrf = page.get_attribute("meta[name=csrf-token]", "content") or ""
    before = raw_counts(db, Pledge, PledgeStatusEvent, AuditEntry)
    posts = [page.request.post(f"{url}{pledge_path}/status", form={"status": "withdrawn", "on_date": "2027-02-01",
                                                                   "csrf": csrf}),
             page.request.post(f"{url}/pledges/new?scenario=small",
                               form={"key": "DEU-X", "nation": "DEU", "csrf": csrf}),
             page.request.post(f"{url}/imports/preview", multipart={
                 "csrf": csrf, "scenario": "small",
                 "file": {"name": "p.csv", "mimeType": "text/csv", "buffer": PLEDGE_TABLE.encode()}}),
             page.request.post(f"{url}/imports/confirm", form={"upload_id": "x" * 32, "sha256": "0" * 64,
                                                               "csrf": csrf})]
    assert [p.status for p in posts] == [403] * 4, [p.text()[:300] for p in posts]
    assert raw_counts(db, Pledge, PledgeStatusEvent, AuditEntry) == before
    page.context.close()


def test_an_analyst_verifies_a_pledge_on_its_page(live_server: LiveServer, browser: Any) -> None:
    """docs/adr/0042: a shortfall without the units found is refused by field, nothing written; with them, the
    pledge's standing follows and the verification is listed (1366 px; the 390 px page is in the widths walk)."""
    from reassure.domains.verifications.models import Verification

    url, db = live_server.url, live_server.settings.database_url
    page = _page(browser, live_server, "fra-planner", WIDTHS[0])
    page.goto(f"{url}/pledges/illustrative/FRA-MCM")  # a bundled pledge: the uploads above replace "small"'s
    assert "no verification on record" in page.text_content("#pledge-verification")
    page.fill("#verify-form input[name=on_date]", "2026-11-02")
    page.select_option("#verify-form select[name=kind]", "visit")
    page.select_option("#verify-form select[name=finding]", "shortfall")
    page.select_option("#verify-form select[name=readiness]", "high")
    page.fill("#verify-form input[name=notice]", "2")
    page.fill("#verify-form input[name=source]", "JFC visit team")
    page.fill("#verify-form input[name=grade]", "B2")
    before = raw_counts(db, Verification)
    page.click("#verify")
    page.wait_for_selector("#form-problems")
    assert "found: a shortfall needs the number of units found" in page.text_content("#form-problems")
    assert raw_counts(db, Verification) == before
    page.fill("#verify-form input[name=on_date]", "2026-11-02")
    page.select_option("#verify-form select[name=finding]", "shortfall")
    page.fill("#verify-form input[name=found]", "1")
    page.fill("#verify-form input[name=source]", "JFC visit team")
    page.fill("#verify-form input[name=grade]", "B2")
    page.click("#verify")
    page.wait_for_url("**/pledges/illustrative/FRA-MCM#verification")
    assert page.text_content("#pledge-verification") == \
        "verified with shortfall 2026-11-02: 1 of 2 units found (visit, B2)"
    assert "JFC visit team" in page.text_content("#verifications")
    page.context.close()

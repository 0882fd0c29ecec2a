"""Every page at desktop width (1366×768) and at phone width (390×844), in the Debian chromium: no page is wider than
its viewport (the page never scrolls sideways; a wide table scrolls inside its own box, named and reachable by
keyboard, or stacks as cards), and at phone width the navigation is collapsed into a menu that opens and whose links
work. The widths measured are written to widths.json in the test's temporary folder.

Also the common operating picture (docs/adr/0039) at both widths: the map page draws the oblasts shaded for one period
with their names and a key, the planned force and the contributors on the whole world (the Americas and Oceania drawn
inside the map); the time control changes the period shown; the command page draws the command tree as a tree with
its OPCON/TACON relations and lists every contributor in the legal matrix."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from reassure.core.identity import Role
from reassure.db.uow import unit_of_work
from reassure.domains.planning.problem import problem_and_marking, problem_json
from reassure.domains.plans.actions import store_plan
from reassure.domains.pledges.service import list_pledges
from reassure.planner.solver.baseline import greedy_plan
from tests.conftest import who
from tests.scenario_io.samples import BAD_PLEDGE_TABLE
from tests.web.conftest import MAP_DRAWN, PASSWORD, LiveServer, need_boundaries, sign_in_page
from tests.web.pages.test_registry import upload

pytestmark = pytest.mark.slow

WIDTHS = {"desktop": (1366, 768), "phone": (390, 844)}
READY = {"overview": "#map[data-ready='1']", "plan": "#gantt[data-ready='1']",
         "security": "#attacks-chart[data-ready='1']", "map": "#world-map[data-ready='1']"}
# The page's width against its viewport, and what sticks out past the viewport's right edge (for the message).
MEASURE = """() => {
  const width = window.innerWidth;
  const out = [];
  document.querySelectorAll("body *").forEach((el) => {
    const box = el.getBoundingClientRect();
    if (box.right > width + 1 && box.width > 0 && !el.closest(".table-scroll, .chart, .leaflet-container")) {
      const classes = el.className && el.className.baseVal === undefined
        ? "." + String(el.className).trim().split(/\\s+/).join(".") : "";
      out.push(el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") + classes + " " + Math.round(box.right));
    }
  });
  return {scroll: document.documentElement.scrollWidth, viewport: width, out: out.slice(0, 6)};
}"""


def _pages(browser: Any, server: LiveServer, size: tuple[int, int]) -> Iterator[tuple[str, Any]]:
    """Open each page the dashboard has, as the role that sees it; yield its name and the page showing it."""
    url = server.url

    def context() -> Any:
        return browser.new_context(viewport={"width": size[0], "height": size[1]})

    def signed_in(name: str) -> Any:
        return sign_in_page(context().new_page(), server, name)

    page = context().new_page()
    page.goto(f"{url}/sign-in")
    yield "sign-in", page
    page.goto(f"{url}/api/v1/docs")
    page.wait_for_selector("#swagger-ui .info", timeout=20_000)
    yield "api-docs", page
    page.context.close()
    page = signed_in("fra-planner")
    csrf = page.get_attribute("meta[name=csrf-token]", "content")
    job = page.request.post(f"{url}/api/v1/jobs", data=json.dumps({"kind": "rules"}),
                            headers={"X-CSRF-Token": csrf or "", "Content-Type": "application/json"}).json()
    yield "overview", page
    page.goto(f"{url}/pledges")
    yield "pledges", page
    page.goto(f"{url}/pledges?scenario=small")
    page.locator("table.pledges tbody a").first.click()
    page.wait_for_selector("#pledge-history")
    yield "pledge", page
    page.goto(f"{url}/pledges/new?scenario=small")
    yield "pledge-new", page
    page.goto(f"{url}/imports?scenario=small")
    upload(page, BAD_PLEDGE_TABLE)  # refused: the problems by row and field, nothing written
    yield "imports", page
    page.goto(f"{url}/plan?id={server.fra_plan}")
    yield "plan", page
    page.goto(f"{url}/jobs/{job['id']}")
    yield "job", page
    page.goto(f"{url}/command")
    yield "command", page
    page.goto(f"{url}/followups")
    yield "followups", page
    page.goto(f"{url}/asks")
    yield "asks", page
    page.goto(f"{url}/map")
    page.wait_for_selector(MAP_DRAWN, timeout=30_000)
    yield "map", page
    page.goto(f"{url}/security")
    yield "security", page
    page.locator("#incidents a").first.click()
    page.wait_for_selector("#accounts")
    yield "incident", page
    page.goto(f"{url}/security/ingest")
    yield "ingest", page
    page.goto(f"{url}/jobs/2147483647")
    yield "error", page
    page.goto(f"{url}/sessions")
    yield "sessions", page
    page.context.close()
    page = signed_in("fra-admin")
    page.goto(f"{url}/admin")
    yield "admin", page
    page.goto(f"{url}/sessions?user=fra-planner")
    yield "sessions-of-user", page
    page.context.close()
    page = signed_in("deu-viewer")
    yield "overview-viewer", page
    page.goto(f"{url}/plan")
    yield "plan-viewer", page
    page.context.close()
    page = signed_in("gbr-viewer")  # Britain has chosen no landing page: it is asked to choose
    page.wait_for_selector("#scenario-choices")
    yield "choose", page
    page.context.close()


def measure(browser: Any, server: LiveServer, size: tuple[int, int]) -> dict[str, dict[str, Any]]:
    """Return, page by page, its scroll width, its viewport's width and what sticks out past the viewport."""
    found = {}
    for name, page in _pages(browser, server, size):
        if selector := READY.get(name):
            page.wait_for_selector(selector, timeout=20_000)
        page.wait_for_timeout(200)  # charts and the map settle their size
        found[name] = page.evaluate(MEASURE)
    return found


@pytest.mark.parametrize("width", list(WIDTHS))
def test_no_page_is_wider_than_its_viewport(live_server: LiveServer, browser: Any, width: str,
                                            tmp_path: Path) -> None:
    """Each width measured by its own test (a module fixture measuring both was built again in each test worker)."""
    pages = measure(browser, live_server, WIDTHS[width])
    (tmp_path / "widths.json").write_text(json.dumps(pages, indent=1), encoding="utf-8")  # for a failing run
    assert len(pages) == 23
    assert all(p["viewport"] == WIDTHS[width][0] for p in pages.values())
    wide = {name: p for name, p in pages.items() if p["scroll"] > p["viewport"]}
    assert not wide, json.dumps(wide, indent=1)


def test_at_phone_width_the_menu_is_collapsed_and_its_links_work(live_server: LiveServer, browser: Any) -> None:
    url = live_server.url
    page = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    page.goto(f"{url}/sign-in")
    page.fill("input[name=name]", "fra-admin")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{url}/")
    assert not page.is_visible("a[data-nav=pledges]") and not page.is_visible("button:has-text('Sign out')")
    assert page.is_visible("#menu > summary")
    page.click("#menu > summary")
    assert page.is_visible("a[data-nav=admin]") and page.is_visible("button:has-text('Sign out')")
    page.click("a[data-nav=pledges]")
    page.wait_for_url("**/pledges")
    # The pledges stack as cards, each cell under its column's name; the page is as wide as the phone.
    cell = page.locator("table.pledges tbody tr").first.locator("td").nth(3)
    assert cell.get_attribute("data-label") == "capability"
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    # A table too wide for the phone scrolls in its own box: named, and reachable by keyboard.
    page.goto(f"{url}/security")
    box = page.locator(".table-scroll:has(#incidents)")
    assert box.get_attribute("tabindex") == "0" and box.get_attribute("role") == "region"
    assert "Incidents" in (box.get_attribute("aria-label") or "")
    box.focus()
    page.keyboard.press("ArrowRight")
    page.wait_for_function("() => document.querySelector('.table-scroll:has(#incidents)').scrollLeft > 0")
    page.context.close()


def test_at_desktop_width_the_menu_is_a_row_of_links_and_the_gantt_fits(live_server: LiveServer,
                                                                       browser: Any) -> None:
    url = live_server.url
    page = browser.new_context(viewport={"width": 1366, "height": 768}).new_page()
    page.goto(f"{url}/sign-in")
    page.fill("input[name=name]", "fra-planner")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{url}/")
    assert not page.is_visible("#menu > summary") and page.is_visible("a[data-nav=security]")
    page.goto(f"{url}/plan?id={live_server.fra_plan}")
    page.wait_for_selector("#gantt[data-ready='1']", timeout=20_000)
    fits = page.evaluate("() => [document.getElementById('gantt').scrollWidth, "
                         "document.getElementById('gantt').clientWidth]")
    assert fits[0] <= fits[1] + 1, fits
    # A table that fits is no tab stop of its own.
    assert page.locator(".table-scroll:has(#gaps)").get_attribute("tabindex") is None
    page.context.close()


# --- the common operating picture (docs/adr/0039): on this module's server, at both widths ---------------------

# Each country's drawn box against the map's: inside it (a country cropped out would be outside or absent).
INSIDE = """(names) => {
  const svg = document.querySelector('#world-map svg');
  const box = svg.getBoundingClientRect();
  return names.map((name) => {
    const shape = Array.from(svg.querySelectorAll('path[aria-label]'))
      .find((p) => p.getAttribute('aria-label').startsWith(name + ':'));
    if (!shape) { return name + ': absent'; }
    const r = shape.getBoundingClientRect();
    return r.width > 0 && r.left >= box.left - 1 && r.right <= box.right + 1 && r.top >= box.top - 1 &&
      r.bottom <= box.bottom + 1 ? name + ': inside' : name + ': cropped';
  });
}"""


@pytest.fixture(scope="module")
def planned(live_server: LiveServer) -> LiveServer:
    """France's baseline plan of the illustrative scenario (the greedy plan: quick), the force the map draws."""
    with unit_of_work(live_server.settings, identity=who("FRA", Role.PLANNER)) as db:
        problem, marking = problem_and_marking("illustrative", db=db)
        store_plan(db=db, scenario="illustrative", problem=problem_json(problem), plan=greedy_plan(problem),
                   rel_to=marking, settings={"method": "greedy"})
    return live_server


@pytest.mark.parametrize("size", [(1366, 768), (390, 844)], ids=["desktop", "phone"])
def test_the_map_draws_one_period_with_names_key_force_and_the_whole_world(planned: LiveServer, browser: Any,
                                                                        size: tuple[int, int]) -> None:
    need_boundaries()
    context = browser.new_context(viewport={"width": size[0], "height": size[1]})
    page = sign_in_page(context.new_page(), planned, "fra-planner")
    if size[0] < 700:
        page.click("#menu > summary")
    page.click("a[data-nav=map]")
    page.wait_for_selector("#theatre-map[data-ready='1'] svg", timeout=30_000)
    page.wait_for_selector("#world-map[data-ready='1'] svg", timeout=30_000)
    # France's data ends on 4 September 2025 (the bundled accounts): the default is August, the last whole month
    shown = page.inner_text("#period-shown")
    assert shown.startswith("Incidents in August 2025") and "all dates" not in page.inner_text("main")
    names = page.locator("#theatre-map svg text").all_text_contents()
    assert {"Kharkiv", "Lviv", "Odessa", "Crimea"} <= set(names)  # the oblasts' names as text on the map
    assert any("incidents, August 2025" in t for t in names) and any("units planned" in t for t in names)
    assert "grey: no incident released" in page.inner_text("#map-legend")
    force = page.locator("#theatre-map svg path[aria-label*='planning assumption']").count()
    assert force >= 5 and page.locator("#force-by-sector tbody tr").count() >= 6
    assert page.locator("#region-counts tbody tr").count() >= 27
    assert page.evaluate(INSIDE, ["United States", "Canada", "Australia", "New Zealand", "France"]) == [
        "United States: inside", "Canada: inside", "Australia: inside", "New Zealand: inside", "France: inside"]
    assert page.evaluate("document.documentElement.scrollWidth") <= size[0]
    if size[0] < 700:
        context.close()
        return
    # The time control (the same form at both widths): a step back, then a week of February, partial
    page.click("#period-previous")
    page.wait_for_selector("#theatre-map[data-ready='1'] svg", timeout=30_000)
    assert page.inner_text("#period-shown").startswith("Incidents in July 2025")
    page.select_option("#period-every", "week")
    page.fill("#period-at", "2025-02-05")
    page.click("#time-control button[type=submit]")
    page.wait_for_selector("#theatre-map[data-ready='1'] svg", timeout=30_000)
    assert page.inner_text("#period-shown").startswith("Incidents in week of 3 February 2025")
    assert "partial: the data covers 6 of 7 days" in page.inner_text("#period-shown")  # the feed stops on 8 February
    context.close()


def test_the_command_tree_is_a_tree_and_the_legal_matrix_lists_every_contributor(live_server: LiveServer,
                                                                                 browser: Any) -> None:
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    page = sign_in_page(context.new_page(), live_server, "fra-planner")
    page.goto(f"{live_server.url}/command?scenario=illustrative")
    tree = page.locator("#command-tree")
    # Nested lists: the sectors sit under the land component under the coalition HQ, each joined by its relation
    sector = tree.locator("li.node[data-key='MNFU-HQ'] > ul > li.node[data-key='LCC'] > ul > li[data-key='SEC-WEST']")
    assert sector.locator("> .relation").inner_text() == "TACON (tactical control)"
    land = tree.locator("li.node[data-key='LCC']")
    assert land.locator("> .relation").inner_text() == "OPCON (operational control)"
    assert "lead United Kingdom" in land.locator("> .node-box").inner_text()
    connector = page.evaluate("getComputedStyle(document.querySelector(\"li[data-key='SEC-WEST']\"), '::before')"
                              ".borderLeftStyle")
    assert connector == "solid"
    rows = {r.get_attribute("data-nation"): r for r in page.locator("#legal-matrix tbody tr").all()}
    with unit_of_work(live_server.settings, identity=who("FRA")) as db:
        pledged = {p.nation for p in list_pledges(db=db, scenario="illustrative")}
    assert pledged and pledged <= set(rows)  # every contributor has a row
    assert "missing" in rows["AUS"].inner_text() and "Australia" in rows["AUS"].inner_text()
    assert "in force" in rows["FRA"].inner_text()
    context.close()

def test_a_viewer_prepares_the_brief_as_a_job_and_downloads_it(live_server: LiveServer, browser: Any) -> None:
    """The dashboard's brief is a job (docs/adr/0040): a viewer starts it, its page shows the progress and then a
    download named after the day it was prepared; a bad map period is refused with its reason, no job started; a
    viewer of another nation gets 404 for the file, as for an absent job. At 1366 and at 390 px (one brief rendered,
    its page seen at both), no page is wider than its viewport."""
    from reassure.brief.files import prepared_day

    url, name = live_server.url, f"reassure-brief-small-{prepared_day().isoformat()}.pdf"
    context = browser.new_context(viewport={"width": 1366, "height": 768}, accept_downloads=True)
    page = sign_in_page(context.new_page(), live_server, "gbr-viewer")
    page.goto(f"{url}/?scenario=small")
    page.fill("#brief-map-period", "2026-13")
    page.click("#brief-start")
    assert "expected a month" in page.inner_text("main") and "/jobs/" not in page.url
    page.goto(f"{url}/?scenario=small")
    page.select_option("#brief-format", "staff")
    page.fill("#brief-map-period", "all")
    page.click("#brief-start")
    page.wait_for_url(f"{url}/jobs/job_*")
    assert page.inner_text("#job-state") in ("queued", "running", "done") and page.is_visible("#job-status progress")
    page.wait_for_selector("#job-status[data-state=done], #job-status[data-state=failed]", timeout=60_000)
    assert page.get_attribute("#job-status", "data-state") == "done", page.inner_text("#job-status")
    assert "all dates" in page.inner_text("#job-status")
    job_url = page.url
    for width, height in WIDTHS.values():
        page.set_viewport_size({"width": width, "height": height})
        for shown in (job_url, f"{url}/?scenario=small"):
            page.goto(shown)
            measured = page.evaluate(MEASURE)
            assert measured["scroll"] <= width, (shown, measured)
        page.goto(job_url)
        with page.expect_download() as waiting:
            page.click("#job-file")
        download = waiting.value
        assert download.suggested_filename == name
        with open(download.path(), "rb") as pdf:
            assert pdf.read(5) == b"%PDF-"
    other = sign_in_page(browser.new_context().new_page(), live_server, "deu-viewer")
    hidden, absent = (other.request.get(f"{url}/jobs/{j}/file")
                      for j in (job_url.rsplit("/", 1)[-1], "job_aaaaaaaaaaaaaaaa"))
    assert hidden.status == absent.status == 404
    context.close()
    other.context.close()

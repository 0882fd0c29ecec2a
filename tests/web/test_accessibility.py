"""Every page scanned by axe-core (pinned in web-assets/package.json) in the Debian chromium, at desktop width and
at phone width (390 px): no violation of critical or serious impact, nothing outside a landmark, and, on these pages
with normal data, no Content-Security-Policy violation, no console error and no failed request (the favicon
included)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from tests.scenario_io.samples import BAD_PLEDGE_TABLE
from tests.web.conftest import MAP_DRAWN, LiveServer, sign_in_page
from tests.web.pages.test_registry import upload

pytestmark = pytest.mark.slow

AXE = Path(__file__).resolve().parents[2] / "web-assets" / "node_modules" / "axe-core" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa", "best-practice"]
WIDTHS = {"desktop": (1400, 1000), "phone": (390, 844)}
WATCH = """
window.__csp = [];
document.addEventListener('securitypolicyviolation', (e) => {
  window.__csp.push(e.violatedDirective + ' ' + (e.blockedURI || '') + ' ' + (e.sample || ''));
});
"""
MISSING = "/jobs/2147483647"
READY = {"overview": "#map[data-ready='1']", "plan": "#gantt[data-ready='1']",
         "security": "#attacks-chart[data-ready='1']", "map": "#world-map[data-ready='1']"}


@dataclass
class Scan:
    """What the scans found, page by page."""

    violations: list[str] = field(default_factory=list)
    outside: list[str] = field(default_factory=list)
    csp: list[str] = field(default_factory=list)
    console: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    pages: list[str] = field(default_factory=list)

    def problems(self) -> dict[str, list[str]]:
        """Everything that should not be there."""
        return {"critical or serious": self.violations, "outside landmarks": self.outside, "csp": self.csp,
                "console errors": self.console, "failed requests": self.failed}


def _axe() -> str:
    if not AXE.is_file():
        pytest.fail(f"axe-core is not installed ({AXE}): npm ci --prefix web-assets")
    return AXE.read_text(encoding="utf-8")


def _context(browser: Any, size: tuple[int, int], scan: Scan) -> Any:
    context = browser.new_context(viewport={"width": size[0], "height": size[1]}, accept_downloads=True)
    context.add_init_script(WATCH)
    context.on("console", lambda m: scan.console.append(f"{m.type}: {m.text} ({m.location.get('url', '')})")
               if m.type == "error" else None)
    context.on("response", lambda r: scan.failed.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    return context


def _sign_in(context: Any, server: LiveServer, name: str) -> Any:
    return sign_in_page(context.new_page(), server, name)


def _check(page: Any, name: str, scan: Scan, axe: str) -> None:
    """Scan the page with axe-core (evaluated through the driver, not as a page script) and note what it finds."""
    if selector := READY.get(name):
        page.wait_for_selector(selector, timeout=20_000)
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(axe)
    found = page.evaluate("(tags) => axe.run(document, {runOnly: {type: 'tag', values: tags}, "
                          "resultTypes: ['violations']}).then((r) => r.violations.map((v) => ({id: v.id, "
                          "impact: v.impact, help: v.help, "
                          "nodes: v.nodes.map((n) => n.target.join(' ')).slice(0, 4)})))",
                          TAGS)
    scan.pages.append(name)
    icon = page.get_attribute("link[rel=icon]", "href") if page.locator("link[rel=icon]").count() else None
    if icon != "/static/favicon.svg":
        scan.failed.append(f"{name}: no <link rel=icon> to the favicon ({icon})")
    for v in found:
        line = f"{name}: {v['id']} ({v['impact']}) {v['help']}: {', '.join(v['nodes'])}"
        if v["impact"] in ("critical", "serious"):
            scan.violations.append(line)
        elif v["id"] == "region":
            scan.outside.append(line)
    scan.csp += [f"{name}: {c}" for c in page.evaluate("window.__csp || []")]


def _walk(server: LiveServer, browser: Any, size: tuple[int, int], scan: Scan, axe: str) -> None:
    url = server.url
    context = _context(browser, size, scan)
    page = context.new_page()
    page.goto(f"{url}/sign-in")
    _check(page, "sign-in", scan, axe)
    page.close()
    page = _sign_in(context, server, "fra-planner")
    csrf = page.get_attribute("meta[name=csrf-token]", "content")
    job = page.request.post(f"{url}/api/v1/jobs", data=json.dumps({"kind": "rules"}),
                            headers={"X-CSRF-Token": csrf or "", "Content-Type": "application/json"}).json()
    _check(page, "overview", scan, axe)
    page.goto(f"{url}/pledges")
    _check(page, "pledges", scan, axe)
    page.select_option("select[name=domain]", "air")  # the htmx partial
    page.wait_for_url("**domain=air**")
    page.wait_for_timeout(300)
    _check(page, "pledges-filtered", scan, axe)
    page.locator("table.pledges tbody a").first.click()
    page.wait_for_selector("#pledge-history")
    _check(page, "pledge", scan, axe)
    page.goto(f"{url}/pledges/new?scenario=small")
    _check(page, "pledge-new", scan, axe)
    page.goto(f"{url}/imports?scenario=small")
    upload(page, BAD_PLEDGE_TABLE)
    scan.failed = [f for f in scan.failed if "/imports/preview" not in f]  # the refused upload's own status (422)
    scan.console = [c for c in scan.console if "/imports/preview" not in c]
    _check(page, "imports", scan, axe)
    page.goto(f"{url}/plan?id={server.fra_plan}")
    _check(page, "plan", scan, axe)
    # Under the policy: a chart's export action still saves a file, and the plan picker (its handler now in
    # app.js) still opens the chosen plan.
    export = page.locator("#gantt .vega-actions a:visible", has_text="SVG")
    if export.count():
        with page.expect_download() as saved:
            export.click()
        assert saved.value.suggested_filename.endswith(".svg")
    else:
        scan.failed.append("plan: no visible link saves the chart")
    with page.expect_navigation():
        page.dispatch_event("#plan-picker", "change")
    assert f"id={server.fra_plan}" in page.url
    page.goto(f"{url}/jobs/{job['id']}")
    _check(page, "job", scan, axe)
    page.goto(f"{url}/command")
    _check(page, "command", scan, axe)
    page.goto(f"{url}/followups")
    _check(page, "followups", scan, axe)
    page.goto(f"{url}/asks")  # an ask sent: the answer form
    _check(page, "asks", scan, axe)
    page.goto(f"{url}/map")
    page.wait_for_selector(MAP_DRAWN, timeout=30_000)
    _check(page, "map", scan, axe)
    page.goto(f"{url}/security")
    _check(page, "security", scan, axe)
    page.locator("#incidents a").first.click()
    page.wait_for_selector("#accounts")
    _check(page, "incident", scan, axe)
    page.goto(f"{url}/security/ingest")  # an analyst's forms (report text, air-attack table)
    _check(page, "ingest", scan, axe)
    page.goto(f"{url}{MISSING}")  # an error page (404)
    scan.console = [c for c in scan.console if MISSING not in c]  # the page's own status, logged as an error
    scan.failed = [f for f in scan.failed if MISSING not in f]
    _check(page, "error", scan, axe)
    page.goto(f"{url}/sessions")
    _check(page, "sessions", scan, axe)
    context.close()
    context = _context(browser, size, scan)
    page = _sign_in(context, server, "fra-admin")
    page.goto(f"{url}/admin")
    _check(page, "admin", scan, axe)
    page.goto(f"{url}/sessions?user=fra-planner")  # an admin's view of another user's sessions
    _check(page, "sessions-of-user", scan, axe)
    context.close()
    context = _context(browser, size, scan)
    page = _sign_in(context, server, "gbr-viewer")  # Britain has chosen no landing page: it is asked to choose
    page.wait_for_selector("#scenario-choices")
    _check(page, "choose", scan, axe)
    context.close()


@pytest.mark.parametrize("width", list(WIDTHS))
def test_every_page_passes_axe_with_no_csp_violation_or_console_error(live_server: LiveServer, browser: Any,
                                                                      width: str) -> None:
    scan = Scan()
    _walk(live_server, browser, WIDTHS[width], scan, _axe())
    context = browser.new_context()
    for path, kind in (("/favicon.ico", "image/x-icon"), ("/static/favicon.svg", "image/svg+xml")):
        answer = context.request.get(f"{live_server.url}{path}")
        if answer.status != 200 or answer.headers.get("content-type", "").split(";")[0] != kind:
            scan.failed.append(f"{answer.status} {answer.headers.get('content-type')} {path}")
    context.close()
    assert len(scan.pages) == 21
    problems = scan.problems()
    assert not any(problems.values()), json.dumps(problems, indent=1)

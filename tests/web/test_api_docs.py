"""The API docs page in Chromium, offline and under a strict Content-Security-Policy (no inline script, no eval): it
renders every operation from the local spec with local assets, has an Authorize button, and a call made from it
with a token answers as that token's user. Any request to another site is blocked and fails the test."""

from __future__ import annotations

from typing import Any

from tests.api.conftest import Api
from tests.web.conftest import LiveServer

# What a strict policy allows: everything from this server only, no inline script or style, no eval.
STRICT = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
          "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'")


def test_the_docs_page_renders_offline_with_an_authorize_button(live_server: LiveServer, browser: Any) -> None:
    token = Api(live_server.settings.database_url).token("FRA")
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    elsewhere: list[str] = []

    def only_here(route: Any) -> None:
        url = route.request.url
        if not url.startswith(live_server.url) and not url.startswith("data:"):
            elsewhere.append(url)
            route.abort()
            return
        response = route.fetch()
        route.fulfill(response=response, headers={**response.headers, "content-security-policy": STRICT})

    context.route("**/*", only_here)
    page = context.new_page()
    page.add_init_script("window.violations = []; document.addEventListener('securitypolicyviolation', "
                         "e => window.violations.push(e.violatedDirective + ' ' + e.blockedURI));")
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.goto(f"{live_server.url}/api/v1/docs")
    page.wait_for_selector(".opblock", timeout=30_000)
    assert page.locator(".opblock").count() >= 35
    assert page.get_by_text("/api/v1/incidents.{fmt}").count() >= 1

    page.locator(".auth-wrapper button.authorize").click()
    dialog = page.locator(".auth-container").first
    dialog.locator("input").first.fill(token)
    dialog.locator("button.authorize").click()
    page.locator("button.btn-done").first.click()

    me = page.locator("#operations-admin-me_api_v1_me_get")
    me.locator(".opblock-summary").click()
    me.locator("button.try-out__btn").click()
    me.locator("button.execute").click()
    status = me.locator(".live-responses-table tbody td.response-col_status").first
    status.wait_for(timeout=20_000)
    assert status.inner_text().strip().startswith("200")
    body = me.locator(".live-responses-table .microlight, .live-responses-table pre").first
    assert '"nation": "FRA"' in body.inner_text()

    assert elsewhere == [], elsewhere
    assert page.evaluate("window.violations") == []
    assert not [p for p in problems if "Content Security Policy" in p or "Refused" in p], problems
    context.close()

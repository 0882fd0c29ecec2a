"""Security headers on every kind of response (pages, API, static files, redirects, errors of every status, the
unexpected 500), the brief's own policy, the favicon, and templates and scripts that insert data as text only."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from reassure.brief.render import HEADER_POLICY
from reassure.settings import Settings
from reassure.web.app import create_server
from reassure.web.headers import HEADERS, POLICY
from tests.api.conftest import Api

WEB = Path(__file__).resolve().parents[2] / "src" / "reassure" / "web"
BRIEF_TEMPLATES = WEB.parent / "brief" / "templates"


@pytest.fixture
def client(settings: Settings) -> TestClient:
    """The whole server (API, pages, static files), with two routes that fail unexpectedly."""
    app = create_server(settings)

    def boom() -> None:
        raise RuntimeError("an unexpected failure")

    app.add_api_route("/api/v1/boom", boom)
    app.add_api_route("/boom", boom)
    return TestClient(app, raise_server_exceptions=False, follow_redirects=False)


@pytest.fixture
def api(db_url: str) -> Api:
    """An API client bound to the migrated test database."""
    return Api(db_url)


def _strict(answer: object) -> None:
    headers = answer.headers  # type: ignore[attr-defined]
    for name, value in HEADERS.items():
        assert headers.get(name) == value, (answer, name)  # type: ignore[attr-defined]


def test_every_kind_of_response_carries_the_security_headers(client: TestClient) -> None:
    answers = {
        "sign-in page": client.get("/sign-in"),
        "redirect to sign in": client.get("/security"),
        "API without credentials (401)": client.get("/api/v1/scenarios"),
        "API unknown route (404)": client.get("/api/v1/nowhere"),
        "API wrong method (405)": client.delete("/api/v1/health"),
        "API health": client.get("/api/v1/health"),
        "OpenAPI": client.get("/api/v1/openapi.json"),
        "static script": client.get("/static/app.js"),
        "static missing (404)": client.get("/static/nothing.js"),
        "favicon": client.get("/favicon.ico"),
        "page form error (403)": client.post("/sign-in", data={"name": "a", "password": "b"}),
        "unexpected API error (500)": client.get("/api/v1/boom"),
        "unexpected page error (500)": client.get("/boom"),
    }
    statuses = {name: answer.status_code for name, answer in answers.items()}
    assert statuses["unexpected API error (500)"] == 500 and statuses["unexpected page error (500)"] == 500
    assert statuses["redirect to sign in"] == 303 and statuses["API wrong method (405)"] == 405
    for answer in answers.values():
        _strict(answer)


def test_the_policy_allows_no_inline_script_eval_or_other_origin() -> None:
    directives = dict(part.split(" ", 1) for part in POLICY.split("; "))
    assert directives["default-src"] == "'none'" and directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'" and directives["connect-src"] == "'self'"
    assert directives["object-src"] == "'none'" and directives["base-uri"] == "'none'"
    assert directives["frame-ancestors"] == "'none'" and directives["form-action"] == "'self'"
    assert directives["img-src"] == "'self' data:"
    assert "unsafe" not in POLICY and "*" not in POLICY and "http" not in POLICY


def test_the_favicon_is_an_icon(client: TestClient) -> None:
    ico = client.get("/favicon.ico")
    assert ico.status_code == 200 and ico.headers["content-type"] == "image/x-icon"
    assert ico.content[:4] == b"\x00\x00\x01\x00" and ico.content[4] == 3  # an ICO of three images
    assert b"\x89PNG" in ico.content
    svg = client.get("/static/favicon.svg")
    assert svg.status_code == 200 and svg.headers["content-type"] == "image/svg+xml"


@pytest.mark.slow
def test_the_brief_html_has_its_own_policy_without_script(api: Api, client: TestClient, tmp_path: Path) -> None:
    api.load_sample(tmp_path)
    answer = client.get("/api/v1/brief", params={"format": "html", "scenario": "small"}, headers=api.headers("FRA"))
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-security-policy"] == HEADER_POLICY
    assert "script-src" not in HEADER_POLICY and HEADER_POLICY.startswith("default-src 'none'")
    meta = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">', answer.text)
    assert meta and html.unescape(meta.group(1)) == HEADER_POLICY.replace("; frame-ancestors 'none'", "")
    assert answer.text.index("Content-Security-Policy") < answer.text.index("<style>")  # before what it governs
    assert answer.headers["x-content-type-options"] == "nosniff"


def test_templates_insert_data_as_text_only() -> None:
    """No template marks data safe, handles an event inline, styles inline (the dashboard's) or runs inline script;
    app.js never parses a string as HTML or code."""
    found = []
    for path in [*WEB.joinpath("templates").glob("*.html"), *BRIEF_TEMPLATES.glob("*.html")]:
        text = path.read_text(encoding="utf-8")
        for pattern in (r"\|\s*safe", r"Markup", r"autoescape\s+false", r"\son[a-z]+\s*=", r"javascript:",
                        r"<script(?![^>]*\bsrc=)",
                        r"\{\{(?!\s*\"[a-z]+\" if )[^}]*\}\}(?=[^<>\"']*>)"):  # a value as a bare attribute
            found += [f"{path.name}: {m.group(0)!r}" for m in re.finditer(pattern, text)]
        if path.parent.name == "templates" and path.parent.parent == WEB:
            found += [f"{path.name}: inline style {m.group(0)!r}" for m in re.finditer(r"\sstyle\s*=", text)]
            found += [f"{path.name}: unquoted attribute {m.group(0)!r}"
                      for m in re.finditer(r"\s[a-z-]+=\{\{", text)]
    script = WEB.joinpath("static", "app.js").read_text(encoding="utf-8")
    for pattern in (r"innerHTML", r"outerHTML", r"insertAdjacentHTML", r"document\.write", r"\beval\(",
                    r"new Function", r"bindTooltip\([^()]*\+"):
        found += [f"app.js: {m.group(0)!r}" for m in re.finditer(pattern, script)]
    assert not found, found

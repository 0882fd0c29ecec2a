"""The web's own conventions on the served app (API and pages): a 405 lists the path's methods in `Allow`, HEAD
answers every GET route like GET without a body, large data responses are gzipped (never HTML: BREACH), responses
holding marked data are `no-store`, reads carry an ETag computed from the caller's own body and answer 304 to it,
429 and 503 carry `Retry-After`, a body that is not JSON is 400 (a JSON body against its schema 422), and request
bodies and heads are bounded (413, 431) before anything reads them."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from fastapi import HTTPException
from fastapi.routing import iter_route_contexts
from fastapi.testclient import TestClient

from reassure.core.errors import Unavailable
from reassure.db.uow import lookup_session, unit_of_work
from reassure.domains.incidents.actions import import_ucdp
from reassure.domains.users.actions import hash_password
from reassure.domains.users.models import User
from reassure.settings import Settings
from reassure.web.app import create_server
from tests.api.conftest import Api, attacks_csv
from tests.conftest import who

PASSWORD = "correct horse battery staple"
STANDARD = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE")
GZIP = {"Accept-Encoding": "gzip"}


@dataclass
class Served:
    """The served app (API and pages) on a database with the sample scenario, a stored plan and incidents; a
    French planner's token, a German analyst's token and a signed-in French browser."""

    settings: Settings
    client: TestClient
    browser: TestClient
    api: Api
    values: dict[str, str]

    def get(self, path: str, nation: str = "FRA", **headers: str) -> Any:
        """GET a path of the served app with a token of a user of `nation`."""
        return self.client.get(path, headers={**self.api.headers(nation), **headers})


def _sign_in(client: TestClient, name: str) -> None:
    page = client.get("/sign-in").text
    found = re.search(r'name="form_token" value="([^"]+)"', page)
    assert found is not None
    answer = client.post("/sign-in", data={"name": name, "password": PASSWORD, "next": "/",
                                           "form_token": found.group(1)})
    assert answer.status_code == 303, answer.text


@pytest.fixture
def served(db_url: str, tmp_path: Path) -> Iterator[Served]:
    api = Api(db_url)
    api.load_sample(tmp_path)
    plan = api.store_sample_plan("FRA")
    api.ingest(tmp_path, attacks_csv(1), nation="DEU", marking="PUBLIC")
    events = tmp_path / "ucdp.csv"
    events.write_text(ucdp_csv(60), encoding="utf-8")
    with unit_of_work(api.settings, identity=who("DEU")) as db:
        import_ucdp(events, db=db, rel_to="PUBLIC")
    with lookup_session(api.settings) as db:
        db.add(User(name="fra-web", nation="FRA", roles=["analyst", "planner"], active=True,
                    password_hash=hash_password(PASSWORD)))
    app = create_server(api.settings)
    client = TestClient(app, raise_server_exceptions=False, follow_redirects=False)
    browser = TestClient(app, raise_server_exceptions=False, follow_redirects=False)
    _sign_in(browser, "fra-web")
    incident = client.get("/api/v1/incidents", headers=api.headers("FRA")).json()["items"][0]["key"]
    job = client.post("/api/v1/jobs", json={"kind": "rules"}, headers=api.headers("FRA")).json()["id"]
    values = {"name": "small", "scenario": "small", "key": "FRA-FS", "plan_id": str(plan), "other_id": str(plan),
              "job_id": str(job), "rule_id": "sanctions-review-mass-attacks", "key:path": incident, "fmt": "csv",
              "session_id": "ses_aaaaaaaaaaaaaaaa", "token_id": "tok_aaaaaaaaaaaaaaaa",
              "channel_id": "chan_aaaaaaaaaaaaaaaa", "delivery_id": "dlv_aaaaaaaaaaaaaaaa",
              "ask_id": "ask_aaaaaaaaaaaaaaaa", "followup_id": "fup_aaaaaaaaaaaaaaaa",
              "movement_id": "mov_aaaaaaaaaaaaaaaa", "ask": "ask_aaaaaaaaaaaaaaaa",
              "sweep_id": "sweep_aaaaaaaaaaaaaaaa"}
    yield Served(api.settings, client, browser, api, values)
    client.close()
    browser.close()


def ucdp_csv(events: int) -> str:
    """Return a UCDP event file of located events (so that the GeoJSON export has features)."""
    head = ("id,type_of_violence,date_start,date_end,best,low,high,where_prec,event_clarity,number_of_sources,"
            "date_prec,code_status,latitude,longitude,adm_1,side_a,side_b\n")
    return head + "".join(
        f"{900000 + i},1,2022-03-{1 + i % 28:02d},2022-03-{1 + i % 28:02d},3,2,5,1,1,2,1,Clear,{48 + i / 50:.3f},"
        f"{30 + i / 40:.3f},Kyiv city,Government of Russia (Soviet Union),Government of Ukraine\n"
        for i in range(events))


def routes(app: Any) -> list[tuple[str, set[str]]]:
    """Return every route of the app as (path template, methods), methods of one path merged (mounts left out)."""
    merged: dict[str, set[str]] = {}
    for route in iter_route_contexts(app.router.routes):
        if route.methods:
            merged.setdefault(str(route.path), set()).update(route.methods)
    return sorted(merged.items())


def fill(template: str, values: dict[str, str]) -> str:
    """Return a concrete path for a template, with the served data's names and ids."""
    return re.sub(r"\{([^}]+)\}", lambda m: values[m.group(1)], template)


# --- 405 and Allow -----------------------------------------------------------------------------------------------

def test_a_405_lists_every_method_its_path_answers(served: Served) -> None:
    checked = 0
    for template, methods in routes(served.client.app):
        expected = set(methods) | ({"HEAD"} if "GET" in methods else set())
        for method in (m for m in STANDARD if m not in expected):
            answer = served.client.request(method, fill(template, served.values), headers=served.api.headers("FRA"))
            assert answer.status_code == 405, (method, template, answer.status_code)
            allow = {m.strip() for m in answer.headers.get("allow", "").split(",") if m.strip()}
            assert allow == expected, (method, template, answer.headers.get("allow"))
            assert method == "HEAD" or answer.json()["error"]["code"] == "method_not_allowed"
            checked += 1
    static = served.client.request("DELETE", "/static/app.css")
    assert static.status_code == 405 and static.headers["allow"] == "GET, HEAD"
    assert checked > 150


# --- HEAD --------------------------------------------------------------------------------------------------------

VOLATILE = {"/sign-in", "/api/v1/brief"}  # a fresh form token, a generation time: the body changes on each call
SAME = ("content-type", "cache-control", "content-encoding", "vary", "allow", "location", "retry-after")


def test_head_answers_every_get_route_like_get_without_a_body(served: Served) -> None:
    checked = []
    for template, methods in routes(served.client.app):
        if "GET" not in methods:
            continue
        path = fill(template, served.values) + ("?format=html" if template == "/api/v1/brief" else "")
        api = template.startswith("/api/")
        client = served.client if api else served.browser
        headers = {**(served.api.headers("FRA") if api else {}), **GZIP}
        get, head = client.get(path, headers=headers), client.head(path, headers=headers)
        assert head.status_code == get.status_code, (template, head.status_code, get.status_code, head.text)
        assert head.content == b"", template
        for name in SAME if template in VOLATILE else (*SAME, "content-length", "etag"):
            assert head.headers.get(name) == get.headers.get(name), (template, name)
        checked.append((template, get.status_code))
    assert all(status < 500 for _, status in checked), checked  # 403: admin pages; 404: no boundaries configured
    assert sum(status == 200 for _, status in checked) > 40, checked


# --- gzip --------------------------------------------------------------------------------------------------------

def test_large_data_responses_are_gzipped_and_decompress_to_the_same_body(served: Served) -> None:
    for path in ("/api/v1/incidents.geojson", "/api/v1/incidents.json", "/api/v1/incidents.csv",
                 "/api/v1/incidents?limit=100", "/api/v1/openapi.json", "/static/vendor/vega.min.js"):
        plain = served.client.get(path, headers={**served.api.headers("FRA"), "Accept-Encoding": "identity"})
        packed = served.client.get(path, headers={**served.api.headers("FRA"), **GZIP})
        assert plain.status_code == packed.status_code == 200, path
        assert "content-encoding" not in plain.headers, path
        assert packed.headers["content-encoding"] == "gzip", path
        assert "Accept-Encoding" in packed.headers["vary"] and "Accept-Encoding" in plain.headers["vary"], path
        assert packed.content == plain.content, path  # the test client decodes gzip
        assert int(packed.headers["content-length"]) < len(plain.content), path


def test_html_small_and_cross_site_responses_are_not_compressed(served: Served) -> None:
    for path in ("/", "/pledges", "/security"):  # a CSRF token next to text from data: BREACH
        page = served.browser.get(path, headers=GZIP)
        assert page.status_code == 200 and "content-encoding" not in page.headers, path
    brief = served.get("/api/v1/brief?format=html&scenario=small", **GZIP)
    assert brief.status_code == 200 and "content-encoding" not in brief.headers
    small = served.get("/api/v1/me", **GZIP)
    assert small.status_code == 200 and "content-encoding" not in small.headers
    other_site = served.get("/api/v1/incidents.geojson", **GZIP, **{"Sec-Fetch-Site": "cross-site"})
    assert other_site.status_code == 200 and "content-encoding" not in other_site.headers


# --- Cache-Control -----------------------------------------------------------------------------------------------

def test_responses_with_marked_data_are_no_store(served: Served) -> None:
    for path in ("/api/v1/pledges", "/api/v1/scenarios/small", "/api/v1/incidents.csv", "/api/v1/incidents.geojson",
                 "/api/v1/scenarios/small/pledges.xlsx", "/api/v1/scenarios/small/export.yaml",
                 f"/api/v1/plans/{served.values['plan_id']}/tours.ics", "/api/v1/brief?format=html",
                 "/api/v1/no-such-thing", "/api/v1/scenarios/no-such"):
        answer = served.get(path)
        assert answer.headers.get("cache-control") == "no-store", (path, answer.status_code)
    assert served.client.get("/api/v1/pledges").headers["cache-control"] == "no-store"  # 401
    for path in ("/", "/pledges", "/plan", "/security", "/admin", "/sign-in"):
        assert served.browser.get(path).headers.get("cache-control") == "no-store", path
    assert served.client.get("/").headers.get("cache-control") == "no-store"  # the redirect to sign in
    assert served.client.get("/api/v1/health").headers["cache-control"] == "no-store"
    assert served.client.get("/api/v1/openapi.json").headers["cache-control"] == "no-cache"
    assert served.client.get("/static/app.css").headers["cache-control"] == "no-cache"


# --- ETag and 304 ------------------------------------------------------------------------------------------------

def test_reads_carry_an_etag_of_their_body_and_answer_304_to_it(served: Served) -> None:
    for path in ("/api/v1/pledges", "/api/v1/incidents.geojson", "/api/v1/scenarios/small/pledges.csv"):
        for extra in ({"Accept-Encoding": "identity"}, GZIP):
            first = served.get(path, **extra)
            etag = first.headers["etag"]
            assert first.status_code == 200 and etag, path
            again = served.get(path, **extra, **{"If-None-Match": etag})
            assert again.status_code == 304 and again.content == b"", (path, extra)
            assert again.headers["etag"] == etag and again.headers["cache-control"] == "no-store"
            assert served.get(path, **extra, **{"If-None-Match": 'W/"other"'}).status_code == 200
    plain = served.get("/api/v1/pledges", **{"Accept-Encoding": "identity"})
    assert plain.headers["etag"] == f'W/"{hashlib.sha256(plain.content).hexdigest()[:32]}"'


def test_an_etag_tells_nothing_of_what_another_nation_changes(served: Served, tmp_path: Path) -> None:
    before = served.get("/api/v1/incidents", "DEU").headers["etag"]
    fra_before = served.get("/api/v1/incidents", "FRA").headers["etag"]
    served.api.ingest(tmp_path, attacks_csv(3), nation="FRA", marking=",FRA,")  # hidden from DEU
    assert served.get("/api/v1/incidents", "DEU").headers["etag"] == before
    assert served.get("/api/v1/incidents", "FRA").headers["etag"] != fra_before


def test_no_etag_on_unsafe_methods(served: Served) -> None:
    answer = served.client.post("/api/v1/jobs", json={"kind": "rules"}, headers=served.api.headers("FRA"))
    assert answer.status_code == 202 and "etag" not in answer.headers
    assert answer.headers["cache-control"] == "no-store"
    cancel = served.client.delete(f"/api/v1/jobs/{answer.json()['id']}", headers=served.api.headers("FRA"))
    assert "etag" not in cancel.headers


# --- Retry-After -------------------------------------------------------------------------------------------------

def test_every_429_and_503_says_when_to_retry(served: Served) -> None:
    app = served.client.app

    def starlette_503() -> None:
        raise HTTPException(503, "maintenance")

    def unavailable() -> None:
        raise Unavailable("the database is locked")

    def starlette_429() -> None:
        raise HTTPException(429, "slow down")

    for name, endpoint in (("s503", starlette_503), ("u503", unavailable), ("s429", starlette_429)):
        app.add_api_route(f"/api/v1/test-{name}", endpoint, methods=["GET"])  # type: ignore[attr-defined]
    for name in ("s503", "u503", "s429"):
        answer = served.client.get(f"/api/v1/test-{name}")
        assert answer.status_code in (429, 503) and int(answer.headers["retry-after"]) >= 1, name
        assert answer.json()["error"]["code"] in ("unavailable", "too_many_requests"), name


# --- 400 versus 422 ----------------------------------------------------------------------------------------------

def test_a_body_that_is_not_json_is_400_and_a_bad_json_body_422(served: Served) -> None:
    headers = served.api.headers("FRA")
    for content, kind in ((b'{"kind": "rules"', "application/json"), (b"kind=rules", "application/json"),
                          (b'{"kind": "rules"}', "text/plain"), (b"\xff\xfe", "application/json")):
        answer = served.client.post("/api/v1/jobs", content=content, headers={**headers, "Content-Type": kind})
        assert answer.status_code == 400, (content, kind, answer.text)
        assert answer.json()["error"]["code"] == "bad_request" and "JSON" in answer.json()["error"]["message"]
    wrong = served.client.post("/api/v1/jobs", json={"kind": "rules", "at": "yesterday"}, headers=headers)
    assert wrong.status_code == 422 and wrong.json()["error"]["problems"][0]["field"] == "rules.at"
    assert served.client.post("/api/v1/jobs", json=[1, 2], headers=headers).status_code == 422


# --- bounds ------------------------------------------------------------------------------------------------------

def test_a_body_over_the_limit_is_413_before_it_is_read(served: Served) -> None:
    limit = served.settings.max_body_bytes
    headers = {**served.api.headers("FRA"), "Content-Type": "application/json"}
    declared = served.client.post("/api/v1/jobs", content=b" " * (limit + 1), headers=headers)
    assert declared.status_code == 413 and declared.json()["error"]["code"] == "too_large"
    assert f"{limit:,}" in declared.json()["error"]["message"]
    read: list[int] = []

    def chunks() -> Iterator[bytes]:  # no Content-Length: the server counts what it reads
        for _ in range(limit // 65536 + 10):
            read.append(1)
            yield b" " * 65536

    streamed = served.client.post("/api/v1/jobs", content=chunks(), headers=headers)
    assert streamed.status_code == 413 and streamed.json()["error"]["code"] == "too_large"
    assert served.client.post("/api/v1/jobs", json={"kind": "rules"}, headers=headers).status_code == 202
    page = served.browser.post("/sign-out", content=b"csrf=" + b"x" * (limit + 1),
                               headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert page.status_code == 413


def test_a_request_head_over_the_limit_is_431(served: Served) -> None:
    limit = served.settings.max_header_bytes
    answer = served.client.get("/api/v1/me", headers={**served.api.headers("FRA"), "X-Padding": "x" * limit})
    assert answer.status_code == 431 and answer.json()["error"]["code"] == "header_too_large"
    assert served.get("/api/v1/me", **{"X-Padding": "x" * 1000}).status_code == 200


def test_one_etag_names_a_body_in_every_content_coding(served: Served) -> None:
    packed = served.get("/api/v1/incidents.geojson", **GZIP)
    identity = served.get("/api/v1/incidents.geojson", **{"Accept-Encoding": "identity"})
    assert packed.headers["content-encoding"] == "gzip" and "content-encoding" not in identity.headers
    assert packed.headers["etag"] == identity.headers["etag"] and packed.headers["etag"].startswith('W/"')


def test_an_oversized_request_costs_no_session_lookup(served: Served, monkeypatch: pytest.MonkeyPatch) -> None:
    from reassure.web import session

    def looked_up(*_: Any, **__: Any) -> None:
        raise AssertionError("the session was looked up for a request refused anyway")

    monkeypatch.setattr(session, "identify", looked_up)
    client = TestClient(served.client.app, raise_server_exceptions=False, follow_redirects=False)
    client.cookies.set(session.COOKIE, "a-session-secret")
    big = served.settings.max_body_bytes + 1
    refused = client.post("/plan/solve", content=b"x" * big,
                          headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert refused.status_code == 413 and refused.headers["cache-control"] == "no-store"
    header = client.get("/", headers={"X-Padding": "x" * served.settings.max_header_bytes})
    assert header.status_code == 431

"""No failing buttons: for each role (viewer, analyst, planner, admin, and a planner of another nation), every page of
the dashboard it reaches (crawled from its links, so a page or form added later is covered too) is read for its
forms, and every form that writes (method post) is sent back as the page offers it, each of its submit buttons in
turn. A form offered to a user is one its action accepts for them: never refused (401, 403) nor answered as absent
(404). Bad input (400, 409, 422: a field left as the page gave it) is the action's own answer, not a refusal.

In-process (TestClient) on SQLite, with no job worker: a job a form starts stays queued."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from html.parser import HTMLParser
from typing import Any
from urllib.parse import parse_qs, urljoin, urlsplit

import pytest
from fastapi.testclient import TestClient
from starlette.routing import Match

from reassure import migrations as migrate
from reassure.core.identity import Role
from reassure.db.uow import engine_for, lookup_session, unit_of_work
from reassure.domains.preferences.actions import set_default_scenario
from reassure.domains.requests.actions import create_ask, send_ask
from reassure.domains.users.actions import hash_password
from reassure.domains.users.models import User
from reassure.settings import Settings
from reassure.web.app import create_server
from tests.api.conftest import Api, attacks_csv
from tests.conftest import who

PASSWORD = "correct horse battery staple"
# The planners go first: the jobs their forms start (queued) are on the others' pages, with the forms of a job.
USERS = {"fra-plans": ("FRA", ["planner"]), "gbr-plans": ("GBR", ["planner"]), "fra-viewer": ("FRA", ["viewer"]),
         "fra-analyst": ("FRA", ["analyst"]), "fra-admin": ("FRA", ["admin"])}
ACCEPTED = {200, 201, 202, 204, 303, 400, 409, 422}  # done, or the action's answer to the page's default input
SKIPPED = ("/api/", "/static/", "/sign-in")
MAX_PAGES = 40
# Forms that end the signed-in session go last, so the rest are sent while it lives.
LAST = ((re.compile(r"^/sessions/"), 1), (re.compile(r"/password$"), 2), (re.compile(r"^/sign-out$"), 3))


@dataclass
class Form:
    """A form as the page offers it: where it goes, its fields with the page's values, its submit buttons."""

    action: str
    method: str
    fields: list[tuple[str, str]] = field(default_factory=list)
    buttons: list[tuple[str, str]] = field(default_factory=list)


class Forms(HTMLParser):
    """Read a page's links and forms (inputs, checked boxes, selects' chosen options, submit buttons)."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._select: tuple[str, list[str], str | None] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "a" and "href" in a:
            self.links.append(a["href"])
        elif tag == "form":
            self._form = Form(a.get("action", ""), a.get("method", "get").lower())
            self.forms.append(self._form)
        elif self._form is None or ("name" not in a and tag != "button"):
            return
        elif tag == "input":
            kind = a.get("type", "text")
            if kind == "submit":
                self._form.buttons.append((a["name"], a.get("value", "")))
            elif kind not in ("checkbox", "radio") or "checked" in a:
                self._form.fields.append((a["name"], a.get("value", "")))
        elif tag == "button" and a.get("type", "submit") == "submit":
            self._form.buttons.append((a.get("name", ""), a.get("value", "")))
        elif tag == "select":
            self._select = (a["name"], [], None)
        elif tag == "option" and self._select is not None:
            name, options, chosen = self._select
            options.append(a.get("value", ""))
            self._select = (name, options, a.get("value", "") if "selected" in a else chosen)
        elif tag == "textarea":
            self._form.fields.append((a["name"], ""))

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "select" and self._select is not None and self._form is not None:
            name, options, chosen = self._select
            if options:
                self._form.fields.append((name, chosen if chosen is not None else options[0]))
            self._select = None


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Settings, str]]:
    """A database with the sample scenario, a stored French plan, incidents and a user of each role; the plan's id."""
    folder = tmp_path_factory.mktemp("forms")
    settings = Settings(database_url=f"sqlite:///{folder / 'forms.sqlite'}")
    migrate.upgrade(engine_for(settings))
    stored = hash_password(PASSWORD)
    with lookup_session(settings) as db:
        for name, (nation, roles) in USERS.items():
            db.add(User(name=name, nation=nation, roles=roles, active=True, password_hash=stored))
    api = Api(settings.database_url)
    api.load_sample(folder)
    plan = api.store_sample_plan("FRA")  # REL TO FRA, GBR: Britain's planner sees it, and may not ask with it
    api.ingest(folder, attacks_csv(2), nation="FRA", marking=",FRA,")
    for nation in ("FRA", "GBR"):
        with unit_of_work(settings, identity=who(nation, Role.ADMIN)) as db:
            set_default_scenario("small", db=db)
    with unit_of_work(settings, identity=who("FRA", Role.PLANNER)) as db:  # France sends one, Britain answers one
        for quantity in (2, 1):  # drafted for France's crawl; sent, for Britain's whichever crawl runs first
            ask = create_ask("small", db=db, nation="GBR", capability="fighter_squadron", quantity=quantity,
                             tasks=["AIR-WEST"], available_from=date(2027, 1, 1), available_to=date(2027, 6, 30),
                             marking="REL TO FRA, GBR", on_date=date.today() - timedelta(days=1))
        send_ask(ask.id, db=db, on_date=date.today())
    yield settings, plan


def _sign_in(client: TestClient, name: str, password: str) -> str:
    """Sign the client in; return its session's CSRF token."""
    token = re.search(r'name="form_token" value="([^"]+)"', client.get("/sign-in").text)
    assert token is not None
    answer = client.post("/sign-in", data={"name": name, "password": password, "next": "/", "form_token": token[1]})
    assert answer.status_code == 303, (name, answer.text[:300])
    csrf = re.search(r'name="csrf-token" content="([^"]+)"', client.get("/sessions").text)
    assert csrf is not None
    return csrf[1]


def _route(client: TestClient, path: str) -> str | None:
    """Return the route template a path answers to (pages of one template are read once), None for none."""
    scope = {"type": "http", "method": "GET", "path": path}

    def routes(found: list[Any]) -> Iterator[Any]:
        for route in found:  # an included router (its routes' paths as written: the pages' have no prefix)
            yield from routes(route.original_router.routes) if hasattr(route, "original_router") else [route]

    for route in routes(client.app.routes):  # type: ignore[attr-defined]
        if route.matches(scope)[0] is Match.FULL:
            return str(route.path)
    return None


def _crawl(client: TestClient, seeds: list[str]) -> tuple[list[str], list[Form]]:
    """Read every page reachable by links from the seeds (each seed, then one page of each route); return the pages
    read and the forms that write, each once."""
    queue, seen, read, forms, sent = list(seeds), set(), [], [], set()
    while queue and len(read) < MAX_PAGES:
        url = queue.pop(0)
        parts = urlsplit(url)
        if not parts.path.startswith("/") or parts.path.startswith(SKIPPED) or parts.netloc:
            continue
        key = (_route(client, parts.path), frozenset(parse_qs(parts.query)) if url in seeds else None)
        if key in seen or key[0] is None:
            continue
        seen.add(key)
        answer = client.get(url)
        if answer.status_code != 200 or "text/html" not in answer.headers.get("content-type", ""):
            continue
        read.append(url)
        page = Forms()
        page.feed(answer.text)
        queue.extend(urljoin(url, link) for link in page.links)
        for form in page.forms:
            identity = (form.action, tuple(form.fields), tuple(form.buttons))
            if form.method == "post" and identity not in sent:
                sent.add(identity)
                forms.append(form)
    return read, forms


def _order(form: Form) -> int:
    return next((rank for pattern, rank in LAST if pattern.search(form.action)), 0)


@pytest.mark.parametrize("user", list(USERS))
def test_every_form_offered_to_a_role_is_accepted_for_it(served: tuple[Settings, str], user: str) -> None:
    settings, plan = served
    client = TestClient(create_server(settings), follow_redirects=False)
    password = PASSWORD
    csrf = _sign_in(client, user, password)
    seeds = ["/", f"/plan?id={plan}", "/plan", "/pledges?scenario=small", "/sessions", "/admin", "/security"]
    read, forms = _crawl(client, seeds)
    assert {"/", "/pledges?scenario=small", "/security", "/sessions"} <= set(read) and len(read) >= 8, read
    failing = []
    for form in sorted(forms, key=_order):
        for name, value in form.buttons or [("", "")]:
            data = [(k, csrf if k == "csrf" else v) for k, v in [*form.fields, *([(name, value)] if name else [])]]
            body: dict[str, list[str]] = {}
            for k, v in data:
                body.setdefault(k, []).append(v)
            answer = client.post(form.action, data=body)
            if answer.status_code not in ACCEPTED:
                reason = re.search(r'role="alert"[^>]*>([^<]+)<', answer.text)
                failing.append(f"{form.action} {name}={value}: {answer.status_code} {reason[1] if reason else ''}")
            shown = re.search(r"Password of ([^<]+) reset</h2>.*?<code id=\"shown-secret\">([^<]+)</code>",
                              answer.text, re.S)
            if shown is not None and shown[1] == user:
                password = shown[2]  # an admin reset their own password: sign in with the new one
            if form.action != "/sign-out" and client.get("/sessions").status_code == 303:
                csrf = _sign_in(client, user, password)  # a form ended this session (as offered): go on signed in
    assert not failing, failing
    # the asks page is crawled: France sends its ask to Britain, whose planner then answers it
    step = {"fra-plans": "/send", "gbr-plans": "/answer"}.get(user)
    assert step is None or any(f.action.startswith("/asks/") and f.action.endswith(step) for f in forms), forms
    if user == "fra-viewer":  # a viewer is offered their own sessions, signing out and preparing a brief, nothing else
        assert {f.action for f in forms if not f.action.startswith("/sessions/")} == {"/sign-out", "/brief"}, forms

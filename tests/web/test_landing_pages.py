"""Landing pages each nation chooses (over HTTP, no browser), on SQLite and PostgreSQL: pages and briefs open on the
reader's nation's default scenario, set by its admin; a PUBLIC scenario named `aaa-…` that another nation's planner
imports becomes nobody's landing page or brief; with no default, a page lists what the reader sees and asks."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

import pytest
from fastapi.testclient import TestClient

from reassure.db.uow import lookup_session, unit_of_work
from reassure.domains.scenarios.importing import import_document
from reassure.domains.users.actions import hash_password
from reassure.domains.users.models import User
from reassure.scenario_io.load import load_document
from reassure.settings import Settings
from reassure.web.app import create_server
from tests.api.conftest import Api
from tests.conftest import who
from tests.scenario_io.samples import VALID, write

PASSWORD = "correct horse battery staple"
USERS = (("fra-admin", "FRA", ["admin"]), ("fra-viewer", "FRA", ["viewer"]), ("gbr-viewer", "GBR", ["viewer"]),
         ("deu-planner", "DEU", ["planner"]), ("deu-admin", "DEU", ["admin"]))
AAA = VALID.replace("name: small", "name: aaa-first").replace("title: Small test scenario", "title: First by name") \
    .replace("    marking: REL TO GBR, FRA\n", "")


@dataclass
class Site:
    settings: Settings
    folder: Path

    def browser(self, name: str) -> tuple[TestClient, str]:
        """Return a client signed in as a stored user, and the CSRF token of its session."""
        client = TestClient(create_server(self.settings), follow_redirects=False)
        form = client.get("/sign-in").text
        token = re.search(r'name="form_token" value="([^"]+)"', form).group(1)  # type: ignore[union-attr]
        signed = client.post("/sign-in", data={"name": name, "password": PASSWORD, "next": "/", "form_token": token})
        assert signed.status_code == 303, signed.text
        csrf = re.search(r'name="csrf-token" content="([^"]+)"', client.get("/security").text)
        assert csrf is not None
        return client, csrf.group(1)


@pytest.fixture
def site(db_url: str, tmp_path: Path) -> Site:
    settings = Settings(database_url=db_url)
    with lookup_session(settings) as db:
        for name, nation, roles in USERS:
            db.add(User(name=name, nation=nation, roles=roles, active=True, password_hash=hash_password(PASSWORD)))
    Api(db_url).load_sample(tmp_path)  # a French planner imports "small"
    return Site(settings, tmp_path)


def landing(client: TestClient, path: str = "/") -> str:
    """Return what a page opened on: 'choose' (the list that asks), or the scenario it shows."""
    page = client.get(path)
    assert page.status_code == 200, page.text
    if 'id="scenario-choices"' in page.text:
        return "choose"
    found = (re.search(r'name="scenario" value="([^"]+)"', page.text) or re.search(r"scenario=([^\"&]+)", page.text)
             or re.search(r"Command and legal status — (\S+)", page.text))
    assert found is not None, page.text[:2000]
    return unquote(found.group(1))


def brief(client: TestClient) -> str:
    """Return the scenario of the reader's default brief, or the error it answers."""
    answer = client.get("/api/v1/brief", params={"format": "html"})
    if answer.status_code != 200:
        return f"{answer.status_code}: {answer.json()['error']['message']}"
    found = re.search(r'filename="reassure-brief-(.+)-\d{4}-\d{2}-\d{2}\.html"', answer.headers["content-disposition"])
    assert found is not None
    return found.group(1)


def test_another_nations_public_aaa_scenario_changes_no_landing_page_or_brief(site: Site) -> None:
    admin, csrf = site.browser("fra-admin")
    chosen = admin.post("/admin/default-scenario", data={"scenario": "small", "csrf": csrf})
    readers = {name: site.browser(name)[0] for name in ("fra-admin", "fra-viewer", "gbr-viewer", "deu-planner")}
    pages = ("/", "/pledges", "/command", "/plan")

    def picture() -> dict[str, object]:
        return {name: ([landing(client, path) for path in pages], brief(client)) for name, client in readers.items()}

    before = picture()
    with unit_of_work(site.settings, identity=who("DEU")) as db:  # a German planner's PUBLIC import, first by name
        import_document(load_document(write(site.folder, AAA, "aaa.yaml")), db=db, origin="aaa.yaml")
    assert picture() == before
    assert chosen.status_code == 303
    assert before["fra-viewer"] == (["small"] * 4, "small") and before["fra-admin"] == before["fra-viewer"]
    assert before["gbr-viewer"][0] == ["choose"] * 4 and str(before["gbr-viewer"][1]).startswith("422: ")
    gbr = readers["gbr-viewer"].get("/").text
    assert "aaa-first" in gbr and "small" in gbr and "Make default" not in gbr  # listed, chosen by nobody


def test_the_page_that_asks_lists_what_the_reader_sees_and_lets_an_admin_choose(site: Site) -> None:
    viewer, _ = site.browser("fra-viewer")
    page = viewer.get("/pledges").text
    assert 'id="scenario-choices"' in page and 'href="/pledges?scenario=small"' in page
    assert "/admin/default-scenario" not in page  # only admins are offered the choice
    assert landing(viewer, "/pledges?scenario=small") == "small"  # opening one does not set it
    assert landing(viewer) == "choose"
    admin, csrf = site.browser("fra-admin")
    page = admin.get("/command").text
    assert 'action="/admin/default-scenario"' in page and f'name="csrf" value="{csrf}"' in page
    refused = admin.post("/admin/default-scenario", data={"scenario": "small", "next": "/command"})
    assert refused.status_code == 403 and landing(viewer) == "choose"  # no CSRF token: nothing set
    made = admin.post("/admin/default-scenario", data={"scenario": "small", "next": "/command", "csrf": csrf})
    assert made.status_code == 303 and made.headers["location"] == "/command"
    assert landing(viewer) == "small" and landing(admin, "/command") == "small"
    deu, deu_csrf = site.browser("deu-admin")
    assert landing(deu) == "choose"  # France's choice is France's alone
    hidden = deu.post("/admin/default-scenario", data={"scenario": "no-such", "csrf": deu_csrf})
    assert hidden.status_code == 404
    settings = admin.get("/admin").text
    assert 'id="set-default-scenario"' in settings and "open on <strong>small</strong>" in settings
    cleared = admin.post("/admin/default-scenario/clear", data={"csrf": csrf})
    assert cleared.status_code == 303 and landing(viewer) == "choose"


def test_the_plan_page_opens_on_the_readers_own_nations_newest_plan(site: Site) -> None:
    admin, csrf = site.browser("fra-admin")
    admin.post("/admin/default-scenario", data={"scenario": "small", "csrf": csrf})
    api = Api(site.settings.database_url)
    own = api.store_sample_plan("FRA")
    other = api.store_sample_plan("DEU")  # newer, PUBLIC, visible to France: listed, never France's default
    viewer, _ = site.browser("fra-viewer")
    page = viewer.get("/plan").text
    assert f'<code id="plan-id">{own}</code>' in page and f'value="{other}"' in page
    assert '<p id="plan-distance">This plan is ' in page and "the best possible plan with these pledges" in page
    assert f'<code id="plan-id">{other}</code>' in viewer.get(f"/plan?id={other}").text
    # Both briefs are offered, on the plan and on the overview: the minister's two pages and the staff brief
    for fmt in ("minister", "staff"):
        assert f'href="/api/v1/brief?format={fmt}&amp;plan_id={own}"' in page
        assert f'href="/api/v1/brief?format={fmt}&amp;scenario=small"' in viewer.get("/").text
    deu, deu_csrf = site.browser("deu-admin")
    deu.post("/admin/default-scenario", data={"scenario": "small", "csrf": deu_csrf})
    assert f'<code id="plan-id">{other}</code>' in deu.get("/plan").text


@pytest.mark.parametrize("path", ["/plan?id={n}", "/jobs/{n}"])
def test_pages_take_public_ids_only(site: Site, path: str) -> None:
    plan = Api(site.settings.database_url).store_sample_plan("FRA")
    admin, csrf = site.browser("fra-admin")
    unknown = admin.get(path.format(n="plan_" + "a" * 16 if "plan" in path else "job_" + "a" * 16))
    assert unknown.status_code == 404
    for value in ("1", "2", "0", "abc", plan.upper()):
        answer = admin.get(path.format(n=value))
        assert answer.status_code == 404 and ("no plan" in answer.text or "no job" in answer.text), answer.text
    for form in ("/jobs/1/cancel", "/plan/1/without-us-backstop", "/plan/1/verified-only", "/plan/1/asks"):
        assert admin.post(form, data={"csrf": csrf}).status_code == 404

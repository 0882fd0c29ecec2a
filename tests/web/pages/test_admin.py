"""The admin page's forms over HTTP, on SQLite and PostgreSQL: each is the audited action the CLI calls, for the
accounts of the admin's own nation only; a refused or bad form answers the page with the reason and writes nothing;
a secret is shown once; a non-admin's forged form is refused; a preview renders no write control."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from reassure.core.identity import Identity, Role
from reassure.db.uow import lookup_session
from reassure.domains.users.actions import hash_password
from reassure.domains.users.models import ApiToken, User
from reassure.domains.users.service import find_user
from reassure.settings import Settings
from reassure.web.app import create_server
from tests.conftest import raw_counts

PASSWORD = "correct horse battery staple"


def signed_in(settings: Settings, name: str, password: str = PASSWORD) -> tuple[TestClient, str]:
    """Return a client signed in as a stored user and its CSRF token."""
    client = TestClient(create_server(settings), follow_redirects=False)
    token = re.search(r'name="form_token" value="([^"]+)"', client.get("/sign-in").text)
    assert token is not None
    answer = client.post("/sign-in", data={"name": name, "password": password, "next": "/", "form_token": token[1]})
    assert answer.status_code == 303, answer.text
    csrf = re.search(r'name="csrf-token" content="([^"]+)"', client.get("/sessions").text)
    assert csrf is not None
    return client, csrf[1]



def new_signed_in(settings: Settings, name: str, nation: str, roles: list[str]) -> tuple[TestClient, str]:
    """Store a user of `nation` with `roles` and this module's password; return a client signed in as them."""
    with lookup_session(settings) as db:
        db.add(User(name=name, nation=nation, roles=roles, active=True, password_hash=hash_password(PASSWORD)))
    return signed_in(settings, name)

@pytest.fixture
def accounts(db_url: str) -> Settings:
    settings = Settings(database_url=db_url)
    stored = hash_password(PASSWORD)
    with lookup_session(settings) as db:
        for name, nation, roles in (("fra-admin", "FRA", ["admin"]), ("fra-planner", "FRA", ["planner"]),
                                    ("deu-admin", "DEU", ["admin"]), ("deu-viewer", "DEU", ["viewer"])):
            db.add(User(name=name, nation=nation, roles=roles, active=True, password_hash=stored))
    return settings


def _user(settings: Settings, name: str) -> tuple[list[str], bool, str | None] | None:
    with lookup_session(settings) as db:
        found = find_user(db, name)
        return None if found is None else (sorted(found.roles), found.active, found.password_hash)


def test_an_admin_manages_their_nations_accounts_and_a_non_admin_none(accounts: Settings, db_url: str) -> None:
    admin, csrf = signed_in(accounts, "fra-admin")
    page = admin.get("/admin").text
    # Forms for France's accounts only; Germany's are listed, without a form.
    assert 'action="/admin/users/fra-planner/roles"' in page and "/admin/users/deu-viewer/" not in page
    assert '<option value="deu-viewer"' not in page.split('id="add-token"')[1]
    assert "none: `reassure users token`" not in page and "Change fra-admin" in page
    # Added, with a generated password shown once; it signs in.
    made = admin.post("/admin/users", data={"name": "fra-new", "roles": ["analyst"], "csrf": csrf})
    assert made.status_code == 200 and made.headers["cache-control"] == "no-store"
    password = re.search(r'<code id="shown-secret">([^<]+)</code>', made.text)
    assert password is not None and _user(accounts, "fra-new") == (["analyst"], True, _user(accounts, "fra-new")[2])  # type: ignore[index]
    signed_in(accounts, "fra-new", password[1])
    assert password[1] not in admin.get("/admin").text  # shown once, never again
    # Grant, revoke, disable, enable: back to the page each time.
    for path, data in (("roles", {"role": "planner", "change": "grant"}), ("roles", {"role": "analyst",
                                                                                     "change": "revoke"}),
                       ("active", {"active": "0"})):
        assert admin.post(f"/admin/users/fra-new/{path}", data={**data, "csrf": csrf}).status_code == 303
    assert _user(accounts, "fra-new")[:2] == (["planner"], False)  # type: ignore[index]
    assert admin.post("/admin/users/fra-new/active", data={"active": "1", "csrf": csrf}).status_code == 303
    # A token for a user of the nation: its secret shown once; then revoked.
    made = admin.post("/admin/tokens", data={"label": "reporting script", "user": "fra-new", "csrf": csrf})
    secret = re.search(r'<code id="shown-secret">(rsr_[^<]+)</code>', made.text)
    assert made.status_code == 200 and secret is not None and secret[1] not in admin.get("/admin").text
    assert admin.get("/api/v1/health").status_code == 200
    token = re.search(r'action="/admin/tokens/(tok_[^/]+)/revoke"', admin.get("/admin").text)
    assert token is not None
    assert admin.post(f"/admin/tokens/{token[1]}/revoke", data={"csrf": csrf}).status_code == 303
    assert 'action="/admin/tokens/' not in admin.get("/admin").text  # revoked: no more button
    # Bad input and refusals: the page again with the reason, nothing written.
    before = raw_counts(db_url, User, ApiToken)
    stored = _user(accounts, "fra-new")
    for path, data, status, reason in (
            ("/admin/users/fra-new/roles", {"role": "general", "change": "grant"}, 400, "unknown role"),
            ("/admin/users/fra-new/password", {"password": "short"}, 422, "at least 12 characters"),
            ("/admin/users", {"name": "fra-new"}, 409, "already exists"),
            ("/admin/users/fra-admin/active", {"active": "0"}, 403, "cannot disable their own account"),
            ("/admin/users/deu-viewer/active", {"active": "0"}, 403, "each nation's admins manage its accounts"),
            ("/admin/users/deu-viewer/password", {"password": ""}, 403, "each nation's admins manage its accounts"),
            ("/admin/tokens", {"label": "borrowed", "user": "deu-viewer"}, 403, "each nation's admins manage"),
            ("/admin/tokens", {"label": " "}, 422, "a token needs a label")):
        answer = admin.post(path, data={**data, "csrf": csrf})
        assert answer.status_code == status, (path, answer.status_code)
        shown = re.search(r'<p class="error" role="alert" id="admin-error">([^<]+)</p>', answer.text)
        assert shown is not None and reason in shown[1].replace("&#39;", "'"), (path, answer.text[:300])
        assert 'id="users"' in answer.text and 'id="shown-secret"' not in answer.text
    assert raw_counts(db_url, User, ApiToken) == before and _user(accounts, "fra-new") == stored
    assert _user(accounts, "deu-viewer") == (["viewer"], True, _user(accounts, "deu-viewer")[2])  # type: ignore[index]
    # Without the CSRF token: refused.
    assert admin.post("/admin/users/fra-new/active", data={"active": "0"}).status_code == 403
    assert _user(accounts, "fra-new")[1] is True  # type: ignore[index]
    # A reset ends the account's sessions; a non-admin's forged forms are refused, nothing written.
    planner, _ = signed_in(accounts, "fra-planner")
    reset = admin.post("/admin/users/fra-planner/password", data={"password": "a temporary password", "csrf": csrf})
    assert reset.status_code == 200 and 'id="shown-secret"' not in reset.text  # the admin chose it: not shown back
    assert planner.get("/plan").status_code == 303  # its session ended: sign in again
    signed_in(accounts, "fra-planner", "a temporary password")
    viewer, viewer_csrf = signed_in(accounts, "deu-viewer")
    assert "/admin" not in viewer.get("/").text.split("</nav>")[0]
    before = raw_counts(db_url, User, ApiToken)
    for path, data in (("/admin/users", {"name": "deu-spy", "roles": ["admin"]}),
                       ("/admin/users/deu-viewer/roles", {"role": "admin", "change": "grant"}),
                       ("/admin/tokens", {"label": "mine", "user": "deu-admin"})):
        answer = viewer.post(path, data={**data, "csrf": viewer_csrf})
        assert answer.status_code == 403 and "needs the admin role" in answer.text
    assert raw_counts(db_url, User, ApiToken) == before
    assert _user(accounts, "deu-viewer")[0] == ["viewer"]  # type: ignore[index]


def test_a_preview_of_another_nation_renders_no_write_control() -> None:
    from starlette.requests import Request

    from reassure.web.pages.common import render
    from reassure.web.session import Browser

    preview = Identity(user="fra-admin", nation="FRA", roles=frozenset({Role.ADMIN}), view_as="DEU")
    request = Request({"type": "http", "method": "GET", "path": "/admin", "headers": [], "query_string": b"",
                       "reassure.browser": Browser(preview, "csrf")})
    user = {"name": "fra-planner", "nation": "FRA", "roles": ["planner"], "active": True}
    default = {"nation": "FRA", "scenario": None, "marking": "REL TO FRA"}
    page = render(request, "admin.html", may_set=False, may_manage=False, roles=["viewer"], error=None, shown=None,
                  min_password=12, max_days=366, now=None, users=[user], own=[user], tokens=[], audit=[],
                  default=default, scenarios=[],
                  followup_owner={"nation": "FRA", "owner": None, "marking": "REL TO FRA"}).body.decode()
    assert "<form" not in page.split("<main>")[1] and "fra-planner" in page

"""Sessions over HTTP: /me/sessions lists the caller's browsers and tokens (the one in use marked), DELETE ends one by
its public id; admins list and end those of their nation's users only; /tokens/{id} takes a public id, never a
number; and the web's "Your sessions" page ends a session with its CSRF token."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from reassure.core.identity import Role
from reassure.db.uow import lookup_session
from reassure.domains.users.actions import hash_password
from reassure.domains.users.service import find_user
from reassure.web.app import create_server
from tests.api.conftest import Api

PASSWORD = "correct horse battery staple"


def _browser(api: Api, name: str, address: str = "192.0.2.8") -> TestClient:
    """A browser signed in to the dashboard as a stored user (given a password here)."""
    with lookup_session(api.settings) as db:
        found = find_user(db, name)
        assert found is not None
        found.password_hash = hash_password(PASSWORD)
    browser = TestClient(create_server(api.settings), follow_redirects=False, client=(address, 50000),
                         headers={"User-Agent": "Mozilla/5.0 <b>Test</b> Browser"})
    token = re.search(r'name="form_token" value="([^"]+)"', browser.get("/sign-in").text)
    assert token is not None
    answer = browser.post("/sign-in", data={"name": name, "password": PASSWORD, "next": "/",
                                             "form_token": token.group(1)})
    assert answer.status_code == 303, answer.text
    return browser


def test_the_caller_lists_and_ends_their_sessions(api: Api) -> None:
    headers = api.headers("FRA", Role.ANALYST, name="fra-ana")
    browser = _browser(api, "fra-ana")
    rows = api.client.get("/api/v1/me/sessions", headers=headers).json()
    assert sorted(r["kind"] for r in rows) == ["token", "web"]
    token = next(r for r in rows if r["kind"] == "token")
    web = next(r for r in rows if r["kind"] == "web")
    assert token["current"] and not web["current"] and re.fullmatch(r"tok_[a-z2-7]{16}", token["id"])
    assert web["address"] == "192.0.2.8" and web["user_agent"] == "Mozilla/5.0 <b>Test</b> Browser"
    assert browser.get("/pledges").status_code == 200
    assert api.client.delete(f"/api/v1/me/sessions/{web['id']}", headers=headers).status_code == 204
    assert browser.get("/pledges").status_code == 303  # signed out: sent to sign in
    assert api.client.delete("/api/v1/me/sessions/1", headers=headers).status_code == 404
    assert api.client.delete("/api/v1/tokens/1", headers=headers).status_code == 404  # numbers accepted nowhere
    assert api.client.delete(f"/api/v1/tokens/{token['id']}", headers=headers).status_code == 204
    assert api.client.get("/api/v1/me/sessions", headers=headers).status_code == 401  # that was this token


def test_admins_reach_the_sessions_of_their_own_nations_users_only(api: Api) -> None:
    api.headers("FRA", Role.ANALYST, name="fra-ana")
    fra_admin, deu_admin = (api.headers("FRA", Role.ADMIN, name="fra-admin"),
                            api.headers("DEU", Role.ADMIN, name="deu-admin"))
    hidden, absent = (api.client.get("/api/v1/users/fra-ana/sessions", headers=deu_admin),
                      api.client.get("/api/v1/users/nobody/sessions", headers=deu_admin))
    assert hidden.status_code == absent.status_code == 404
    rows = api.client.get("/api/v1/users/fra-ana/sessions", headers=fra_admin).json()
    assert [r["kind"] for r in rows] == ["token"]
    assert api.client.delete(f"/api/v1/users/fra-ana/sessions/{rows[0]['id']}", headers=deu_admin).status_code == 404
    assert api.client.delete("/api/v1/users/fra-ana/sessions", headers=deu_admin).status_code == 404
    assert api.client.get("/api/v1/users/fra-ana/sessions", headers=api.headers("FRA")).status_code == 403
    assert api.client.delete("/api/v1/users/fra-ana/sessions", headers=fra_admin).status_code == 204
    assert api.client.get("/api/v1/users/fra-ana/sessions", headers=fra_admin).json() == []


def test_the_sessions_page_lists_them_as_text_and_ends_one(api: Api) -> None:
    headers = api.headers("FRA", Role.ANALYST, name="fra-ana")
    first = _browser(api, "fra-ana", address="192.0.2.8")
    second = _browser(api, "fra-ana", address="198.51.100.3")
    page = second.get("/sessions")
    assert page.status_code == 200 and "Your sessions" in page.text
    assert "Mozilla/5.0 &lt;b&gt;Test&lt;/b&gt; Browser" in page.text and "<b>Test</b>" not in page.text
    assert page.text.count("(this session)") == 1 and "192.0.2.8" in page.text and "198.51.100.3" in page.text
    csrf = re.search(r'name="csrf-token" content="([^"]+)"', page.text)
    assert csrf is not None
    rows = api.client.get("/api/v1/me/sessions", headers=headers).json()
    first_id = next(r["id"] for r in rows if r["address"] == "192.0.2.8")
    assert f'action="/sessions/{first_id}/end"' in page.text  # an End button for each
    forged = second.post(f"/sessions/{first_id}/end", data={"csrf": "guessed"})
    assert forged.status_code == 403 and first.get("/pledges").status_code == 200
    ended = second.post(f"/sessions/{first_id}/end", data={"csrf": csrf.group(1)})
    assert ended.status_code == 303 and first.get("/pledges").status_code == 303
    assert second.get("/pledges").status_code == 200
    assert 'href="/sessions"' in second.get("/pledges").text  # linked from the header


def test_the_admin_page_offers_session_controls_for_its_own_nation_only(api: Api) -> None:
    api.headers("FRA", Role.ANALYST, name="fra-ana")
    api.headers("DEU", Role.ANALYST, name="deu-ana")
    victim = _browser(api, "fra-ana")
    api.headers("FRA", Role.ADMIN, name="fra-admin")
    admin = _browser(api, "fra-admin")
    page = admin.get("/admin").text
    assert 'href="/sessions?user=fra-ana"' in page and 'href="/sessions?user=deu-ana"' not in page
    assert 'value="fra-ana"><button type="submit">End all sessions of fra-ana' in page
    csrf = re.search(r'name="csrf-token" content="([^"]+)"', page)
    assert csrf is not None
    assert admin.post("/sessions/end-all", data={"csrf": csrf.group(1), "user": "deu-ana"}).status_code == 404
    assert victim.get("/pledges").status_code == 200
    assert admin.post("/sessions/end-all", data={"csrf": csrf.group(1), "user": "fra-ana"}).status_code == 303
    assert victim.get("/pledges").status_code == 303
    assert admin.get("/pledges").status_code == 200

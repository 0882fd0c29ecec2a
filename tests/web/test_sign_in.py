"""Signing in over HTTP (no browser): failed attempts are limited per account even when sent together, successful
ones do not count against it, and odd page addresses answer as pages, never 500."""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from reassure import migrations as migrate
from reassure.db.uow import engine_for, lookup_session
from reassure.domains.users.actions import hash_password
from reassure.domains.users.models import User
from reassure.settings import Settings
from reassure.web.app import create_server

PASSWORD = "correct horse battery staple"


@pytest.fixture
def client(tmp_path: Path) -> TestClient:
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'web.sqlite'}")
    migrate.upgrade(engine_for(settings))
    with lookup_session(settings) as db:
        db.add(User(name="fra-planner", nation="FRA", roles=["planner"], active=True,
                    password_hash=hash_password(PASSWORD)))
    return TestClient(create_server(settings), follow_redirects=False)


def form_token(client: TestClient) -> str:
    """Open the sign-in form (its token comes as a cookie and a hidden field) and return the token."""
    found = re.search(r'name="form_token" value="([^"]+)"', client.get("/sign-in").text)
    assert found is not None
    return found.group(1)


def _sign_in(client: TestClient, password: str, name: str = "fra-planner") -> int:
    data = {"name": name, "password": password, "next": "/", "form_token": form_token(client)}
    status: int = client.post("/sign-in", data=data).status_code
    return status


def test_five_failures_pause_sign_in_even_with_the_right_password(client: TestClient) -> None:
    assert [_sign_in(client, "wrong") for _ in range(5)] == [401] * 5
    assert _sign_in(client, PASSWORD) == 429


def test_successful_sign_ins_do_not_count_as_failures(client: TestClient) -> None:
    assert [_sign_in(client, PASSWORD) for _ in range(7)] == [303] * 7


def test_attempts_sent_together_cannot_slip_under_the_limit(client: TestClient) -> None:
    with client, ThreadPoolExecutor(max_workers=12) as pool:  # `with`: the app's lifespan (its thread pool) runs
        token = form_token(client)
        data = {"name": "fra-planner", "password": "wrong", "next": "/", "form_token": token}
        statuses = list(pool.map(lambda _: client.post("/sign-in", data=data).status_code, range(12)))
    assert statuses.count(401) <= 5 and statuses.count(429) >= 7, statuses


def test_an_unknown_name_is_refused_like_a_wrong_password(client: TestClient) -> None:
    unknown = client.post("/sign-in", data={"name": "nobody", "password": "x", "next": "/",
                                             "form_token": form_token(client)})
    wrong = client.post("/sign-in", data={"name": "fra-planner", "password": "x", "next": "/",
                                           "form_token": form_token(client)})
    assert unknown.status_code == wrong.status_code == 401
    assert re.search(r'class="error"[^>]*>([^<]+)<', unknown.text).group(1) == \
        re.search(r'class="error"[^>]*>([^<]+)<', wrong.text).group(1)  # type: ignore[union-attr]


def test_odd_page_addresses_answer_as_pages(client: TestClient) -> None:
    assert _sign_in(client, PASSWORD) == 303
    csrf = re.search(r'name="csrf-token" content="([^"]+)"', client.get("/pledges").text)
    assert csrf is not None
    for plan in ("0", "-1", "2147483648", "99999999999999999999"):  # not a plan's id: not found, like any other
        response = client.post(f"/plan/{plan}/without-us-backstop", data={"csrf": csrf.group(1)})
        assert response.status_code == 404 and "text/html" in response.headers["content-type"], plan
    response = client.get("/plan?id=0")
    assert response.status_code == 404 and "no plan" in response.text
    response = client.get("/security?offset=-1")
    assert response.status_code == 422 and "this address does not work" in response.text


def test_a_sign_in_form_from_another_page_is_refused(client: TestClient) -> None:
    """Login CSRF: a form posted from another site has no matching token, so it cannot sign the browser in."""
    refused = client.post("/sign-in", data={"name": "fra-planner", "password": PASSWORD, "next": "/"})
    assert refused.status_code == 403 and "another page" in refused.text and "reassure_session" not in refused.cookies
    forged = client.post("/sign-in", data={"name": "fra-planner", "password": PASSWORD, "next": "/",
                                           "form_token": "guessed"})
    assert forged.status_code == 403
    assert _sign_in(client, PASSWORD) == 303

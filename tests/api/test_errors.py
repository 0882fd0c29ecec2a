"""Fail closed over HTTP: no credentials, bad ones, hidden records and bad input each get one uniform error body."""

from __future__ import annotations

from pathlib import Path

from tests.api.conftest import Api


def test_no_credentials_is_401_with_the_uniform_body(api: Api) -> None:
    response = api.client.get("/api/v1/pledges")
    assert response.status_code == 401 and response.headers["www-authenticate"] == "Bearer"
    assert response.json()["error"]["code"] == "unauthenticated" and "Bearer" in response.json()["error"]["message"]


def test_a_wrong_token_is_refused_like_a_revoked_one(api: Api) -> None:
    for header in ("Bearer rsr_not-a-token", "Bearer x", "Basic abc"):
        response = api.client.get("/api/v1/me", headers={"Authorization": header})
        assert response.status_code == 401, header


def test_a_hidden_pledge_and_an_absent_one_give_the_same_404(api: Api, tmp_path: Path) -> None:
    api.load_sample(tmp_path)
    assert api.get("/scenarios/small/pledges/GBR-FS/history", "GBR").status_code == 200
    hidden = api.get("/scenarios/small/pledges/GBR-FS/history", "DEU")
    absent = api.get("/scenarios/small/pledges/NO-SUCH/history", "DEU")
    assert hidden.status_code == absent.status_code == 404
    assert hidden.json()["error"]["code"] == absent.json()["error"]["code"] == "not_found"
    assert "GBR-FS" in hidden.json()["error"]["message"] and "NO-SUCH" in absent.json()["error"]["message"]


def test_bad_parameters_are_422_naming_the_field(api: Api) -> None:
    response = api.get("/pledges", "GBR", limit=0, domain="space")
    assert response.status_code == 422
    fields = {(p["where"], p["field"]) for p in response.json()["error"]["problems"]}
    assert ("query", "limit") in fields and ("query", "domain") in fields


def test_an_unknown_path_is_404_in_the_same_body(api: Api) -> None:
    response = api.get("/no-such-thing", "GBR")
    assert response.status_code == 404 and response.json()["error"]["code"] == "not_found"


def test_an_admin_previews_another_nation_read_only(api: Api, tmp_path: Path) -> None:
    from reassure.core.identity import Role

    api.load_sample(tmp_path)
    headers = api.headers("GBR", Role.ADMIN, name="gbr-admin")
    own = api.client.get("/api/v1/pledges", headers=headers).json()
    preview = api.client.get("/api/v1/pledges", headers={**headers, "X-View-As": "DEU"}).json()
    assert own["total"] == 2 and preview["total"] == 1
    planner = api.client.get("/api/v1/pledges", headers={**api.headers("GBR"), "X-View-As": "DEU"})
    assert planner.status_code == 401 and "only an admin" in planner.json()["error"]["message"]

"""Who am I, accounts, tokens and the audit log."""

from __future__ import annotations

from pathlib import Path

from reassure.core.identity import Role
from tests.api.conftest import Api


def test_me_says_who_the_server_thinks_you_are(api: Api) -> None:
    me = api.get("/me", "POL", Role.VIEWER).json()
    assert me == {"user": "pol-viewer", "nation": "POL", "roles": ["viewer"], "reads_for": ["POL"], "preview": None}


def test_only_admins_read_users_and_the_audit_log(api: Api, tmp_path: Path) -> None:
    api.load_sample(tmp_path)
    assert api.get("/users", "GBR").status_code == 403
    assert api.get("/audit", "GBR").status_code == 403
    admin = api.client.get("/api/v1/audit", headers=api.headers("FRA", Role.ADMIN, name="fra-admin"),
                           params={"action": "scenario.create"})
    assert admin.status_code == 200 and admin.json()["items"]
    tokens = api.get("/tokens", "GBR").json()
    assert [t["label"] for t in tokens] == ["tests"] and all("secret" not in t for t in tokens)

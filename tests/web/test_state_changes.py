"""The dashboard's security page lists recent rule state changes of the reader's nation's view (labels, not ids),
over HTTP on SQLite and PostgreSQL; another nation's reader sees none of them."""

from __future__ import annotations

import re
from pathlib import Path

from fastapi.testclient import TestClient

from reassure.db.uow import lookup_session
from reassure.domains.users.actions import hash_password
from reassure.domains.users.models import User
from reassure.settings import Settings
from reassure.web.app import create_server
from tests.api.conftest import Api
from tests.jobs.test_alerts import MASS, QUIET

PASSWORD = "correct horse battery staple"


def _signed_in(settings: Settings, name: str) -> TestClient:
    client = TestClient(create_server(settings), follow_redirects=False)
    token = re.search(r'name="form_token" value="([^"]+)"', client.get("/sign-in").text)
    assert token is not None
    signed = client.post("/sign-in", data={"name": name, "password": PASSWORD, "next": "/", "form_token": token[1]})
    assert signed.status_code == 303, signed.text
    return client


def test_the_security_page_lists_recent_state_changes_of_the_readers_view(db_url: str, tmp_path: Path) -> None:
    settings = Settings(database_url=db_url)
    with lookup_session(settings) as db:
        for name, nation in (("fra-viewer", "FRA"), ("deu-viewer", "DEU")):
            db.add(User(name=name, nation=nation, roles=["viewer"], active=True, password_hash=hash_password(PASSWORD)))
    api = Api(db_url)
    api.ingest(tmp_path, QUIET, nation="FRA", marking=",FRA,")
    assert api.post("/evaluations", "FRA").status_code == 201
    api.ingest(tmp_path, MASS, nation="FRA", marking=",FRA,")
    assert api.post("/evaluations", "FRA").status_code == 201
    page = _signed_in(settings, "fra-viewer").get("/security").text
    section = page.split('id="changes"')[1].split("</table>")[0]
    assert "Russia stalls: mass drone attacks continue" in section
    assert 'not met → <span class="met">MET</span>' in section
    assert "REL TO FRA" in section and "eval_" not in section and "sanctions-review-mass-attacks" not in section
    other = _signed_in(settings, "deu-viewer").get("/security").text.split('id="changes"')[1].split("</table>")[0]
    assert "no state change stored yet" in other and "Russia stalls" not in other

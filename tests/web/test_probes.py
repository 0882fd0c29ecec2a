"""Liveness and readiness (issue 27, item 1): /healthz answers without touching the database; /readyz answers 200 at
the newest schema revision and 503 with a short reason one migration behind or with no database; neither needs an
identity nor says anything about the data, and a session cookie does not make /healthz read the sessions."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import event

from reassure import migrations as migrate
from reassure.db.uow import engine_for
from reassure.settings import Settings
from reassure.web.app import create_server


def test_ready_at_the_newest_revision_not_one_behind_and_alive_without_a_read(db_url: str) -> None:
    settings = Settings(database_url=db_url, sqlite_synchronous="full")  # a deployment's (the suite runs normal)
    client = TestClient(create_server(settings), raise_server_exceptions=False)
    engine = engine_for(settings)
    statements: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        client.cookies.set("reassure_session", "x" * 40)  # a browser's cookie: still no session lookup
        assert client.get("/healthz").json() == {"status": "ok"}
        assert statements == []
    finally:
        event.remove(engine, "before_cursor_execute", count)
    ready = client.get("/readyz")
    assert ready.status_code == 200 and ready.json() == {"status": "ready"}, ready.text
    assert ready.headers["cache-control"] == "no-store"
    migrate.downgrade(engine, "-1")
    behind = client.get("/readyz")
    assert behind.status_code == 503
    assert behind.json()["status"] == "not ready" and "reassure db upgrade" in behind.json()["reason"]
    assert client.get("/healthz").status_code == 200  # alive all the same
    migrate.upgrade(engine)
    assert client.get("/readyz").status_code == 200
    assert client.get("/api/v1/me").status_code == 401  # everything else still needs a caller


def test_healthz_answers_without_a_database_and_readyz_says_why(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")  # the database cannot be made under it, whoever runs the tests
    settings = Settings(database_url=f"sqlite:///{blocker / 'db.sqlite'}")
    client = TestClient(create_server(settings), raise_server_exceptions=False)
    assert client.get("/healthz").status_code == 200
    answer = client.get("/readyz")
    assert answer.status_code == 503 and answer.json() == {"status": "not ready", "reason": "database unavailable"}
    assert str(tmp_path) not in answer.text  # a short reason: no path, nothing about the data

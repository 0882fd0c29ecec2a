"""The server killed mid-import writes nothing (issue 27, item 4; docs/adr/0051). A planner uploads a pledge table to
a real `reassure serve` process, previews it, and confirms; while the import's transaction is open the server is
SIGKILLed. On PostgreSQL the test holds a lock on the stored pledge the file's last row updates, so the import is
caught with every other row of the file written but not committed; on SQLite the kill follows the moment the import's
write lock is seen held. Afterwards the
database holds exactly what it held before: no pledge of the file, no audit row of its import (one transaction per
import: all of it, or nothing)."""

from __future__ import annotations

import contextlib
import os
import re
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx2 as httpx
import pytest
from sqlalchemy import Connection, func, select, text
from sqlalchemy.engine import make_url

from reassure.db.engine import sqlite_file
from reassure.db.uow import engine_for, lookup_session, unit_of_work
from reassure.domains.audit.models import AuditEntry
from reassure.domains.pledges.models import Pledge
from reassure.domains.scenarios.importing import import_document
from reassure.domains.users.actions import hash_password
from reassure.domains.users.models import User
from reassure.scenario_io.load import load_document
from reassure.settings import Settings
from tests.conftest import free_port, who
from tests.scenario_io.samples import PLEDGE_TABLE, VALID, write

PASSWORD = "correct horse battery staple"
ROWS = 200


def _table() -> bytes:
    header, row = PLEDGE_TABLE.splitlines()[:2]
    rows = [row.replace("POL-LOG", f"KILL-{n}", 1) for n in range(ROWS)]
    return ("\n".join([header, *rows, row.replace("POL-LOG", "FRA-FS", 1)]) + "\n").encode()


def _importing(settings: Settings, blocker: Connection | None) -> bool:
    """Tell, from outside the server, whether an import's transaction is open now: SQLite's write lock is held, or
    (PostgreSQL) a session waits for the row the `blocker` connection holds."""
    if blocker is not None:
        with engine_for(settings).connect() as connection:
            return bool(connection.scalar(text("SELECT count(*) FROM pg_stat_activity WHERE :pid = "
                                               "ANY(pg_blocking_pids(pid))"), {"pid": blocker_pid(blocker)}))
    file = sqlite_file(make_url(settings.database_url))
    assert file is not None
    probe = sqlite3.connect(file, timeout=0, isolation_level=None)
    try:
        probe.execute("BEGIN IMMEDIATE")
        probe.execute("ROLLBACK")
        return False
    except sqlite3.OperationalError:  # locked: the import holds the write lock
        return True
    finally:
        probe.close()


def blocker_pid(blocker: Connection) -> int:
    return int(blocker.scalar(text("SELECT pg_backend_pid()")) or 0)


def _hidden(page: str, form: str) -> dict[str, str]:
    found = re.search(rf'<form[^>]*id="{form}".*?</form>', page, re.S)
    assert found is not None, page[:2000]
    return dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', found[0]))


@pytest.mark.slow
def test_the_server_killed_mid_upload_import_writes_nothing(settings: Settings, tmp_path: Path) -> None:
    with unit_of_work(settings, identity=who("FRA")) as db:
        import_document(load_document(write(tmp_path, VALID)), db=db, origin="tests")
    with lookup_session(settings) as db:
        db.add(User(name="fra-plans", nation="FRA", roles=["planner"], active=True,
                    password_hash=hash_password(PASSWORD)))
    before = _written(settings)
    port = free_port()
    env = {**os.environ, "REASSURE_DATABASE_URL": settings.database_url, "REASSURE_ALERTS_EVERY_MINUTES": "0"}
    server = subprocess.Popen([sys.executable, "-m", "reassure", "serve", "--port", str(port), "--workers", "0"],
                              env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    seen_open = False
    postgres = make_url(settings.database_url).get_backend_name() == "postgresql"
    blocker: Connection | None = None
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(600):
            try:
                if httpx.get(f"{base}/api/v1/health", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.1)
        client = httpx.Client(base_url=base, timeout=60)
        token = re.search(r'name="form_token" value="([^"]+)"', client.get("/sign-in").text)
        assert token is not None
        client.post("/sign-in", data={"name": "fra-plans", "password": PASSWORD, "next": "/",
                                      "form_token": token[1]})
        csrf = _hidden(client.get("/imports").text, "upload-form")["csrf"]
        preview = client.post("/imports/preview", data={"csrf": csrf, "scenario": "small"},
                              files={"file": ("pledges.csv", _table(), "text/csv")})
        assert preview.status_code == 200, preview.text[:1000]
        confirm = _hidden(preview.text, "confirm-form")

        def send() -> None:
            with contextlib.suppress(httpx.TransportError):  # the server dies under it
                client.post("/imports/confirm", data=confirm)

        if postgres:  # hold the row the file's last line updates: the import waits there, the rest written
            blocker = engine_for(settings).connect()
            blocker.execute(text("SELECT id FROM pledges WHERE key = 'FRA-FS' FOR UPDATE"))
        sender = threading.Thread(target=send, daemon=True)
        sender.start()
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not seen_open:
            seen_open = _importing(settings, blocker)
            time.sleep(0.01)
        server.send_signal(signal.SIGKILL)
        server.wait(timeout=20)
        sender.join(timeout=30)
    finally:
        if server.poll() is None:
            server.kill()
            server.wait(timeout=20)
        if blocker is not None:
            blocker.rollback()
            blocker.close()
    assert seen_open, "the import's transaction was never seen open: the kill did not land mid-import"
    assert _written(settings) == before  # nothing of the import: no pledge, no audit row of it


def _written(settings: Settings) -> tuple[int, int, int]:
    """The pledges, the file's pledges and the audit rows about pledges, straight from the tables."""
    pledges, audit = Pledge.__table__, AuditEntry.__table__
    with engine_for(settings).connect() as connection:
        return (int(connection.scalar(select(func.count()).select_from(pledges)) or 0),
                int(connection.scalar(select(func.count()).select_from(pledges)
                                      .where(pledges.c.key.like("KILL-%"))) or 0),
                int(connection.scalar(select(func.count()).select_from(audit)
                                      .where(audit.c.entity == "Pledge")) or 0))

"""A read-only SQLite database can be read and refuses writes with a clear error (issue 21, item 8): on a read-only
file system every command exited 1 with a traceback (`PRAGMA journal_mode=WAL`), and a read-only URI was reported as
"no database".

Tested three ways, each for the CLI (listings work, a write exits 7 saying "read-only"), the API (GETs answer 200, a
write 503 `read_only` without Retry-After) and the pages (a signed-in page answers 200):
- a read-only URI, `file:…?mode=ro` and `immutable=1`;
- a real read-only file system: the database's folder bind-mounted read-only in a private mount namespace
  (`unshare -m`), which stops root too (tests may run as root, where chmod stops nothing); skipped, with the reason,
  where mount namespaces are not allowed.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx2 as httpx
import pytest
from fastapi.testclient import TestClient

from reassure import migrations as migrate
from reassure.db.uow import engine_for, lookup_session
from reassure.domains.audit.models import AuditEntry
from reassure.domains.pledges.models import Pledge, PledgeStatusEvent
from reassure.domains.users.actions import hash_password
from reassure.domains.users.service import find_user
from reassure.domains.users.sessions import sign_in
from reassure.settings import Settings
from reassure.web.app import create_server
from tests.api.conftest import Api
from tests.conftest import Cli, free_port, raw_counts
from tests.scenario_io.samples import VALID, write

PASSWORD = "a long enough password"
SRC = Path(__file__).resolve().parents[2] / "src"
STATUS = {"status": "deployed", "on_date": "2027-03-01"}


@dataclass
class Stored:
    """A database with the sample scenario, a planner's token and web session, closed (no write-ahead log left)."""

    folder: Path
    file: Path
    token: str
    cookie: str

    @property
    def url(self) -> str:
        return f"sqlite:///{self.file}"


@pytest.fixture
def stored(tmp_path: Path) -> Iterator[Stored]:
    folder = tmp_path / "db"
    file = folder / "reassure.sqlite"
    url = f"sqlite:///{file}"
    settings = Settings(database_url=url)
    migrate.upgrade(engine_for(settings))
    api = Api(url)
    api.load_sample(tmp_path)
    token = api.token("GBR", name="gbr-planner")
    with lookup_session(settings) as db:
        user = find_user(db, "gbr-planner")
        assert user is not None
        user.password_hash = hash_password(PASSWORD)
    with lookup_session(settings) as db:
        cookie = sign_in("gbr-planner", PASSWORD, "127.0.0.1", db=db).secret
    engine_for(settings).dispose()  # the last connection checkpoints the log and removes it
    assert not Path(f"{file}-wal").exists()
    yield Stored(folder, file, token, cookie)
    engine_for(settings).dispose()


def _check_cli(run: Cli, tmp_path: Path) -> None:
    code, out, err = run("pledges", user="gbr-planner")
    assert code == 0 and "FRA-FS" in out, err
    code, out, err = run("pledge", "history", "small", "FRA-FS", user="gbr-planner")
    assert code == 0, err
    code, _, err = run("import", str(write(tmp_path, VALID.replace("name: small", "name: other"))), user="gbr-planner")
    assert code == 7 and "read-only" in err, err
    code, _, err = run("pledge", "status", "small", "FRA-FS", "deployed", "--date", "2027-03-01", user="gbr-planner")
    assert code == 7 and "read-only" in err, err


def _check_http(client: Any, stored: Stored) -> None:
    bearer = {"Authorization": f"Bearer {stored.token}"}
    assert client.get("/api/v1/pledges", headers=bearer).status_code == 200
    assert client.get("/api/v1/scenarios/small/pledges.csv", headers=bearer).status_code == 200
    refused = client.post("/api/v1/scenarios/small/pledges/FRA-FS/status", headers=bearer, json=STATUS)
    assert refused.status_code == 503 and refused.json()["error"]["code"] == "read_only", refused.text
    assert "read-only" in refused.json()["error"]["message"] and "Retry-After" not in refused.headers
    job = client.post("/api/v1/jobs", headers=bearer, json={"kind": "rules"})
    assert job.status_code == 503 and job.json()["error"]["code"] == "read_only", job.text
    client.cookies.set("reassure_session", stored.cookie)
    page = client.get("/pledges?scenario=small")
    client.cookies.clear()
    assert page.status_code == 200 and "FRA-FS" in page.text


@pytest.mark.parametrize("mode", ["mode=ro", "immutable=1"])
def test_a_read_only_uri_reads_and_refuses_writes(stored: Stored, tmp_path: Path, mode: str) -> None:
    before = raw_counts(stored.url, Pledge, PledgeStatusEvent, AuditEntry)
    url = f"sqlite:///file:{stored.file}?{mode}&uri=true"
    _check_cli(Cli(url), tmp_path)
    _check_http(TestClient(create_server(Settings(database_url=url)), raise_server_exceptions=False), stored)
    engine_for(Settings(database_url=url)).dispose()
    assert raw_counts(stored.url, Pledge, PledgeStatusEvent, AuditEntry) == before  # nothing was written


def _namespaces() -> str | None:
    """Return why a private read-only mount cannot be made here, or None when it can."""
    unshare, mount = shutil.which("unshare"), shutil.which("mount")
    if unshare is None or mount is None:
        return "unshare or mount is not installed"
    probe = subprocess.run([unshare, "-m", "true"], capture_output=True)
    return None if probe.returncode == 0 else f"mount namespaces are not allowed here ({probe.stderr.decode()[:80]})"


def _read_only(folder: Path, *command: str) -> list[str]:
    """Return a command line running `command` with `folder` mounted read-only (for it alone)."""
    script = (f'mount --bind "{folder}" "{folder}" && mount -o remount,bind,ro "{folder}" && '
              f'touch "{folder}/probe" 2>/dev/null && exit 99; exec "$@"')
    return ["unshare", "-m", "sh", "-c", script, "sh", *command]


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("REASSURE_TOKEN", "REASSURE_NATION")}
    return {**env, "PYTHONPATH": f"{SRC}{os.pathsep}{os.environ.get('PYTHONPATH', '')}", "COLUMNS": "200",
            "REASSURE_USER": "gbr-planner"}


@pytest.mark.parametrize("journal", ["wal", "delete"])
def test_a_database_on_a_read_only_file_system_reads_and_refuses_writes(stored: Stored, tmp_path: Path,
                                                                         journal: str) -> None:
    """The database as this system leaves it (WAL, closed: no log beside it, and none can be made), and one in
    rollback-journal mode (where `PRAGMA journal_mode=WAL` failed with a traceback)."""
    if (why := _namespaces()) is not None:
        pytest.skip(why)
    before = raw_counts(stored.url, Pledge, PledgeStatusEvent, AuditEntry)
    engine_for(Settings(database_url=stored.url)).dispose()
    if journal == "delete":
        with sqlite3.connect(stored.file) as raw:
            raw.execute("PRAGMA journal_mode=DELETE")
        raw.close()
    assert sorted(p.name for p in stored.folder.iterdir()) == ["reassure.jobs.sqlite", "reassure.sqlite"] or \
        sorted(p.name for p in stored.folder.iterdir()) == ["reassure.sqlite"]

    def run(*args: str, user: str = "gbr-planner") -> tuple[int, str, str]:
        done = subprocess.run(_read_only(stored.folder, sys.executable, "-m", "reassure", "--db", stored.url,
                                         "--user", user, *args), env=_env(), capture_output=True, timeout=120)
        assert done.returncode != 99, "the folder was writable: the mount did not make it read-only"
        return done.returncode, done.stdout.decode(), done.stderr.decode()

    _check_cli(run, tmp_path)  # type: ignore[arg-type]
    port = free_port()
    server = subprocess.Popen(_read_only(stored.folder, sys.executable, "-m", "reassure", "--db", stored.url,
                                         "serve", "--port", str(port), "--workers", "0"),
                              env=_env(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                if httpx.get(f"{base}/api/v1/health", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.1)
        with httpx.Client(base_url=base, timeout=10) as client:
            _check_http(client, stored)
    finally:
        server.terminate()
        server.wait(timeout=20)
    assert raw_counts(stored.url, Pledge, PledgeStatusEvent, AuditEntry) == before

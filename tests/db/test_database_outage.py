"""A database that cannot be reached is 503 with Retry-After over the API, a page saying so, and exit code 7 from the
CLI, never 401 (issue 21, item 8: with PostgreSQL stopped under load, 1,255 of 1,263 failed requests answered 401
"cannot read the users table"). Tested by stopping a real PostgreSQL: a private cluster made for the test (initdb,
pg_ctl, a temporary data folder, a free port) behind a real server process under load, then started again.

Skipped, with the reason, when the PostgreSQL server binaries are absent (CI installs them: .ci/postgres.sh).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx2 as httpx
import pytest
from typer.testing import CliRunner

from reassure import migrations as migrate
from reassure.cli.main import app
from reassure.db.uow import engine_for, lookup_session
from reassure.domains.users.actions import hash_password
from reassure.domains.users.service import find_user
from reassure.domains.users.sessions import sign_in
from reassure.settings import Settings
from tests.api.conftest import Api
from tests.conftest import free_port

pytestmark = pytest.mark.slow
PASSWORD = "a long enough password"


def _bin() -> Path | None:
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"))
    return found[-1].parent if found else None


@dataclass
class Cluster:
    """A private PostgreSQL cluster: its folder, port, and how to stop and start it."""

    bin: Path
    data: Path
    port: int
    as_user: list[str]

    @property
    def url(self) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"

    def ctl(self, *args: str) -> None:
        subprocess.run([*self.as_user, str(self.bin / "pg_ctl"), "-D", str(self.data), "-w", "-t", "60", *args],
                       check=True, capture_output=True, timeout=90)

    def start(self) -> None:
        self.ctl("-l", str(self.data / "server.log"), "-o",
                 f"-p {self.port} -k {self.data} -c listen_addresses=127.0.0.1 -c fsync=off", "start")

    def stop(self) -> None:
        self.ctl("-m", "fast", "stop")


@pytest.fixture
def cluster() -> Iterator[Cluster]:
    """Make, start and finally remove a private cluster (initdb refuses root: it runs as the postgres user, in a
    folder of its own under the system's temporary folder, since pytest's are private to root)."""
    binaries = _bin()
    if binaries is None:
        pytest.skip("PostgreSQL server binaries not installed (/usr/lib/postgresql/*/bin; CI: .ci/postgres.sh)")
    as_user: list[str] = []
    if os.geteuid() == 0:
        runuser = shutil.which("runuser")
        if runuser is None:
            pytest.skip("running as root without runuser: initdb refuses root")
        as_user = [runuser, "-u", "postgres", "--"]
    folder = Path(tempfile.mkdtemp(prefix="reassure-pg-"))
    data = folder / "data"
    data.mkdir()
    if as_user:
        shutil.chown(folder, "postgres")
        shutil.chown(data, "postgres")
    subprocess.run([*as_user, str(binaries / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres",
                    "--no-sync"], check=True, capture_output=True, timeout=120)
    found = Cluster(binaries, data, free_port(), as_user)
    found.start()
    try:
        yield found
    finally:
        subprocess.run([*as_user, str(binaries / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"],
                       capture_output=True, timeout=60)
        shutil.rmtree(folder, ignore_errors=True)


def _serve(url: str, port: int) -> subprocess.Popen[bytes]:
    env = {**os.environ, "REASSURE_DATABASE_URL": url}
    process = subprocess.Popen([sys.executable, "-m", "reassure", "serve", "--port", str(port), "--workers", "0"],
                               env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(300):
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/v1/health", timeout=1).status_code == 200:
                return process
        except httpx.TransportError:
            time.sleep(0.1)
    process.terminate()
    raise AssertionError("the server did not start")


def _cli(url: str, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, ["--db", url, "--user", "gbr-planner", *args],
                                env={"COLUMNS": "200", "REASSURE_TOKEN": None, "REASSURE_NATION": None})
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.output


def test_a_stopped_database_is_503_with_retry_after_a_page_and_exit_7(cluster: Cluster, tmp_path: Path) -> None:
    settings = Settings(database_url=cluster.url)
    migrate.upgrade(engine_for(settings))
    api = Api(cluster.url)
    api.load_sample(tmp_path)
    token = api.token("GBR", name="gbr-planner")
    with lookup_session(settings) as db:
        user = find_user(db, "gbr-planner")
        assert user is not None
        user.password_hash = hash_password(PASSWORD)
    with lookup_session(settings) as db:
        cookie = sign_in("gbr-planner", PASSWORD, "127.0.0.1", db=db).secret
    engine_for(settings).dispose()
    port = free_port()
    server = _serve(cluster.url, port)
    base = f"http://127.0.0.1:{port}"
    bearer = {"Authorization": f"Bearer {token}"}
    seen: Counter[int] = Counter()
    stop = threading.Event()

    def load() -> None:  # clients that keep asking while the database goes away and comes back
        with httpx.Client(base_url=base, timeout=10) as client:
            while not stop.is_set():
                for path in ("/api/v1/pledges", "/api/v1/scenarios", "/api/v1/me"):
                    seen[client.get(path, headers=bearer).status_code] += 1

    workers = [threading.Thread(target=load) for _ in range(3)]
    try:
        assert httpx.get(f"{base}/api/v1/pledges", headers=bearer, timeout=10).status_code == 200
        for w in workers:
            w.start()
        time.sleep(1)
        cluster.stop()
        time.sleep(1)
        answer = httpx.get(f"{base}/api/v1/pledges", headers=bearer, timeout=10)
        assert answer.status_code == 503 and answer.headers["Retry-After"] == "5", answer.text
        assert answer.json()["error"]["code"] == "unavailable" and "cannot be reached" in answer.text
        by_cookie = httpx.get(f"{base}/api/v1/me", cookies={"reassure_session": cookie}, timeout=10)
        assert by_cookie.status_code == 503 and "Retry-After" in by_cookie.headers, by_cookie.text
        page = httpx.get(f"{base}/pledges", cookies={"reassure_session": cookie}, timeout=10)
        assert page.status_code == 503 and page.headers.get("Retry-After") == "5"
        assert "cannot be reached" in page.text and 'name="password"' not in page.text  # not the sign-in page
        code, output = _cli(cluster.url, "pledges")
        assert code == 7 and "cannot be reached" in output, output
        cluster.start()
        time.sleep(1)
        again = [httpx.get(f"{base}/api/v1/pledges", headers=bearer, timeout=10).status_code for _ in range(5)]
        assert again == [200] * 5
        assert httpx.get(f"{base}/pledges", cookies={"reassure_session": cookie}, timeout=10).status_code == 200
        assert _cli(cluster.url, "pledges")[0] == 0
    finally:
        stop.set()
        for w in workers:
            w.join(timeout=30)
        server.terminate()
        server.wait(timeout=20)
    assert seen[200] > 0 and seen[503] > 0, seen
    assert set(seen) <= {200, 503}, seen  # never 401 (nor 500) while the database is away


def test_a_reachable_database_without_schema_says_how_to_create_it(cluster: Cluster) -> None:
    api = Api(cluster.url)
    answer = api.client.get("/api/v1/pledges", headers={"Authorization": "Bearer rsr_nothing"})
    assert answer.status_code == 503 and "reassure db upgrade" in answer.text, answer.text
    assert "Retry-After" not in answer.headers  # waiting does not create a schema
    code, output = _cli(cluster.url, "pledges")
    assert code == 2 and "reassure db upgrade" in output, output

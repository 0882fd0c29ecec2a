"""`reassure serve --processes 2`: two server processes built from the app factory with the settings passed through
the environment answer on one port, and identities still come from the database per request."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import httpx2 as httpx
import pytest

from reassure import migrations as migrate
from reassure.db.uow import engine_for
from reassure.settings import Settings
from tests.api.conftest import Api
from tests.conftest import free_port

pytestmark = pytest.mark.slow


def test_two_server_processes_answer_with_identities_from_the_database(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'serve.sqlite'}"
    migrate.upgrade(engine_for(Settings(database_url=url)))
    token = Api(url).token("FRA")
    port = free_port()
    env = {**os.environ, "REASSURE_DATABASE_URL": url}
    process = subprocess.Popen([sys.executable, "-m", "reassure", "serve", "--port", str(port), "--workers", "0",
                                "--processes", "2"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        base = f"http://127.0.0.1:{port}/api/v1"
        for _ in range(300):
            try:
                if httpx.get(f"{base}/health", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.1)
        me = [httpx.get(f"{base}/me", headers={"Authorization": f"Bearer {token}"}, timeout=5) for _ in range(6)]
        assert all(r.status_code == 200 and r.json()["nation"] == "FRA" for r in me)
        assert httpx.get(f"{base}/me", timeout=5).status_code == 401
    finally:
        process.terminate()
        process.wait(timeout=20)

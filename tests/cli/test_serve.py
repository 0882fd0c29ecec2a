"""`reassure serve --processes 2`: two server processes built from the app factory with the settings passed through
the environment answer on one port, and identities still come from the database per request. With
`REASSURE_LOG_FORMAT=json` every line on stderr is one JSON object: the app's request lines and uvicorn's own (a
malformed request's warning), each with its request id field."""

from __future__ import annotations

import json
import os
import socket
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
    env = {**os.environ, "REASSURE_DATABASE_URL": url, "REASSURE_LOG_FORMAT": "json"}
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
        with socket.create_connection(("127.0.0.1", port), timeout=5) as raw:  # not HTTP: uvicorn itself logs it
            raw.sendall(b"NOT HTTP AT ALL\r\n\r\n")
            assert raw.recv(200).startswith(b"HTTP/1.1 400")
    finally:
        process.terminate()
        _, stderr = process.communicate(timeout=20)
    lines = [json.loads(line) for line in stderr.decode().splitlines()]  # a line not JSON fails here
    assert {(r["logger"], r["status"]) for r in lines if "status" in r} >= {("reassure.request", 200),
                                                                           ("reassure.request", 401)}
    (warning,) = [r for r in lines if r["logger"].startswith("uvicorn") and "Invalid HTTP request" in r["message"]]
    assert warning["level"] == "warning" and "request_id" in warning

"""`reassure demo --serve`: the demo, then two demo accounts of two nations with passwords printed once, then the
dashboard on loopback, where each signs in and sees its own nation's banner."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import httpx2 as httpx
import pytest

from tests.conftest import free_port

pytestmark = pytest.mark.slow


def test_demo_serve_prints_passwords_once_and_serves(tmp_path: Path) -> None:
    port = free_port()
    env = {**os.environ, "REASSURE_DATABASE_URL": f"sqlite:///{tmp_path / 'demo.sqlite'}", "COLUMNS": "200"}
    for key in ("REASSURE_USER", "REASSURE_TOKEN", "REASSURE_NATION"):
        env.pop(key, None)
    process = subprocess.Popen([sys.executable, "-m", "reassure", "demo", "--plan-seconds", "0.5", "--data",
                                str(tmp_path / "no-data"), "--serve", "--port", str(port),
                                "--brief-dir", str(tmp_path / "out")],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)
    output = ""
    try:
        deadline = time.monotonic() + 120
        assert process.stdout is not None
        while "serving http" not in output and time.monotonic() < deadline:
            line = process.stdout.readline()
            if not line:
                break
            output += line
        passwords = dict(re.findall(r"sign in as (\S+) with password (\S+) \(shown once\)", output))
        assert set(passwords) == {"demo-admin", "demo-viewer-deu"}, output[-2000:]
        for _ in range(200):  # "serving" is printed just before uvicorn starts listening
            try:
                httpx.get(f"http://127.0.0.1:{port}/api/v1/health", timeout=1)
                break
            except httpx.TransportError:
                time.sleep(0.1)
        for name, nation in (("demo-admin", "FRA"), ("demo-viewer-deu", "DEU")):
            with httpx.Client(base_url=f"http://127.0.0.1:{port}", follow_redirects=True, timeout=10) as client:
                token = re.search(r'name="form_token" value="([^"]+)"', client.get("/sign-in").text)
                assert token is not None
                wrong = client.post("/sign-in", data={"name": name, "password": "wrong", "next": "/",
                                                      "form_token": token.group(1)})
                assert wrong.status_code == 401
                token = re.search(r'name="form_token" value="([^"]+)"', wrong.text)
                assert token is not None
                page = client.post("/sign-in", data={"name": name, "password": passwords[name], "next": "/",
                                                     "form_token": token.group(1)})
                assert page.status_code == 200 and f"released to <strong>{nation}</strong>" in page.text
                # each nation's landing page, chosen by its own demo admin: the bundled scenario's overview
                assert 'id="brief-start"' in page.text and "scenario=illustrative" in page.text, nation
    finally:
        process.terminate()
        process.wait(timeout=20)

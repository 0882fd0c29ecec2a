"""A real `reassure serve` (uvicorn on a loopback port, the HTTP/1.1 implementation it picks) bounds what a client
sends: a 1 MB header gets 431 and a 50 MB body 413, each with the one error body and no connection reset, and the
server's peak memory (VmHWM) hardly moves. Before the bounds, the header reset the connection and the body was read
whole (244 → 784 MB peak)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx2 as httpx
import pytest

from reassure import migrations as migrate
from reassure.db.uow import engine_for
from reassure.settings import Settings
from tests.api.conftest import Api
from tests.conftest import REPO, free_port

pytestmark = pytest.mark.slow
MB = 1024 * 1024


def peak_rss(pid: int) -> int:
    """Return a process's peak resident memory in bytes (Linux: VmHWM)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
    raise AssertionError("no VmHWM")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, int, str]]:
    """Run `reassure serve` in a process of its own; yield its base URL, pid and a token."""
    folder = tmp_path_factory.mktemp("serve")
    url = f"sqlite:///{folder / 'serve.sqlite'}"
    migrate.upgrade(engine_for(Settings(database_url=url)))
    token = Api(url).token("FRA")
    port = free_port()
    env = {**os.environ, "REASSURE_DATABASE_URL": url, "PYTHONPATH": str(REPO / "src")}
    process = subprocess.Popen([sys.executable, "-m", "reassure", "serve", "--port", str(port), "--workers", "0"],
                               env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                if httpx.get(f"{base}/api/v1/health", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.1)
        yield base, process.pid, token
    finally:
        process.terminate()
        process.wait(timeout=20)


def test_a_real_server_answers_431_and_413_without_reading_them_into_memory(server: tuple[str, int, str]) -> None:
    base, pid, token = server
    auth = {"Authorization": f"Bearer {token}"}
    with httpx.Client(timeout=60) as client:  # warm up: the routes, the database, a solve-free job listing
        for _ in range(5):
            assert client.get(f"{base}/api/v1/jobs", headers=auth).status_code == 200
    before = peak_rss(pid)

    with httpx.Client(timeout=60) as client:
        big_head = client.get(f"{base}/api/v1/me", headers={**auth, "X-Padding": "x" * MB})
    assert big_head.status_code == 431, big_head.text
    assert big_head.json()["error"]["code"] == "header_too_large"

    with httpx.Client(timeout=120) as client:
        declared = client.post(f"{base}/api/v1/jobs", content=b" " * (50 * MB),
                               headers={**auth, "Content-Type": "application/json"})
    assert declared.status_code == 413, declared.text
    assert declared.json()["error"]["code"] == "too_large"

    def chunks() -> Iterator[bytes]:  # chunked: no Content-Length to refuse up front
        for _ in range(50):
            yield b" " * MB

    with httpx.Client(timeout=120) as client:
        streamed = client.post(f"{base}/api/v1/jobs", content=chunks(),
                               headers={**auth, "Content-Type": "application/json"})
    assert streamed.status_code == 413, streamed.text

    after = peak_rss(pid)
    grew = f"peak RSS grew {(after - before) / MB:.0f} MB ({before / MB:.0f} → {after / MB:.0f})"
    assert after - before < 30 * MB, grew
    with httpx.Client(timeout=10) as client:  # the server still answers
        assert client.get(f"{base}/api/v1/me", headers=auth).json()["nation"] == "FRA"


def test_head_gzip_and_304_over_a_real_connection(server: tuple[str, int, str]) -> None:
    base, _, token = server
    auth = {"Authorization": f"Bearer {token}"}
    with httpx.Client(timeout=10) as client:
        get = client.get(f"{base}/api/v1/openapi.json", headers={"Accept-Encoding": "gzip"})
        head = client.head(f"{base}/api/v1/openapi.json", headers={"Accept-Encoding": "gzip"})
        assert get.headers["content-encoding"] == head.headers["content-encoding"] == "gzip"
        assert get.headers["content-length"] == head.headers["content-length"] and head.content == b""
        assert get.json()["components"]["securitySchemes"]["bearer"]["scheme"] == "bearer"
        again = client.get(f"{base}/api/v1/openapi.json", headers={"If-None-Match": get.headers["etag"]})
        assert again.status_code == 304 and again.content == b""
        assert client.get(f"{base}/api/v1/me", headers=auth).headers["cache-control"] == "no-store"


def test_a_header_too_large_for_the_parser_still_gets_its_answer(server: tuple[str, int, str]) -> None:
    base, _, _ = server
    host, port = base.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=30) as raw:
        raw.sendall(b"GET /api/v1/health HTTP/1.1\r\nHost: x\r\n" + b"X-Padding: " + b"y" * (4 * MB) + b"\r\n\r\n")
        answer = b""
        while chunk := raw.recv(65536):
            answer += chunk
    assert answer.startswith(b"HTTP/1.1 431 "), answer[:200]
    assert b'"code":"header_too_large"' in answer

"""What a client that sends too much costs the server: a 1 MB header, a 50 MB body with Content-Length, a 50 MB
chunked body and a 50 MB JSON document, each sent to a real `reassure serve` (uvicorn on loopback) on an empty
SQLite database. Figures: each answer (status, or the transport error), its wall time, and the server process's
peak resident memory (VmHWM) before and after all of them.

Run: .venv/bin/python benchmarks/bounds.py [--src src]   (`--src` serves another checkout's code, to compare)
Notes with the figures: benchmarks/http-notes.md
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx2 as httpx

ROOT = Path(__file__).resolve().parents[1]
MB = 1024 * 1024


def peak_rss(pid: int) -> float:
    """Return a process's peak resident memory in MB (Linux: VmHWM)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise SystemExit("no VmHWM in /proc")


def free_port() -> int:
    """Return a TCP port free on loopback now."""
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def chunks() -> Iterator[bytes]:
    """Yield 50 MB in 1 MB chunks (sent chunked: no Content-Length)."""
    for _ in range(50):
        yield b" " * MB


def big_json() -> bytes:
    """Return a 50 MB JSON document shaped like a what-if job with far too many changes."""
    change = b'{"kind": "withdraw", "nation": "FRA", "capability": "infantry_battalion", "count": 1}, '
    return b'{"kind": "whatif", "plan_id": 1, "changes": [' + change * (50 * MB // len(change)) + b"{}]}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--src", type=Path, default=ROOT / "src", help="the source tree to serve")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="reassure-bounds-"))
    db = f"sqlite:///{folder / 'bounds.sqlite'}"
    env = {**os.environ, "REASSURE_DATABASE_URL": db, "PYTHONPATH": str(args.src.resolve())}
    subprocess.run([sys.executable, "-m", "reassure", "db", "upgrade"], env=env, check=True, capture_output=True)
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "reassure", "serve", "--port", str(port), "--workers", "0"],
                              env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}/api/v1"
    try:
        for _ in range(300):
            try:
                if httpx.get(f"{base}/health", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.1)
        for _ in range(5):
            httpx.get(f"{base}/health", timeout=5)
        before = peak_rss(server.pid)
        json_header = {"Content-Type": "application/json"}
        cases: list[tuple[str, Callable[[httpx.Client], httpx.Response]]] = [
            ("1 MB header", lambda c: c.get(f"{base}/me", headers={"X-Padding": "x" * MB})),
            ("50 MB body, Content-Length", lambda c: c.post(f"{base}/jobs", content=b" " * (50 * MB),
                                                            headers=json_header)),
            ("50 MB body, chunked", lambda c: c.post(f"{base}/jobs", content=chunks(), headers=json_header)),
            ("50 MB JSON document", lambda c: c.post(f"{base}/jobs", content=big_json(), headers=json_header)),
        ]
        print(f"server code: {args.src}; peak RSS before: {before:.0f} MB")
        for name, send in cases:
            started = time.perf_counter()
            try:
                with httpx.Client(timeout=120) as client:
                    answer = send(client)
                outcome = f"{answer.status_code} {answer.text[:70]}"
            except httpx.TransportError as error:
                outcome = f"{type(error).__name__}: {error}"
            print(f"  {name:28} {time.perf_counter() - started:6.2f} s  {outcome}  "
                  f"(peak RSS now {peak_rss(server.pid):.0f} MB)")
        print(f"peak RSS after: {peak_rss(server.pid):.0f} MB")
    finally:
        server.terminate()
        server.wait(timeout=20)


if __name__ == "__main__":
    main()

"""Page loads and API latency on loopback, with the demo data: the dashboard's pages signed in (target < 300 ms
each) and the API's reads at 50 concurrent clients (target p95 < 50 ms on SQLite).

Run: .venv/bin/python benchmarks/web.py [--data ../shared/data] [--repeat 2] [--requests 2000] [--clients 50]

The server runs in its own process (`reassure serve`, one uvicorn worker, no job worker); the clients run here.
Figures: wall milliseconds per request (median and p95 over the repetitions), the server's CPU seconds, and the load
average, on this machine. Held out: the endpoints and pages marked `held-out` were not looked at while tuning (only
the security page's incident-frame cache was tuned, ADR 0009); their first-run figures sit beside the tuned ones.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx2 as httpx

ROOT = Path(__file__).resolve().parents[1]
PAGES = [("/", "tuned"), ("/pledges", "tuned"), ("/plan", "tuned"), ("/security", "tuned"), ("/command", "held-out"),
         ("/admin", "held-out"), ("/pledges?domain=sea&standing=assumption", "held-out")]
READS = [("/api/v1/pledges?limit=100", "tuned"), ("/api/v1/incidents?limit=50", "tuned"), ("/api/v1/me", "tuned"),
         ("/api/v1/plans", "held-out"), ("/api/v1/claims?limit=100", "held-out"),
         ("/api/v1/scenarios/illustrative/summary", "held-out")]
PAGE_TARGET_MS, API_P95_TARGET_MS = 300.0, 50.0
PASSWORD = "benchmark password 2026"


def reassure(db: str, *args: str, stdin: str | None = None) -> str:
    """Run the CLI on the benchmark database and return its output (raise on failure)."""
    env = {**os.environ, "REASSURE_DATABASE_URL": db, "COLUMNS": "200"}
    done = subprocess.run([sys.executable, "-m", "reassure", *args], env=env, input=stdin, text=True,
                          capture_output=True, check=False)
    if done.returncode:
        raise SystemExit(f"reassure {' '.join(args)} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    return done.stdout


def build(db: str, data: Path | None) -> str:
    """Build the demo database, set the admin's password and return an API token."""
    args = ["demo", "--plan-seconds", "2"] + (["--data", str(data)] if data else ["--data", "/nonexistent"])
    reassure(db, *args)
    reassure(db, "--user", "demo-admin", "users", "passwd", "demo-admin", "--password-stdin", stdin=PASSWORD + "\n")
    reassure(db, "--user", "demo-admin", "plan", "solve", "--scenario", "illustrative", "--store", "--time-limit", "3")
    out = reassure(db, "--user", "demo-admin", "users", "token", "benchmark")
    found = re.search(r"(rsr_[A-Za-z0-9_\-]+)", out)
    if not found:
        raise SystemExit(f"no token in: {out}")
    return found.group(1)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def cpu_seconds(pid: int) -> float:
    """Return the user + system CPU seconds of a process and its children (server processes) from /proc."""
    total = 0.0
    for found in [pid, *children(pid)]:
        try:
            fields = Path(f"/proc/{found}/stat").read_text().rsplit(")", 1)[1].split()
        except FileNotFoundError:
            continue
        total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


def children(pid: int) -> list[int]:
    """Return a process's children's ids."""
    try:
        return [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except FileNotFoundError:
        return []


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def pages(base: str, repeat: int) -> list[tuple[str, str, float, float, float]]:
    """Sign in and load each page: the first (cold) load, then the median and p95 of `repeat` × 10 loads."""
    out = []
    with httpx.Client(base_url=base, follow_redirects=True, timeout=30) as client:
        token = re.search(r'name="form_token" value="([^"]+)"', client.get("/sign-in").text)
        form = {"name": "demo-admin", "password": PASSWORD, "next": "/", "form_token": token.group(1) if token else ""}
        page = client.post("/sign-in", data=form)
        if page.status_code != 200:
            raise SystemExit(f"sign-in failed: {page.status_code}")
        incidents = client.get("/api/v1/incidents?limit=1").json()["items"]
        extra = [(f"/security/incidents/{incidents[0]['key']}", "held-out")] if incidents else []
        for path, group in PAGES + extra:
            times = []
            for _ in range(1 + 10 * repeat):
                start = time.perf_counter()
                response = client.get(path)
                times.append((time.perf_counter() - start) * 1000)
                if response.status_code != 200:
                    raise SystemExit(f"{path}: {response.status_code}")
            warm = times[1:]
            out.append((path if len(path) < 48 else path[:45] + "…", group, times[0], statistics.median(warm),
                        pct(warm, 0.95)))
    return out


async def api(base: str, token: str, clients: int, requests: int,
              reads: list[tuple[str, str]] = READS) -> dict[str, list[float]]:
    """Send `requests` reads from `clients` concurrent clients, spread over the read endpoints; latencies in ms."""
    latencies: dict[str, list[float]] = {path: [] for path, _ in reads}
    queue: asyncio.Queue[str] = asyncio.Queue()
    for i in range(requests):
        queue.put_nowait(reads[i % len(reads)][0])
    headers = {"Authorization": f"Bearer {token}"}
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)

    async def client() -> None:
        async with httpx.AsyncClient(base_url=base, headers=headers, timeout=60, limits=limits) as session:
            while not queue.empty():
                path = queue.get_nowait()
                start = time.perf_counter()
                response = await session.get(path)
                latencies[path].append((time.perf_counter() - start) * 1000)
                if response.status_code != 200:
                    raise SystemExit(f"{path}: {response.status_code} {response.text[:200]}")

    await asyncio.gather(*(client() for _ in range(clients)))
    return latencies


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    default_data = ROOT.parent / "shared" / "data"
    parser.add_argument("--data", type=Path, default=default_data if default_data.is_dir() else None)
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--processes", type=int, default=1, help="server processes (reassure serve --processes)")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="reassure-web-bench-"))
    db = f"sqlite:///{folder / 'bench.sqlite'}"
    print(f"machine: {os.cpu_count()} CPUs, {platform.machine()}, Python {platform.python_version()}; "
          f"data: {args.data or 'bundled facts only (no ../shared/data)'}; server processes: {args.processes}")
    t0 = time.perf_counter()
    token = build(db, args.data)
    print(f"demo database built in {time.perf_counter() - t0:.1f} s")
    port = free_port()
    env = {**os.environ, "REASSURE_DATABASE_URL": db}
    server = subprocess.Popen([sys.executable, "-m", "reassure", "serve", "--port", str(port), "--workers", "0",
                               "--processes", str(args.processes)],
                              env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                httpx.get(f"{base}/sign-in", timeout=1)
                break
            except httpx.TransportError:
                time.sleep(0.1)
        for run in range(1, args.repeat + 1):
            cpu0, load0 = cpu_seconds(server.pid), os.getloadavg()[0]
            rows = pages(base, 1)
            cpu1 = cpu_seconds(server.pid)
            print(f"\nrun {run}: page loads signed in (ms; cold = first load; target < {PAGE_TARGET_MS:.0f} ms warm); "
                  f"server CPU {cpu1 - cpu0:.1f} s, load {load0:.2f}")
            print(f"{'page':48} {'set':9} {'cold':>8} {'median':>8} {'p95':>8}")
            for path, group, cold, median, p95 in rows:
                flag = "" if p95 < PAGE_TARGET_MS else "  over target"
                print(f"{path:48} {group:9} {cold:8.1f} {median:8.1f} {p95:8.1f}{flag}")
            began, cpu2, load2 = time.perf_counter(), cpu_seconds(server.pid), os.getloadavg()[0]
            latencies = asyncio.run(api(base, token, args.clients, args.requests))
            wall, cpu3 = time.perf_counter() - began, cpu_seconds(server.pid)
            every = [v for vs in latencies.values() for v in vs]
            print(f"API reads: {len(every)} requests from {args.clients} concurrent clients in {wall:.1f} s "
                  f"({len(every) / wall:.0f} req/s); server CPU {cpu3 - cpu2:.1f} s, load {load2:.2f}")
            print(f"{'endpoint':48} {'set':9} {'p50':>8} {'p95':>8}")
            for path, group in READS:
                print(f"{path:48} {group:9} {pct(latencies[path], 0.5):8.1f} {pct(latencies[path], 0.95):8.1f}")
            print(f"{'all reads':48} {'':9} {pct(every, 0.5):8.1f} {pct(every, 0.95):8.1f}  "
                  f"(target p95 < {API_P95_TARGET_MS:.0f} ms)")
            began, cpu4 = time.perf_counter(), cpu_seconds(server.pid)
            floor = asyncio.run(api(base, token, args.clients, args.requests, reads=[("/api/v1/health", "floor")]))
            wall, cpu5 = time.perf_counter() - began, cpu_seconds(server.pid)
            health = floor["/api/v1/health"]
            print(f"{'floor: /api/v1/health (no database, no identity)':48} {'':9} {pct(health, 0.5):8.1f} "
                  f"{pct(health, 0.95):8.1f}  ({len(health) / wall:.0f} req/s, server CPU {cpu5 - cpu4:.1f} s)")
    finally:
        server.terminate()
        server.wait(timeout=20)


if __name__ == "__main__":
    main()

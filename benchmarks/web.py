"""Page loads and API latency on loopback, with the demo data: the dashboard's pages signed in (target < 300 ms
each) and the API's reads at 50 concurrent clients (target p95 < 50 ms on SQLite).

Run: .venv/bin/python benchmarks/web.py [--data ../shared/data] [--repeat 2] [--requests 2000] [--clients 50]
     [--seconds 15] [--pg-url URL] [--compare-only]

The server runs in its own process (`reassure serve`, one uvicorn worker, no job worker); the clients run here.
Figures: wall milliseconds per request (median and p95 over the repetitions), the server's CPU seconds, and the load
average, on this machine.

Side by side (issue 27): the same run then starts a minimal plain FastAPI + SQLAlchemy Core service of the same read
semantics (benchmarks/plain_service.py) on the same database, and drives both with the same clients for `--seconds`
each, on SQLite and on PostgreSQL (`--pg-url`, default $REASSURE_TEST_PG_URL: a fresh schema, dropped afterwards),
with 1 and 2 server processes: reads/s, p50/p95/p99, and the server's CPU milliseconds per read.

Held out: the endpoints and pages marked `held-out` were not looked at while tuning (only the security page's
incident-frame cache was tuned, ADR 0009); their first-run figures sit beside the tuned ones.
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

from reassure.db.scratch import create_schema, drop_schema

ROOT = Path(__file__).resolve().parents[1]
PAGES = [("/", "tuned"), ("/pledges", "tuned"), ("/plan", "tuned"), ("/security", "tuned"), ("/command", "held-out"),
         ("/admin", "held-out"), ("/pledges?domain=sea&standing=assumption", "held-out")]
READS = [("/api/v1/pledges?limit=100", "tuned"), ("/api/v1/incidents?limit=50", "tuned"), ("/api/v1/me", "tuned"),
         ("/api/v1/plans", "held-out"), ("/api/v1/claims?limit=100", "held-out"),
         ("/api/v1/scenarios/illustrative/summary", "held-out")]
PAGE_TARGET_MS, API_P95_TARGET_MS = 300.0, 50.0
PASSWORD = "benchmark password 2026"
COMPARED = [("/api/v1/pledges?limit=100", "compared"), ("/api/v1/me", "compared")]  # what the plain service answers


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


async def timed(base: str, token: str, clients: int, seconds: float,
                reads: list[tuple[str, str]]) -> list[float]:
    """Read in a closed loop from `clients` concurrent clients for `seconds`, cycling through `reads`; latencies."""
    latencies: list[float] = []
    headers = {"Authorization": f"Bearer {token}"}
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    deadline = time.perf_counter() + seconds

    async def client(first: int) -> None:
        i = first
        async with httpx.AsyncClient(base_url=base, headers=headers, timeout=60, limits=limits) as session:
            while time.perf_counter() < deadline:
                path = reads[i % len(reads)][0]
                i += 1
                start = time.perf_counter()
                response = await session.get(path)
                latencies.append((time.perf_counter() - start) * 1000)
                if response.status_code != 200:
                    raise SystemExit(f"{path}: {response.status_code} {response.text[:200]}")

    await asyncio.gather(*(client(i) for i in range(clients)))
    return latencies


def started(command: list[str], env: dict[str, str], base: str, probe: str) -> subprocess.Popen[bytes]:
    """Start a server and wait until it answers `probe` (any status)."""
    server = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    for _ in range(1200):  # two minutes: a loaded machine starts processes slowly
        try:
            httpx.get(f"{base}{probe}", timeout=1)
            return server
        except httpx.TransportError:
            if server.poll() is not None:
                said = server.stderr.read().decode() if server.stderr else ""
                raise SystemExit(f"server failed: {command}\n{said}") from None
            time.sleep(0.1)
    raise SystemExit(f"server did not start: {command}")


def point(command: list[str], env: dict[str, str], port: int, token: str, clients: int,
          seconds: float) -> tuple[float, float, float, float, float, float]:
    """Serve, warm up, then read for `seconds`: reads/s, p50, p95, p99 ms, server CPU ms per read, load average."""
    base = f"http://127.0.0.1:{port}"
    server = started(command, env, base, "/api/v1/me")
    try:
        asyncio.run(timed(base, token, clients, min(3.0, seconds / 5), COMPARED))  # warm-up (not counted)
        cpu0, load0, began = cpu_seconds(server.pid), os.getloadavg()[0], time.perf_counter()
        latencies = asyncio.run(timed(base, token, clients, seconds, COMPARED))
        wall, cpu1 = time.perf_counter() - began, cpu_seconds(server.pid)
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:  # still draining after 30 s: stop it
            server.kill()
            server.wait(timeout=30)
    n = len(latencies)
    return (n / wall, pct(latencies, 0.5), pct(latencies, 0.95), pct(latencies, 0.99), (cpu1 - cpu0) * 1000 / n,
            load0)


def compare(db: str, token: str, label: str, clients: int, seconds: float) -> list[tuple[str, int, float, float]]:
    """Drive reassure and the plain service alike on one database with 1 and 2 processes; print a table."""
    env = {**os.environ, "REASSURE_DATABASE_URL": db}
    plain_env = {**env, "PYTHONPATH": str(ROOT / "benchmarks")}
    print(f"\nside by side on {label}: {clients} clients, {seconds:.0f} s per point, reads alternating "
          f"{' and '.join(p for p, _ in COMPARED)}")
    print(f"{'service':10} {'procs':>5} {'reads/s':>8} {'p50':>7} {'p95':>7} {'p99':>7} {'CPU ms/read':>11} "
          f"{'load':>5}")
    ratios = []
    for processes in (1, 2):
        figures = {}
        for service in ("reassure", "plain"):
            port = free_port()
            command = ([sys.executable, "-m", "reassure", "serve", "--port", str(port), "--workers", "0",
                        "--processes", str(processes)] if service == "reassure" else
                       [sys.executable, str(ROOT / "benchmarks" / "plain_service.py"), "--port", str(port),
                        "--processes", str(processes)])
            rate, p50, p95, p99, cpu, load = point(command, plain_env if service == "plain" else env, port, token,
                                                   clients, seconds)
            figures[service] = rate
            print(f"{service:10} {processes:5d} {rate:8.0f} {p50:7.1f} {p95:7.1f} {p99:7.1f} {cpu:11.2f} {load:5.2f}")
        ratios.append((label, processes, figures["reassure"], figures["plain"]))
        print(f"{'ratio':10} {processes:5d} {figures['reassure'] / figures['plain']:8.2f}x reassure / plain")
    return ratios


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    default_data = ROOT.parent / "shared" / "data"
    parser.add_argument("--data", type=Path, default=default_data if default_data.is_dir() else None)
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--processes", type=int, default=1, help="server processes (reassure serve --processes)")
    parser.add_argument("--seconds", type=float, default=15, help="seconds per side-by-side point")
    parser.add_argument("--pg-url", default=os.environ.get("REASSURE_TEST_PG_URL"),
                        help="a PostgreSQL database for the side-by-side run (a fresh schema in it; none: SQLite only)")
    parser.add_argument("--compare-only", action="store_true", help="only the side-by-side run against the plain "
                        "service (no page loads, no full read mix)")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="reassure-web-bench-"))
    db = f"sqlite:///{folder / 'bench.sqlite'}"
    print(f"machine: {os.cpu_count()} CPUs, {platform.machine()}, Python {platform.python_version()}; "
          f"data: {args.data or 'bundled facts only (no ../shared/data)'}; server processes: {args.processes}")
    t0 = time.perf_counter()
    token = build(db, args.data)
    print(f"demo database built in {time.perf_counter() - t0:.1f} s")
    if not args.compare_only:
        full_run(args, db, token)
    ratios = compare(db, token, "SQLite", args.clients, args.seconds)
    if args.pg_url:
        url = create_schema(args.pg_url, "bench")
        try:
            t0 = time.perf_counter()
            pg_token = build(url, args.data)
            print(f"\nPostgreSQL demo database built in {time.perf_counter() - t0:.1f} s")
            ratios += compare(url, pg_token, "PostgreSQL", args.clients, args.seconds)
        finally:
            drop_schema(args.pg_url, url)
    print("\nreads/s, reassure against the plain service (target >= 1.5x):")
    for label, processes, mine, plain in ratios:
        print(f"  {label:10} {processes} process(es): {mine:6.0f} / {plain:6.0f} = {mine / plain:.2f}x")


def full_run(args: argparse.Namespace, db: str, token: str) -> None:
    """Page loads and the full read mix on one `reassure serve`, with the no-database floor."""
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

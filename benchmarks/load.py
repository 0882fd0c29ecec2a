"""Load on loopback: many concurrent API clients of several nations mixing reads, writes and solve jobs against a real
`reassure serve` on PostgreSQL; nothing may fail, be lost or leak (issue 27, docs/adr/0054).

Run: .venv/bin/python benchmarks/load.py --db postgresql+psycopg://USER:PASS@127.0.0.1:5432/DB
         [--clients 200] [--seconds 60 | --minutes 5] [--setup demo|import] [--json OUT]

What it does, bounded in count and time (at most 500 clients, at most 30 minutes, loopback only):
1. creates a fresh schema in the database named by --db (default $REASSURE_TEST_PG_URL; only 127.0.0.1/localhost),
   loads the bundled demo (`reassure demo`; `--setup import` imports only the bundled facts and scenario, faster),
   and gives each of NATIONS a user (planner, analyst, viewer) and an API token, through the users actions;
2. starts `reassure serve --processes 2 --workers 1` on a free loopback port and waits until it answers;
3. runs the clients, each as one nation, in a closed loop: reads (pledges, incidents, the scenario summary, jobs),
   writes of its own nation marked `REL TO` it (a new pledge, a status step of a pledge it added, a report text)
   and, a few in all, short plan solves whose jobs it then follows;
4. reports per kind of request p50/p95/p99 (ms) and counts; errors (transport errors, timeouts and any status that is
   neither 2xx nor an expected 409/422); lost writes (each acknowledged write looked up afterwards straight in the
   database); leaks (each record a client received whose marking does not release it to the client's nation, by
   core/markings); the server's RSS (all its processes) before, every minute, and after; CPU seconds of the server
   and of the clients; the load average. Exit code 1 if any error, lost write, leak or failed solve.
The schema is dropped at the end (--keep keeps it).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import httpx2 as httpx
import psutil
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

import reassure.domains.metadata  # noqa: E402,F401  (every model mapped, as the CLI has them)
from reassure.core.markings import MarkingError, parse_marking  # noqa: E402
from reassure.db.scratch import create_schema, drop_schema, schema_of  # noqa: E402
from reassure.domains.users import actions as user_actions  # noqa: E402
from reassure.services.caller import user_caller  # noqa: E402
from reassure.settings import Settings  # noqa: E402

NATIONS = ("FRA", "GBR", "DEU", "POL", "ITA", "NLD", "CAN", "EST")
SCENARIO = "illustrative"
LOOPBACK = {"127.0.0.1", "localhost", "::1"}
MAX_CLIENTS, MAX_SECONDS = 500, 30 * 60
EXPECTED = {409, 422}  # a clash (a key taken, a step out of order) or a refused input: answered, nothing half-written
# (kind, weight): reads 70, writes 28, solves (each client at most one, `--solves` in all) 2.
MIX = (("pledges", 30), ("incidents", 20), ("summary", 12), ("jobs", 8),
       ("add_pledge", 10), ("status", 8), ("report", 10), ("solve", 2))
STATUSES = ("offered", "confirmed", "deployed")


def check_url(url: str) -> None:
    """Refuse anything but PostgreSQL on loopback: this benchmark writes and drops schemas."""
    parsed = make_url(url)
    if not parsed.drivername.startswith("postgresql"):
        raise SystemExit(f"--db must be a PostgreSQL URL, got {parsed.drivername}")
    if (parsed.host or "") not in LOOPBACK:
        raise SystemExit(f"--db must be on 127.0.0.1 or localhost (loopback only), got host {parsed.host!r}")


def cli(db: str, *args: str) -> str:
    """Run the CLI on the load database; return its output (stop on failure)."""
    env = {**os.environ, "REASSURE_DATABASE_URL": db, "COLUMNS": "200", "PYTHONPATH": str(ROOT / "src")}
    done = subprocess.run([sys.executable, "-m", "reassure", *args], env=env, text=True, capture_output=True,
                          check=False, cwd=ROOT)
    if done.returncode:
        raise SystemExit(f"reassure {' '.join(args)} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    return done.stdout


def load_data(db: str, setup: str, brief_dir: Path) -> str:
    """Load the bundled data; return the name of the first admin."""
    if setup == "demo":
        cli(db, "demo", "--plan-seconds", "1", "--data", "/nonexistent", "--brief-dir", str(brief_dir))
        return "demo-admin"
    cli(db, "db", "upgrade")
    cli(db, "users", "init", "load-admin", "--nation", "FRA")
    data = ROOT / "src" / "reassure" / "data"
    for file in (data / "facts" / "seed_articles.yaml", data / "scenarios" / "illustrative.yaml"):
        cli(db, "--user", "load-admin", "import", str(file))
    return "load-admin"


def add_user(settings: Settings, admin: str, name: str, nation: str, roles: list[str]) -> None:
    """Add a user as an admin (the users action `reassure users add` calls)."""
    caller = user_caller(settings, admin)
    with caller.session() as session:
        user_actions.add_user(caller.identity, name, nation, roles, db=session)


def make_users(db: str, root_admin: str) -> dict[str, str]:
    """Give each nation a load user (planner, analyst, viewer) and an API token; return nation → token."""
    settings = Settings(database_url=db)
    engine = create_engine(db)
    tokens = {}
    for nation in NATIONS:
        with engine.connect() as conn:
            admins = [name for name, roles in conn.execute(text("SELECT name, roles FROM users WHERE nation = :n"),
                                                           {"n": nation}) if "admin" in str(roles)]
        admin = admins[0] if admins else f"load-admin-{nation.lower()}"
        if not admins:
            add_user(settings, root_admin, admin, nation, ["admin"])
        user = f"load-{nation.lower()}"
        add_user(settings, admin, user, nation, ["planner", "analyst", "viewer"])
        me = user_caller(settings, user)
        with me.session() as session:
            tokens[nation] = user_actions.create_token(me.identity, "load benchmark", db=session, days=1).secret
    engine.dispose()
    return tokens


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(db: str, port: int, processes: int, workers: int, log: Path) -> subprocess.Popen[bytes]:
    env = {**os.environ, "REASSURE_DATABASE_URL": db, "PYTHONPATH": str(ROOT / "src")}
    with log.open("wb") as out:
        return subprocess.Popen([sys.executable, "-m", "reassure", "serve", "--host", "127.0.0.1", "--port", str(port),
                                 "--processes", str(processes), "--workers", str(workers)], env=env, stdout=out,
                                stderr=subprocess.STDOUT, cwd=ROOT, start_new_session=True)


def wait_ready(base: str, token: str, server: subprocess.Popen[bytes], log: Path, limit: float = 90) -> None:
    """Wait until the API answers an identified read (every server process started), or stop with its log."""
    deadline = time.monotonic() + limit
    answered = 0
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"the server stopped ({server.returncode}):\n{log.read_text()[-3000:]}")
        try:
            if httpx.get(f"{base}/api/v1/me", headers={"Authorization": f"Bearer {token}"}, timeout=5).status_code \
                    == 200:
                answered += 1
                if answered >= 4:
                    return
        except httpx.TransportError:
            pass
        time.sleep(0.3)
    raise SystemExit(f"the server did not answer within {limit:.0f} s:\n{log.read_text()[-3000:]}")


def stop_server(server: subprocess.Popen[bytes]) -> None:
    """Stop the server this benchmark started (its own process group, as `reassure serve` would be on Ctrl-C)."""
    family = processes_of(server.pid)  # its server processes too: they may still be finishing a transaction
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGINT)
        try:
            server.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait(10)
    _, alive = psutil.wait_procs(family, timeout=30)
    for process in alive:
        process.kill()
    psutil.wait_procs(alive, timeout=10)


def drop_scratch(base: str, db: str) -> None:
    """Drop the run's schema; say so, never fail the run, when a leftover connection keeps it (it is named)."""
    for attempt in range(3):
        try:
            drop_schema(base, db)
            return
        except OperationalError as error:  # e.g. a deadlock with a connection still closing
            if attempt == 2:
                print(f"the schema {schema_of(db)} was left behind ({type(error.orig).__name__}): "
                      f"DROP SCHEMA \"{schema_of(db)}\" CASCADE", file=sys.stderr)
            time.sleep(2)


def processes_of(pid: int) -> list[psutil.Process]:
    try:
        root = psutil.Process(pid)
        return [root, *root.children(recursive=True)]
    except psutil.NoSuchProcess:
        return []


def rss_mb(pid: int) -> float:
    """Resident memory of the server and its processes, in MB."""
    total = 0
    for proc in processes_of(pid):
        try:
            total += proc.memory_info().rss
        except psutil.NoSuchProcess:
            continue
    return total / 1e6


def cpu_of(pid: int) -> float:
    """User + system CPU seconds of the server and its live processes."""
    total = 0.0
    for proc in processes_of(pid):
        try:
            times = proc.cpu_times()
        except psutil.NoSuchProcess:
            continue
        total += times.user + times.system
    return total


@dataclass
class Tally:
    """What the clients saw and did."""

    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    statuses: dict[str, dict[int, int]] = field(default_factory=lambda: defaultdict(lambda: defaultdict(int)))
    errors: list[str] = field(default_factory=list)
    leaks: list[str] = field(default_factory=list)
    records_checked: int = 0
    pledges: set[str] = field(default_factory=set)  # keys of acknowledged new pledges
    steps: set[tuple[str, str, str]] = field(default_factory=set)  # (key, status, date) of acknowledged steps
    reports: set[str] = field(default_factory=set)  # refs of acknowledged report texts
    jobs: dict[str, str] = field(default_factory=dict)  # job id → last state seen
    solves_left: int = 0


def check_markings(tally: Tally, nation: str, kind: str, records: list[dict[str, Any]]) -> None:
    """Every record received carries a marking that releases it to the client's nation (core/markings)."""
    for record in records:
        tally.records_checked += 1
        marking = record.get("marking")
        try:
            allowed = isinstance(marking, str) and parse_marking(marking).allows(nation)
        except MarkingError:
            allowed = False
        if not allowed:
            tally.leaks.append(f"{nation} received {kind} {record.get('key') or record.get('id')} marked {marking!r}")


class Client:
    """One API client acting as one nation."""

    def __init__(self, number: int, nation: str, http: httpx.AsyncClient, tally: Tally, rng: random.Random,
                 mix: dict[str, int]) -> None:
        self.number, self.nation, self.http, self.tally, self.rng = number, nation, http, tally, rng
        self.kinds, self.weights = list(mix), list(mix.values())
        self.mine: dict[str, int] = {}  # my pledges → status steps recorded
        self.made = 0
        self.solved = False

    async def call(self, kind: str, method: str, path: str, **kwargs: Any) -> httpx.Response | None:
        start = time.perf_counter()
        try:
            response = await self.http.request(method, path, **kwargs)
        except (httpx.TransportError, httpx.TimeoutException) as error:
            self.tally.errors.append(f"{kind} {path}: {type(error).__name__}: {error}")
            return None
        self.tally.latencies[kind].append((time.perf_counter() - start) * 1000)
        self.tally.statuses[kind][response.status_code] += 1
        if response.status_code >= 300 and response.status_code not in EXPECTED:
            self.tally.errors.append(f"{kind} {path}: {response.status_code} {response.text[:200]}")
            return None
        return response

    async def step(self) -> None:
        kind = self.rng.choices(self.kinds, self.weights)[0]
        if kind == "solve" and (self.solved or self.tally.solves_left <= 0):
            kind = "summary"
        if kind == "status" and not self.mine:
            kind = "add_pledge"
        await getattr(self, kind)()

    async def pledges(self) -> None:
        got = await self.call("pledges", "GET", "/api/v1/pledges", params={
            "scenario": SCENARIO, "limit": 100, "offset": self.rng.choice((0, 0, 50))})
        if got is not None and got.status_code == 200:
            check_markings(self.tally, self.nation, "pledge", got.json()["items"])

    async def incidents(self) -> None:
        got = await self.call("incidents", "GET", "/api/v1/incidents", params={"limit": 50})
        if got is not None and got.status_code == 200:
            check_markings(self.tally, self.nation, "incident", got.json()["items"])

    async def summary(self) -> None:
        got = await self.call("summary", "GET", f"/api/v1/scenarios/{SCENARIO}/summary")
        if got is not None and got.status_code == 200:
            check_markings(self.tally, self.nation, "scenario", [got.json()["scenario"]])

    async def jobs(self) -> None:
        got = await self.call("jobs", "GET", "/api/v1/jobs", params={"limit": 20})
        if got is not None and got.status_code == 200:
            check_markings(self.tally, self.nation, "job", got.json()["items"])

    async def add_pledge(self) -> None:
        self.made += 1
        key = f"LD-{self.nation}-{self.number:03d}-{self.made}"
        body = {"key": key, "nation": self.nation, "capability": "engineer_company", "quantity": 1,
                "personnel_per_unit": 150, "where": ["inside"], "window": {"from": "2027-01-01", "to": "2027-12-31"},
                "rotation": {"max_tour": 6, "min_dwell": 6}, "marking": f"REL TO {self.nation}"}
        got = await self.call("add_pledge", "POST", f"/api/v1/scenarios/{SCENARIO}/pledges", json=body)
        if got is not None and got.status_code == 201:
            self.tally.pledges.add(key)
            self.mine[key] = 0
            check_markings(self.tally, self.nation, "pledge", [got.json()])

    async def status(self) -> None:
        key = self.rng.choice(sorted(self.mine))
        done = self.mine[key]
        if done >= len(STATUSES):
            await self.add_pledge()
            return
        on = (date(2026, 1, 1) + timedelta(days=30 * done)).isoformat()
        got = await self.call("status", "POST", f"/api/v1/scenarios/{SCENARIO}/pledges/{key}/status",
                              json={"status": STATUSES[done], "on_date": on})
        if got is not None and got.status_code == 201:
            self.tally.steps.add((key, STATUSES[done], on))
            self.mine[key] = done + 1

    async def report(self) -> None:
        self.made += 1
        ref = f"ld-{self.number:03d}-{self.made}"
        day = date(2026, 3, 1) + timedelta(days=self.rng.randrange(200))
        launched = self.rng.randrange(20, 200)
        body = {"text": f"Overnight on {day:%d %B %Y}, Russia launched {launched} drones at Ukraine; "
                        f"{launched // 2} were shot down. (load ref {ref})",
                "marking": f"REL TO {self.nation}", "name": ref, "date": day.isoformat()}
        got = await self.call("report", "POST", "/api/v1/intake/reports", json=body)
        if got is not None and got.status_code in (200, 201):
            self.tally.reports.add(ref)

    async def solve(self) -> None:
        self.solved = True
        self.tally.solves_left -= 1
        got = await self.call("solve", "POST", "/api/v1/jobs", json={"kind": "solve", "scenario": SCENARIO,
                                                                     "time_limit": 1.0, "label": "load"})
        if got is None or got.status_code != 202:
            return
        job = got.json()
        check_markings(self.tally, self.nation, "job", [job])
        self.tally.jobs[job["id"]] = job["state"]
        for _ in range(120):  # follow it (a read a second) until it ends, as a client waiting for its plan would
            await asyncio.sleep(1)
            seen = await self.call("job", "GET", f"/api/v1/jobs/{job['id']}")
            if seen is None or seen.status_code != 200:
                return
            self.tally.jobs[job["id"]] = seen.json()["state"]
            if seen.json()["state"] in ("done", "failed", "cancelled"):
                return


async def drive(base: str, tokens: dict[str, str], clients: int, seconds: float, solves: int, tally: Tally,
                sample: Any, mix: dict[str, int]) -> float:
    """Run the clients until `seconds` have passed (requests under way finish); return the wall seconds."""
    tally.solves_left = solves
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    deadline = time.monotonic() + seconds
    nations = list(tokens)

    async def one(number: int) -> None:
        nation = nations[number % len(nations)]
        headers = {"Authorization": f"Bearer {tokens[nation]}"}
        async with httpx.AsyncClient(base_url=base, headers=headers, timeout=120, limits=limits) as http:
            client = Client(number, nation, http, tally, random.Random(number), mix)
            await asyncio.sleep(client.rng.random())  # stagger the start over a second
            while time.monotonic() < deadline:
                await client.step()

    async def minutes() -> None:
        while time.monotonic() < deadline - 1:
            await asyncio.sleep(min(60.0, max(0.0, deadline - time.monotonic() - 1)))
            sample()

    start = time.monotonic()
    await asyncio.gather(minutes(), *(one(n) for n in range(clients)))
    return time.monotonic() - start


def count_writes(db: str, tally: Tally) -> dict[str, int]:
    """Look every acknowledged write up straight in the database (no access rules: the tables as stored)."""
    engine = create_engine(db)
    with engine.connect() as conn:
        keys = set(conn.execute(text("SELECT p.key FROM pledges p JOIN scenarios s ON s.id = p.scenario_id "
                                     "WHERE s.name = :s AND p.key LIKE 'LD-%'"), {"s": SCENARIO}).scalars())
        steps = {(k, st, str(d)) for k, st, d in conn.execute(text(
            "SELECT p.key, e.status, e.on_date FROM pledge_status_events e JOIN pledges p ON p.id = e.pledge_id "
            "WHERE p.key LIKE 'LD-%'"))}
        texts = conn.execute(text("SELECT raw_text FROM incident_reports WHERE raw_text LIKE '%(load ref ld-%'"))
        refs = {m.group(1) for (raw,) in texts for m in [re.search(r"\(load ref (ld-[0-9-]+)\)", raw)] if m}
        jobs: dict[str, str] = {str(i): str(st) for i, st in conn.execute(text("SELECT public_id, state FROM jobs"))}
    engine.dispose()
    return {"pledges acknowledged": len(tally.pledges), "pledges lost": len(tally.pledges - keys),
            "status steps acknowledged": len(tally.steps), "status steps lost": len(tally.steps - steps),
            "reports acknowledged": len(tally.reports), "reports lost": len(tally.reports - refs),
            "solve jobs": len(tally.jobs), "solve jobs not done": sum(1 for j in tally.jobs if jobs.get(j) != "done")}


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))] if ordered else float("nan")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default=os.environ.get("REASSURE_TEST_PG_URL"),
                        help="PostgreSQL URL on loopback (default $REASSURE_TEST_PG_URL); a fresh schema is made in it")
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--minutes", type=float, help="a soak run of this many minutes (memory sampled each minute)")
    parser.add_argument("--solves", type=int, default=6, help="plan solves in all (1 s each)")
    parser.add_argument("--setup", choices=("demo", "import"), default="demo")
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--mix", default="", help="weights to change, e.g. report=0,pledges=40 (kinds: "
                        + ", ".join(f"{k} {w}" for k, w in MIX) + ")")
    parser.add_argument("--json", type=Path, help="also write the figures as JSON")
    parser.add_argument("--keep", action="store_true", help="keep the schema, and the server's log in $TMPDIR")
    args = parser.parse_args(argv)
    if not args.db:
        raise SystemExit("--db (or REASSURE_TEST_PG_URL) is required")
    check_url(args.db)
    seconds = args.minutes * 60 if args.minutes else args.seconds
    mix = dict(MIX)
    for part in filter(None, args.mix.split(",")):
        kind, _, weight = part.partition("=")
        if kind.strip() not in mix or not weight.strip().isdigit():
            raise SystemExit(f"--mix: expected KIND=WEIGHT with KIND one of {', '.join(mix)}, got {part!r}")
        mix[kind.strip()] = int(weight)
    if not 1 <= args.clients <= MAX_CLIENTS or not 1 <= seconds <= MAX_SECONDS:
        raise SystemExit(f"at most {MAX_CLIENTS} clients and {MAX_SECONDS // 60} minutes")

    db = create_schema(args.db, "load")
    work = Path(os.environ.get("TMPDIR", "/tmp")) / schema_of(db)
    work.mkdir(parents=True)
    server: subprocess.Popen[bytes] | None = None
    try:
        started = time.monotonic()
        admin = load_data(db, args.setup, work)
        tokens = make_users(db, admin)
        setup_s = time.monotonic() - started
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        server = start_server(db, port, args.processes, args.workers, work / "server.log")
        wait_ready(base, tokens[NATIONS[0]], server, work / "server.log")
        samples: list[tuple[float, float]] = []
        t0 = time.monotonic()

        def sample() -> None:
            assert server is not None
            samples.append((round(time.monotonic() - t0), rss_mb(server.pid)))

        sample()
        cpu_before, client_before, load_before = cpu_of(server.pid), time.process_time(), os.getloadavg()
        tally = Tally()
        wall = asyncio.run(drive(base, tokens, args.clients, seconds, args.solves, tally, sample, mix))
        cpu_server, cpu_clients = cpu_of(server.pid) - cpu_before, time.process_time() - client_before
        load_after = os.getloadavg()
        sample()
        written = count_writes(db, tally)
    finally:
        if server is not None:
            stop_server(server)
        if not args.keep:
            drop_scratch(args.db, db)
            shutil.rmtree(work, ignore_errors=True)

    requests = sum(len(v) for v in tally.latencies.values())
    kinds = {kind: {"count": len(values), "p50": pct(values, 0.5), "p95": pct(values, 0.95), "p99": pct(values, 0.99),
                    "statuses": dict(sorted(tally.statuses[kind].items()))}
             for kind, values in sorted(tally.latencies.items())}
    lost = written["pledges lost"] + written["status steps lost"] + written["reports lost"]
    figures = {"machine": f"{os.cpu_count()} CPUs, {platform.system()} {platform.machine()}, Python "
                          f"{platform.python_version()}", "clients": args.clients, "seconds": round(wall, 1),
               "mix": mix, "setup": args.setup, "setup seconds": round(setup_s, 1), "processes": args.processes,
               "nations": list(NATIONS), "requests": requests, "requests/s": round(requests / wall, 1),
               "kinds": kinds, "errors": len(tally.errors), "error samples": tally.errors[:10],
               "leaks": len(tally.leaks), "leak samples": tally.leaks[:10], "records checked": tally.records_checked,
               "writes": written, "lost writes": lost, "rss MB": samples,
               "server CPU s": round(cpu_server, 1), "client CPU s": round(cpu_clients, 1),
               "load before": [round(x, 2) for x in load_before], "load after": [round(x, 2) for x in load_after]}
    print(f"load: {args.clients} clients of {len(NATIONS)} nations for {wall:.1f} s against reassure serve "
          f"--processes {args.processes} --workers {args.workers} on PostgreSQL ({figures['machine']}); setup "
          f"{args.setup} {setup_s:.1f} s; mix {', '.join(f'{k} {w}' for k, w in mix.items())}")
    print(f"{requests:,} requests, {requests / wall:.1f}/s; server CPU {cpu_server:.1f} s, clients CPU "
          f"{cpu_clients:.1f} s; load average {load_before[0]:.2f} before, {load_after[0]:.2f} after "
          f"(1 min; 5 min {load_after[1]:.2f})")
    print(f"{'kind':<11} {'count':>7} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}  statuses")
    for kind, line in kinds.items():
        print(f"{kind:<11} {line['count']:>7} {line['p50']:>8.0f} {line['p95']:>8.0f} {line['p99']:>8.0f}  "
              f"{line['statuses']}")
    print(f"errors: {len(tally.errors)}" + "".join(f"\n  {e}" for e in tally.errors[:10]))
    print(f"leaks: {len(tally.leaks)} of {tally.records_checked:,} records checked"
          + "".join(f"\n  {e}" for e in tally.leaks[:10]))
    print("writes: " + ", ".join(f"{k} {v}" for k, v in written.items()))
    print("server RSS MB (seconds into the run, MB): " + ", ".join(f"{t} s {m:.0f}" for t, m in samples)
          + (f"; median {statistics.median(m for _, m in samples):.0f}" if samples else ""))
    if args.json:
        args.json.write_text(json.dumps(figures, indent=1), encoding="utf-8")
    bad = len(tally.errors) + len(tally.leaks) + lost + written["solve jobs not done"]
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main())

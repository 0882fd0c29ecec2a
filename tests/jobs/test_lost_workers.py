"""Nothing stays "running" (issue 27, item 4; docs/adr/0051). A job worker is a real process (the worker that
`reassure serve` runs, without its web server); it is SIGKILLed mid-solve, as a crash, the OOM killer or a pulled
plug would stop it. Its job must not show as running for ever: the next worker to start on this machine sees that the
process named in the job is gone and fails the job with a message saying so; and a worker on another machine (or one
whose process cannot be checked) loses its lease, which any live worker's reaper notices. Nothing of the killed run
is stored (the plan is written in one transaction at the end of a solve).

A small generated scenario keeps the solver busy for its whole time limit, so the kill lands mid-solve."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import text

from reassure.db.uow import engine_for, lookup_session, unit_of_work
from reassure.domains.jobs.actions import job_progress, start_job
from reassure.domains.plans.models import StoredPlan
from reassure.domains.scenarios.importing import import_document
from reassure.domains.users.service import identity_for
from reassure.jobs.runner import worker_identity
from reassure.jobs.worker import job_queue, recover
from reassure.scenario_io.load import load_document
from reassure.services.job_kinds import submit_job
from reassure.services.job_requests import RulesJob, SolveJob
from reassure.settings import Settings
from tests.conftest import raw_counts, stored_user, who
from tests.scenario_io.samples import write

# A job worker process as `reassure serve` runs one (jobs/worker.py), without the web server around it.
WORKER = ("import time\nfrom reassure.jobs.worker import job_queue\nfrom reassure.settings import Settings\n"
          "job_queue(Settings()).start_worker(1)\ntime.sleep(600)\n")


def busy_scenario(tasks: int = 8, pledges: int = 40) -> str:
    """A scenario whose solve runs to its time limit (no quick proof of optimality): 8 tasks, 40 pledges, 24 months."""
    caps = ["fighter_squadron", "logistics_battalion", "frigate"]
    where = {"fighter_squadron": "air", "logistics_battalion": "adjacent", "frigate": "sea"}
    nations = ["FRA", "GBR", "DEU", "POL", "ITA", "NLD", "ESP", "SWE", "NOR", "DNK"]
    lines = ["format: reassure-scenario/1", "marking: PUBLIC", "scenario:", "  name: busy", "  title: Busy",
             "  horizon: {start: 2027-01-01, period: month, periods: 24}", "tasks:"]
    for t in range(tasks):
        c = caps[t % 3]
        lines += [f"  - key: T{t}", f"    name: Task {t}", f"    capability: {c}", f"    location: {where[c]}",
                  f"    demand: {2 + t % 3}", f"    priority: {1 + t % 5}"]
    lines.append("pledges:")
    for p in range(pledges):
        c = caps[p % 3]
        lines += [f"  - key: P{p}", f"    nation: {nations[p % len(nations)]}", f"    capability: {c}",
                  f"    quantity: {1 + p % 3}", "    personnel_per_unit: 200", f"    where: [{where[c]}]",
                  "    window: {from: 2027-01-01, to: 2028-12-31}",
                  f"    rotation: {{max_tour: {3 + p % 4}, min_dwell: {4 + p % 5}}}"]
    return "\n".join(lines) + "\n"


def _job(settings: Settings, job_id: str) -> tuple[str, str]:
    with engine_for(settings).connect() as connection:
        state, message = connection.execute(text("SELECT state, message FROM jobs WHERE public_id = :id"),
                                            {"id": job_id}).one()
    return str(state), str(message)


def _wait_state(settings: Settings, job_id: str, states: tuple[str, ...], seconds: float) -> str:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        state = _job(settings, job_id)[0]
        if state in states:
            return state
        time.sleep(0.1)
    return _job(settings, job_id)[0]


@pytest.mark.slow
def test_a_worker_killed_mid_solve_leaves_a_failed_job_and_no_plan(settings: Settings, tmp_path: Path) -> None:
    with unit_of_work(settings, identity=who("FRA")) as db:
        import_document(load_document(write(tmp_path, busy_scenario())), db=db, origin="busy.yaml")
    user = stored_user(settings.database_url, "FRA")
    with lookup_session(settings) as db:
        identity = identity_for(db, user)
    env = {**os.environ, "REASSURE_DATABASE_URL": settings.database_url, "REASSURE_ALERTS_EVERY_MINUTES": "0",
           "REASSURE_JOB_LEASE_SECONDS": "600"}  # a long lease: only the dead process tells, at once
    server = subprocess.Popen([sys.executable, "-c", WORKER], env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    try:
        job_id = job_queue(settings).submit(identity, SolveJob(scenario="busy", time_limit=120)).id
        assert _wait_state(settings, job_id, ("running", "done", "failed"), 90) == "running"
        time.sleep(1.0)  # well into the solve
        server.send_signal(signal.SIGKILL)
        server.wait(timeout=20)
    finally:
        if server.poll() is None:
            server.kill()
            server.wait(timeout=20)
    assert _job(settings, job_id)[0] == "running"  # what a crash leaves behind
    assert recover(settings) == [job_id]  # what the next worker to start does first
    state, message = _job(settings, job_id)
    assert state == "failed"
    assert message.startswith("the worker stopped while solving") and message.endswith("run it again"), message
    assert raw_counts(settings.database_url, StoredPlan) == (0,)  # nothing half-written: no plan of the killed run
    assert recover(settings) == []  # failed once


def test_a_live_worker_fails_the_job_of_a_worker_lost_elsewhere(settings: Settings) -> None:
    """Two jobs run by workers on another machine: one worker goes on renewing its lease, the other stopped. A live
    worker here (its reaper) fails the lost one within about a lease, and leaves the live one alone."""
    # A 3 s lease renewed every 0.3 s: a renewal delayed by a loaded machine (a write waiting on the reaper's lock)
    # must not lapse it; 1 s lapsed under CI's load and failed the live job.
    quick = settings.model_copy(update={"job_lease_seconds": 3.0, "alerts_every_minutes": 0})
    owner = who("FRA", user=stored_user(settings.database_url, "FRA"))
    jobs = []
    for name in ("elsewhere:1", "elsewhere:2"):
        with unit_of_work(quick, identity=owner) as db:
            job_id = submit_job(RulesJob(), db=db).id
        with unit_of_work(quick, identity=worker_identity("FRA")) as db:
            assert start_job(job_id, name, db=db, lease=timedelta(seconds=3)) is not None
        jobs.append(job_id)
    lost, alive = jobs
    stop = threading.Event()

    def renew() -> None:  # the live worker elsewhere: its heartbeat, twice a second
        while not stop.wait(0.3):
            with unit_of_work(quick, identity=worker_identity("FRA")) as db:
                job_progress(alive, db=db, progress=0.5, lease=timedelta(seconds=3))

    beat = threading.Thread(target=renew, daemon=True)
    beat.start()
    queue = job_queue(quick)
    queue.start_worker(1)
    try:
        assert _wait_state(quick, lost, ("failed",), 15) == "failed"
        time.sleep(3.5)  # more than a lease: the live one's heartbeat keeps it
        assert _job(quick, alive)[0] == "running"
    finally:
        queue.stop_worker()
        stop.set()
        beat.join(timeout=10)
    assert "the worker stopped while running the rule evaluation" in _job(quick, lost)[1]


@pytest.mark.parametrize("db_kind", ["sqlite"], indirect=True)  # SQLite's one write lock shows a needless one
def test_a_reaper_round_that_finds_every_worker_alive_takes_no_write_lock(settings: Settings) -> None:
    """Every worker's reaper checks for lost jobs every few seconds: a round that finds none only reads, so it never
    waits on (or holds) the database's write lock that the server's writes need. Another connection holds the write
    lock; the round still answers at once, and the live job stays running."""
    import sqlite3

    owner = who("FRA", user=stored_user(settings.database_url, "FRA"))
    with unit_of_work(settings, identity=owner) as db:
        job_id = submit_job(RulesJob(), db=db).id
    with unit_of_work(settings, identity=worker_identity("FRA")) as db:
        assert start_job(job_id, "elsewhere:1", db=db, lease=timedelta(seconds=600)) is not None
    writer = sqlite3.connect(settings.database_url.removeprefix("sqlite:///"), timeout=0)
    writer.isolation_level = None
    writer.execute("BEGIN IMMEDIATE")  # a long write under way (an import, say)
    try:
        began = time.monotonic()
        assert recover(settings.model_copy(update={"database_url": settings.database_url + "?timeout=1"})) == []
        assert time.monotonic() - began < 1.0  # no wait on the writer's lock (busy timeout 1 s)
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    assert _job(settings, job_id)[0] == "running"

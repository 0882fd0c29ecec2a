"""Jobs over HTTP with a real huey worker on the test database: a solve runs to a stored plan with live progress,
a cancel stops a long solve, hidden jobs are absent, and a job left running by a dead worker is failed at restart."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest

from reassure.core.identity import Role
from reassure.db.uow import unit_of_work
from reassure.domains.jobs.actions import start_job
from reassure.domains.scenarios.actions import load_bundled
from reassure.jobs.runner import worker_identity
from reassure.jobs.worker import recover
from tests.api.conftest import Api
from tests.conftest import who


@pytest.fixture
def worker(api: Api) -> Any:
    from reassure.api.routes.jobs import queue_of

    class _Request:
        app = api.client.app

    queue = queue_of(_Request())  # type: ignore[arg-type]
    queue.start_worker(workers=1)
    yield queue
    queue.stop_worker()


def _wait(api: Api, job_id: int, nation: str, states: tuple[str, ...], seconds: float = 60) -> dict[str, Any]:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        job: dict[str, Any] = api.get(f"/jobs/{job_id}", nation).json()
        if job["state"] in states:
            return job
        time.sleep(0.2)
    raise AssertionError(f"job {job_id} still {job['state']} after {seconds} s")


def test_a_solve_job_runs_to_a_stored_plan(api: Api, worker: Any, tmp_path: Path) -> None:
    api.load_sample(tmp_path)
    started = api.post("/jobs", "FRA", json={"kind": "solve", "scenario": "small", "time_limit": 2, "seed": 1})
    assert started.status_code == 202 and started.json()["state"] == "queued"
    job = _wait(api, started.json()["id"], "FRA", ("done", "failed"))
    assert job["state"] == "done" and job["plan_id"] and job["progress"] == 1.0, job
    assert job["marking"] == "REL TO FRA, GBR" and job["result"]["coverage"] == pytest.approx(job["coverage"])
    plan = api.get(f"/plans/{job['plan_id']}", "FRA").json()
    assert plan["settings"]["via"] == "job" and plan["marking"] == job["marking"]
    assert api.get(f"/jobs/{job['id']}", "DEU").status_code == 404  # released like its result
    assert api.post("/jobs", "FRA", Role.VIEWER, json={"kind": "solve", "scenario": "small"}).status_code == 403


def test_a_long_solve_is_cancelled_promptly(api: Api, worker: Any) -> None:
    with unit_of_work(api.settings, identity=who("FRA")) as db:
        load_bundled(db=db)
    started = api.post("/jobs", "FRA", json={"kind": "solve", "scenario": "illustrative", "time_limit": 120})
    job_id = started.json()["id"]
    _wait(api, job_id, "FRA", ("running",))
    time.sleep(1.0)
    asked = time.monotonic()
    assert api.client.delete(f"/api/v1/jobs/{job_id}", headers=api.headers("FRA")).status_code == 200
    job = _wait(api, job_id, "FRA", ("cancelled", "done", "failed"), seconds=30)
    assert job["state"] == "cancelled" and time.monotonic() - asked < 15, job
    again = api.client.delete(f"/api/v1/jobs/{job_id}", headers=api.headers("FRA"))
    assert again.status_code == 409


def test_a_job_left_running_by_a_dead_worker_is_failed_at_restart(api: Api, tmp_path: Path) -> None:
    api.load_sample(tmp_path)
    from reassure.domains.jobs.actions import submit_job
    from reassure.domains.jobs.schemas import SolveJob

    with unit_of_work(api.settings, identity=who("FRA")) as db:
        job_id = submit_job(SolveJob(scenario="small"), db=db).id
    with unit_of_work(api.settings, identity=worker_identity("FRA")) as db:
        assert start_job(job_id, "old-worker", db=db) is not None
    assert recover(api.settings) == [job_id]
    job = api.get(f"/jobs/{job_id}", "FRA").json()
    assert job["state"] == "failed" and "worker stopped" in job["message"]

"""Jobs over HTTP with a real huey worker on the test database: a solve runs to a stored plan with live progress,
a cancel stops a long solve, hidden jobs are absent, and a job left running by a dead worker is failed at restart."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from reassure.core.identity import Role
from reassure.db.uow import unit_of_work
from reassure.domains.jobs.actions import start_job
from reassure.domains.scenarios.importing import load_bundled
from reassure.jobs.runner import worker_identity
from reassure.jobs.worker import recover
from tests.api.conftest import Api
from tests.conftest import stored_user, who


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


def test_a_job_left_running_by_a_dead_worker_process_is_failed_at_restart(api: Api, tmp_path: Path) -> None:
    api.load_sample(tmp_path)
    from reassure.services.job_kinds import submit_job
    from reassure.services.job_requests import SolveJob

    with unit_of_work(api.settings, identity=who("FRA")) as db:
        job_id = submit_job(SolveJob(scenario="small"), db=db).id
    ended = subprocess.Popen([sys.executable, "-c", "pass"])  # a worker process of this machine that has ended
    ended.wait()
    with unit_of_work(api.settings, identity=worker_identity("FRA")) as db:
        assert start_job(job_id, f"{socket.gethostname()}:{ended.pid}", db=db) is not None
    assert recover(api.settings) == [job_id]
    job = api.get(f"/jobs/{job_id}", "FRA").json()
    assert job["state"] == "failed" and "worker stopped" in job["message"]


def test_a_job_takes_the_marking_of_the_data_it_ran_on_not_of_when_it_was_queued(api: Api, tmp_path: Path) -> None:
    """A solve queued while its scenario was all PUBLIC, run after a restricted pledge joined it, is no longer
    released to a nation that cannot see that pledge (found by review: the result leaked under the old marking)."""
    from reassure.domains.scenarios.importing import import_document
    from reassure.jobs.runner import run_job
    from reassure.scenario_io.load import load_document
    from reassure.services.job_kinds import submit_job
    from reassure.services.job_requests import SolveJob
    from tests.scenario_io.samples import VALID, write

    public_only = VALID.replace("    marking: REL TO GBR, FRA\n", "")
    stored_user(api.url, "FRA", Role.ANALYST, Role.PLANNER, name="fra-user")  # the worker runs a job as its owner
    with unit_of_work(api.settings, identity=who("FRA")) as db:
        import_document(load_document(write(tmp_path, public_only)), db=db, origin="public")
        job_id = submit_job(SolveJob(scenario="small", time_limit=1), db=db).id
    assert api.get(f"/jobs/{job_id}", "DEU").json()["marking"] == "PUBLIC"
    restricted = tmp_path / "restricted.csv"
    restricted.write_text("key,nation,capability,quantity,personnel_per_unit,where,available_from,available_to,"
                          "max_tour,min_dwell,marking\nFRA-SECRET,FRA,fighter_squadron,2,300,air,2027-01-01,"
                          "2027-12-31,4,8,\"REL TO FRA, GBR\"\n", encoding="utf-8")
    with unit_of_work(api.settings, identity=who("FRA")) as db:
        import_document(load_document(restricted), db=db, origin="restricted", scenario_name="small", prune=False)
    assert run_job(api.settings, job_id, "fra-user", "FRA", "test") == "done"
    fra = api.get(f"/jobs/{job_id}", "FRA").json()
    assert fra["marking"] == "REL TO FRA, GBR" and fra["plan_id"]
    hidden, absent = api.get(f"/jobs/{job_id}", "DEU"), api.get("/jobs/999999", "DEU")
    assert hidden.status_code == absent.status_code == 404
    listed = api.get("/jobs", "DEU", limit=1).json()
    assert listed["total"] == 0


def test_job_listings_count_every_job(api: Api, tmp_path: Path) -> None:
    from reassure.services.job_kinds import submit_job
    from reassure.services.job_requests import SolveJob

    api.load_sample(tmp_path)
    with unit_of_work(api.settings, identity=who("FRA")) as db:
        for _ in range(3):
            submit_job(SolveJob(scenario="small"), db=db)
    page = api.get("/jobs", "FRA", limit=1).json()
    assert page["total"] == 3 and len(page["items"]) == 1


def test_only_the_owner_or_an_admin_of_the_owners_nation_cancels_a_job(api: Api, tmp_path: Path) -> None:
    """A GBR admin could cancel France's jobs (issue 21, item 7); now they are answered as for an absent job."""
    from reassure.services.job_kinds import submit_job
    from reassure.services.job_requests import SolveJob

    api.load_sample(tmp_path)
    with unit_of_work(api.settings, identity=who("FRA")) as db:
        job_id = submit_job(SolveJob(scenario="small"), db=db).id  # marked REL TO FRA, GBR: GBR reads it
    gbr_admin = api.headers("GBR", Role.ADMIN, name="gbr-admin")
    assert api.client.get(f"/api/v1/jobs/{job_id}", headers=gbr_admin).status_code == 200
    refused = api.client.delete(f"/api/v1/jobs/{job_id}", headers=gbr_admin)
    absent = api.client.delete("/api/v1/jobs/999999", headers=gbr_admin)
    assert refused.status_code == absent.status_code == 404
    assert refused.json()["error"]["message"].replace(str(job_id), "N") == \
        absent.json()["error"]["message"].replace("999999", "N")
    assert api.client.delete(f"/api/v1/jobs/{job_id}", headers=api.headers("FRA", Role.VIEWER)).status_code == 403
    assert api.get(f"/jobs/{job_id}", "FRA").json()["state"] == "queued"
    cancelled = api.client.delete(f"/api/v1/jobs/{job_id}", headers=api.headers("FRA", Role.ADMIN, name="fra-admin"))
    assert cancelled.status_code == 200 and cancelled.json()["state"] == "cancelled"


def test_an_asks_job_stores_the_asks_with_its_plan(api: Api, worker: Any, tmp_path: Path) -> None:
    api.load_sample(tmp_path)
    plan_id = api.store_sample_plan("FRA")
    started = api.post("/jobs", "FRA", json={"kind": "asks", "plan_id": plan_id, "target": 1.0,
                                             "fair_shares": "ignore", "time_limit": 1, "seed": 1})
    assert started.status_code == 202 and started.json()["kind"] == "asks"
    job = _wait(api, started.json()["id"], "FRA", ("done", "failed"))
    assert job["state"] == "done" and job["plan_id"] == plan_id, job
    assert job["result"]["reached"] is True and job["result"]["units"] == 4 and job["coverage"] == 1.0
    asks = api.get(f"/plans/{plan_id}/asks", "FRA").json()
    assert asks["units"] == 4 and asks["rows"][0]["nation"] == "France"
    plan = api.get(f"/plans/{plan_id}", "FRA").json()
    assert plan["settings"]["asks"]["via"] == "job" and plan["coverage"] < 0.5  # the plan as pledged stays as it was
    assert api.get(f"/plans/{plan_id}/validation", "FRA").json()["valid"] is True


def test_a_brief_job_makes_a_pdf_only_its_readers_download(api: Api, worker: Any, tmp_path: Path) -> None:
    """The brief as a job (docs/adr/0040): a viewer starts it, its PDF is stored with the job and named after the day
    it was prepared; a viewer of another nation gets 404, as for an absent job."""
    from reassure.brief.files import prepared_day

    api.load_sample(tmp_path)
    assert api.post("/jobs", "FRA", Role.VIEWER, json={"kind": "brief", "map_period": "2026-13"}).status_code == 422
    refused = api.get("/brief", "FRA", Role.VIEWER, scenario="small", map_period="2026-13")  # the same, at once
    assert refused.status_code == 422 and "expected a month" in refused.json()["error"]["message"]
    started = api.post("/jobs", "FRA", Role.VIEWER, json={"kind": "brief", "scenario": "small", "map_period": "all"})
    assert started.status_code == 202 and started.json()["marking"] == "REL TO FRA", started.json()
    job = _wait(api, started.json()["id"], "FRA", ("done", "failed"))
    name = f"reassure-brief-small-{prepared_day().isoformat()}.pdf"
    assert job["state"] == "done" and job["result"]["file"] == name and job["result"]["map_period"] == "all dates", job
    download = api.get(f"/jobs/{job['id']}/file", "FRA", Role.VIEWER)
    assert download.status_code == 200 and download.content.startswith(b"%PDF")
    assert download.headers["content-disposition"] == f'attachment; filename="{name}"'
    assert len(download.content) == job["result"]["bytes"] and "document" not in job
    hidden = api.get(f"/jobs/{job['id']}/file", "GBR", Role.VIEWER)
    absent = api.get("/jobs/job_aaaaaaaaaaaaaaaa/file", "GBR", Role.VIEWER)
    assert hidden.status_code == absent.status_code == 404
    assert hidden.json()["error"]["message"].replace(job["id"], "?") == absent.json()["error"]["message"].replace(
        "job_aaaaaaaaaaaaaaaa", "?")

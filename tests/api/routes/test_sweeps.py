"""Sweeps over HTTP on both databases, with a real job worker running the sweep's runs in the job (no scheduler
configured: one after another, as the job's owner): the stored sweep, its comparison, its plans, released like its
inputs; a bad file answers 422 naming line and field and queues nothing."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest

from reassure.core.identity import Role
from reassure.domains.jobs.models import Job
from reassure.domains.plans.models import StoredPlan
from reassure.domains.sweeps.models import Sweep
from tests.api.conftest import Api
from tests.conftest import raw_counts

SWEEP = """\
name: small sweep
scenario: small
seconds: 0.5
variants:
  withdrawals: each
  flags: {us_backstop: false}
"""
YAML = {"Content-Type": "application/yaml"}


def _post(api: Api, body: str, nation: str = "GBR", *roles: Role, headers: dict[str, str] | None = None) -> Any:
    return api.client.post("/api/v1/sweeps", content=body.encode(), headers={**api.headers(nation, *roles),
                                                                             **(headers or YAML)})


def _wait(api: Api, job_id: str, nation: str, seconds: float = 60) -> dict[str, Any]:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        job: dict[str, Any] = api.get(f"/jobs/{job_id}", nation).json()
        if job["state"] in ("done", "failed", "cancelled"):
            return job
        time.sleep(0.2)
    raise AssertionError(f"job {job_id} still running after {seconds} s")


@pytest.mark.slow
def test_a_sweep_job_stores_the_sweep_and_its_plans(api: Api, worker: Any, tmp_path: Path) -> None:
    api.load_sample(tmp_path)
    started = _post(api, SWEEP)
    assert started.status_code == 202, started.text
    assert started.json()["kind"] == "sweep" and started.json()["marking"] == "REL TO FRA, GBR"
    job = _wait(api, started.json()["id"], "GBR")
    assert job["state"] == "done" and job["progress"] == 1.0 and job["result"]["runs"] == 4, job
    sweep_id = job["result"]["sweep"]
    detail = api.get(f"/sweeps/{sweep_id}", "GBR").json()
    assert detail["runs"][0]["key"] == "base" and detail["runs"][0]["plan"] == job["plan_id"]
    assert {r["key"] for r in detail["runs"]} == {"base", "without-FRA", "without-GBR", "flags-us_backstop=false"}
    assert detail["settings"]["scheduler"] == "inline" and detail["marking"] == "REL TO FRA, GBR"
    assert all(r["loss"] >= 0 for r in detail["runs"])
    listed = api.get("/sweeps", "GBR").json()
    assert [s["id"] for s in listed["items"]] == [sweep_id] and listed["items"][0]["worst"]
    assert api.get(f"/sweeps/{sweep_id}", "DEU").status_code == 404  # released like its inputs, hidden as absent
    assert api.get("/sweeps", "DEU").json()["items"] == []
    for run in detail["runs"]:
        assert api.get(f"/plans/{run['plan']}", "GBR").json()["settings"]["sweep"] == sweep_id
    # JSON is a sweep file too
    as_json = _post(api, '{"name": "j", "scenario": "small", "seconds": 0.5, "variants": {"draws": 1}}',
                    headers={"Content-Type": "application/json"})
    assert as_json.status_code == 202, as_json.text
    assert _wait(api, as_json.json()["id"], "GBR")["state"] == "done"
    assert raw_counts(api.url, Sweep, StoredPlan) == (2, 6)


def test_a_bad_sweep_answers_422_by_line_and_field_and_queues_nothing(api: Api, tmp_path: Path) -> None:
    api.load_sample(tmp_path)
    bad = _post(api, SWEEP.replace("seconds: 0.5", "seconds: [1]"))
    assert bad.status_code == 422
    assert "request body:3: seconds: expected a number of seconds" in bad.text
    no_task = _post(api, SWEEP + "  surges: [{task: NOWHERE, extra: 1}]\n")
    assert no_task.status_code == 422 and "NOWHERE" in no_task.text
    not_json = _post(api, "{", headers={"Content-Type": "application/json"})
    assert not_json.status_code == 422 and "not valid JSON" in not_json.text
    assert _post(api, SWEEP, "GBR", Role.VIEWER).status_code == 403
    assert api.post("/jobs", "GBR", json={"kind": "sweep", "spec": {"name": "x"}}).status_code == 422
    assert raw_counts(api.url, Job, Sweep, StoredPlan) == (0, 0, 0)

"""Opaque ids over the API: jobs, stored plans, rule evaluations and audit rows are named by random public ids that
tell one nation nothing of another's hidden records, and an old integer id (or any other text) answers exactly like
an unknown id on every route that takes one: 404 with the same body, never 422 telling the shape apart."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from sqlalchemy import text

from reassure.core.identity import Role
from reassure.core.public_ids import is_public_id
from reassure.db.uow import engine_for
from tests.api.conftest import Api, attacks_csv

UNKNOWN = {"plan": "plan_" + "a" * 16, "job": "job_" + "a" * 16}
SOLVE = {"kind": "solve", "scenario": "small", "time_limit": 1}
FLAG = [{"kind": "flag", "flag": "us_backstop", "value": False}]


def _is_number(value: Any) -> bool:
    try:
        int(str(value))
    except ValueError:
        return False
    return True


def _ids(items: list[dict[str, Any]], kind: str) -> list[str]:
    found = [item["id"] for item in items]
    assert all(is_public_id(i, kind) and not _is_number(i) for i in found), found
    return found


def test_ids_of_one_nation_tell_nothing_of_another_nations_hidden_records(api: Api, tmp_path: Path) -> None:
    """Two jobs DEU queues around three FRA jobs hidden from it, plans stored around hidden ones, evaluations and
    audit rows: every id DEU sees is an opaque public id, not a number, and the ids do not follow creation order."""
    api.load_sample(tmp_path)  # scenario "small": pledge GBR-FS REL TO GBR, FRA; a solve by FRA is marked so too
    api.ingest(tmp_path, attacks_csv(3), nation="FRA", marking=",FRA,")  # FRA's evaluations: REL TO FRA
    first = api.post("/jobs", "DEU", json=SOLVE)
    assert first.status_code == 202, first.text
    hidden = [api.post("/jobs", "FRA", json=SOLVE).json() for _ in range(3)]
    assert {h["marking"] for h in hidden} == {"REL TO FRA, GBR"}
    second = api.post("/jobs", "DEU", json=SOLVE).json()
    seen = _ids(api.get("/jobs", "DEU").json()["items"], "job")
    assert seen == [second["id"], first.json()["id"]]  # newest first, by creation, without the hidden three
    assert all(h["id"] not in seen for h in hidden)
    later = [api.post("/jobs", "DEU", json=SOLVE).json()["id"] for _ in range(12)]
    assert later not in (sorted(later), sorted(later, reverse=True))  # random: creation order does not show

    plans = [api.store_sample_plan(n) for n in ("DEU", "FRA", "FRA", "DEU")]
    deu_plans = _ids(api.get("/plans", "DEU").json()["items"], "plan")
    assert deu_plans == [plans[3], plans[0]]

    for nation in ("DEU", "FRA", "DEU"):
        assert api.post("/evaluations", nation).status_code == 201
    evaluations = api.get("/evaluations", "DEU", limit=1000).json()["items"]
    assert evaluations and {e["marking"] for e in evaluations} == {"PUBLIC"}
    _ids(evaluations, "eval")

    audit = api.get("/audit", "DEU", Role.ADMIN, limit=1000).json()["items"]
    _ids(audit, "aud")
    job_rows = [r for r in audit if r["entity"] == "Job"]
    assert job_rows and all(is_public_id(r["key"], "job") for r in job_rows)
    plan_rows = [r for r in audit if r["entity"] == "Plan"]
    assert plan_rows and all(is_public_id(r["key"].rpartition("/")[2], "plan") for r in plan_rows)
    body = json.dumps([api.get("/jobs", "DEU").json(), api.get("/plans", "DEU").json(), evaluations, audit])
    assert '"id": ' not in body.replace('"id": "', "")  # no id anywhere is a bare number


def _route_answers(api: Api, plan: str, job: str, value: Any) -> dict[str, tuple[int, str]]:
    """What every route that takes a plan or job id answers a French planner for one id value."""
    answers = {}
    for name, path in (("plan", f"/plans/{value}"), ("validation", f"/plans/{value}/validation"),
                       ("diff a", f"/plans/{value}/diff/{plan}"), ("diff b", f"/plans/{plan}/diff/{value}"),
                       ("tours.csv", f"/plans/{value}/tours.csv"), ("tours.ics", f"/plans/{value}/tours.ics"),
                       ("job", f"/jobs/{value}")):
        response = api.get(path, "FRA")
        answers[name] = (response.status_code, response.text)
    response = api.client.delete(f"/api/v1/jobs/{value}", headers=api.headers("FRA"))
    answers["cancel"] = (response.status_code, response.text)
    brief = api.get("/brief", "FRA", format="html", scenario="small", plan_id=value)
    answers["brief"] = (brief.status_code, brief.text)
    for kind, extra in (("whatif", {"changes": FLAG, "time_limit": 1}), ("robustness", {"samples": 100})):
        sent = [value, int(value)] if _is_number(value) and str(int(value)) == value else [value]
        for plan_id in sent:
            response = api.post("/jobs", "FRA", json={"kind": kind, "plan_id": plan_id, **extra})
            answers[f"{kind} {type(plan_id).__name__}"] = (response.status_code, response.text)
    return answers


def test_old_integer_ids_are_refused_like_unknown_ones_on_every_route(api: Api, tmp_path: Path) -> None:
    api.load_sample(tmp_path)
    plan = api.store_sample_plan("FRA")
    job = api.post("/jobs", "FRA", json=SOLVE).json()["id"]
    with engine_for(api.settings).connect() as connection:  # the rows' own integer keys: the old ids
        keys = {str(connection.execute(text(f"SELECT id FROM {t}")).scalar_one()) for t in ("plans", "jobs")}
    unknown_plan = _route_answers(api, plan, job, UNKNOWN["plan"])
    unknown_job = _route_answers(api, plan, job, UNKNOWN["job"])
    for name in ("plan", "validation", "tours.csv", "brief", "whatif str", "robustness str"):
        assert unknown_plan[name][0] == 404 and "no plan" in unknown_plan[name][1], (name, unknown_plan[name])
    assert unknown_job["job"][0] == unknown_job["cancel"][0] == 404
    for value in sorted(keys | {"0", "-1", "2", "7", "2147483648", "1.0", "abc", "plan_1", plan.upper(), job,
                                plan + "x"}):
        answers = _route_answers(api, plan, job, value)
        for name, (status, body) in answers.items():
            kind = "job" if name in ("job", "cancel") else "plan"
            if value == job and kind == "job":
                continue  # the job's own id finds it
            if name.endswith(" int") and abs(int(value)) > 2**31 - 1:  # outside every number's range (core/bounds):
                assert status == 422 and "plan_id" in body, (value, name, status, body)  # refused, whatever exists
                continue
            expected = (unknown_job if kind == "job" else unknown_plan)[name.replace(" int", " str")]
            assert status == expected[0] == 404, (value, name, status, body)
            assert body.replace(value, "ID") == expected[1].replace(UNKNOWN[kind], "ID"), (value, name, body)


def test_jobs_name_their_plans_by_public_id(api: Api, tmp_path: Path) -> None:
    """A what-if job's body, its stored parameters, its result and its plan's `base` all carry public ids."""
    from reassure.jobs.runner import run_job

    api.load_sample(tmp_path)
    plan = api.store_sample_plan("FRA")
    job = api.post("/jobs", "FRA", json={"kind": "whatif", "plan_id": plan, "changes": FLAG, "time_limit": 1}).json()
    assert is_public_id(job["id"], "job") and job["params"]["plan_id"] == plan and job["plan_id"] is None
    assert run_job(api.settings, job["id"], job["owner"], "FRA", "test") == "done"
    done = api.get(f"/jobs/{job['id']}", "FRA").json()
    assert is_public_id(done["plan_id"], "plan") and done["plan_id"] != plan
    what_if = api.get(f"/plans/{done['plan_id']}", "FRA").json()
    assert what_if["base"] == plan and what_if["label"] == f"what-if on {plan}"
    assert api.get(f"/plans/{plan}/diff/{done['plan_id']}", "FRA").json()["b"] == done["plan_id"]

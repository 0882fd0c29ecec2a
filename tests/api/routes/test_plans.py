"""Plan routes: stored plans listed, shown, diffed and re-validated, each only where released."""

from __future__ import annotations

import re
from pathlib import Path

from tests.api.conftest import Api


def test_stored_plans_follow_the_marking_of_their_problem(api: Api, tmp_path: Path) -> None:
    api.load_sample(tmp_path)
    public = api.store_sample_plan("DEU")  # DEU sees only the public pledge: a public problem
    narrow = api.store_sample_plan("FRA")  # FRA sees GBR-FS too (REL TO GBR, FRA): so is the plan
    fra = api.get("/plans", "FRA").json()
    deu = api.get("/plans", "DEU").json()
    assert fra["total"] == 2 and deu["total"] == 1 and deu["items"][0]["id"] == public
    assert {p["marking"] for p in fra["items"]} == {"PUBLIC", "REL TO FRA, GBR"}
    assert api.get(f"/plans/{narrow}", "DEU").status_code == 404
    detail = api.get(f"/plans/{narrow}", "GBR").json()
    assert detail["problem"]["horizon"]["periods"] == 12 and detail["plan"]["tours"]
    assert api.get(f"/plans/{narrow}/validation", "GBR").json()["valid"] is True
    diff = api.get(f"/plans/{public}/diff/{narrow}", "FRA").json()
    assert diff["a"] == public and diff["coverage_b"] >= diff["coverage_a"]
    assert api.get(f"/plans/{public}/diff/{narrow}", "DEU").status_code == 404


def _attach(api: Api, plan_id: str, nation: str = "FRA") -> None:
    """Compute asks on a stored plan (fair shares ignored: the sample's FRA is outside the fair-share base) and store
    them with it as a planner of `nation`."""
    from reassure.db.uow import unit_of_work
    from reassure.domains.plans.actions import attach_asks
    from reassure.domains.plans.service import get_plan
    from reassure.planner.analysis.asks import find_asks
    from reassure.planner.instance import Plan, Problem
    from tests.conftest import who

    with unit_of_work(api.settings, identity=who(nation)) as db:
        stored = get_plan(plan_id, db=db)
        _base, asks = find_asks(Problem.model_validate(stored.problem), 1.0, base=Plan.model_validate(stored.plan),
                                fair_shares="ignore", solve_seconds=1)
        attach_asks(plan_id, asks, db=db, settings={"target": 1.0})


def test_a_plans_asks_are_read_where_the_plan_is_released(api: Api, tmp_path: Path) -> None:
    api.load_sample(tmp_path)
    narrow = api.store_sample_plan("FRA")  # REL TO FRA, GBR
    assert api.get(f"/plans/{narrow}/asks", "FRA").json() is None  # none stored yet: said so, not an error
    _attach(api, narrow)
    asks = api.get(f"/plans/{narrow}/asks", "GBR").json()
    assert asks["reached"] is True and asks["units"] == 4 and asks["coverage"] == 1.0
    assert asks["lines"][0].startswith("To reach 100.0%") and "France 4" in asks["lines"][1]
    (row,) = asks["rows"]
    assert row["capability"] == "fighter squadron" and row["nation"] == "France" and row["count"] == 4
    assert row["closes"] and re.match(r"AIR-WEST \w+ 2027", row["closes"][0]) and row["close_tasks"] == ["AIR-WEST"]
    assert api.get(f"/plans/{narrow}/asks", "DEU").status_code == 404  # hidden and absent alike
    assert api.get("/plans/plan_nosuchplan00000/asks", "FRA").status_code == 404
    assert api.get(f"/plans/{narrow}", "FRA").json()["plan"]["asks"]["units_asked"] == 4


def test_asks_are_started_by_planners_of_the_plans_nation_only(api: Api, tmp_path: Path) -> None:
    from reassure.core.identity import Role

    api.load_sample(tmp_path)
    narrow = api.store_sample_plan("FRA")
    body = {"target": 0.9, "fair_shares": "prefer", "time_limit": 1}
    started = api.post(f"/plans/{narrow}/asks", "FRA", json=body)
    assert started.status_code == 202 and started.json()["kind"] == "asks" and started.json()["state"] == "queued"
    assert started.json()["params"]["plan_id"] == narrow and started.json()["marking"] == "REL TO FRA, GBR"
    assert api.post(f"/plans/{narrow}/asks", "GBR", json=body).status_code == 403  # released to GBR, not GBR's plan
    assert api.post(f"/plans/{narrow}/asks", "FRA", Role.VIEWER, json=body).status_code == 403
    assert api.post(f"/plans/{narrow}/asks", "DEU", json=body).status_code == 404
    for bad in ({"target": 1.5}, {"target": 0}, {"target": True}, {"target": "95%"},
                {"target": 0.9, "fair_shares": "loose"}, {"target": 0.9, "time_limit": 0}, {"target": 0.9, "x": 1}):
        assert api.post(f"/plans/{narrow}/asks", "FRA", json=bad).status_code == 422, bad
    jobs = api.get("/jobs", "FRA").json()
    assert jobs["total"] == 1  # only the one accepted

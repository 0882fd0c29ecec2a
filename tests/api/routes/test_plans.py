"""Plan routes: stored plans listed, shown, diffed and re-validated, each only where released."""

from __future__ import annotations

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

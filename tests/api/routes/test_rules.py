"""Rule routes: definitions, states over the caller's incidents, stored evaluations, backtests."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from reassure.core.identity import Role
from tests.api.conftest import Api, attacks_csv


def test_rule_states_rest_on_the_callers_incidents(api: Api, tmp_path: Path) -> None:
    api.ingest(tmp_path, attacks_csv(1), nation="DEU", marking="PUBLIC")
    api.ingest(tmp_path, attacks_csv(2), nation="FRA", marking=",FRA,")
    rules = api.get("/rules", "FRA", Role.VIEWER).json()
    assert rules and all(r["bundled"] for r in rules)
    fra = {s["rule_id"]: s for s in api.get("/rules/states", "FRA").json()}
    deu = {s["rule_id"]: s for s in api.get("/rules/states", "DEU").json()}
    assert set(fra) == set(deu) == {r["rule"]["id"] for r in rules}
    # a rule over incidents is read as of the caller's newest incident; one over the registry's dates alone (the
    # expiring trigger) as of today, for every caller (docs/adr/0043, addendum)
    registry = {"instruments-expiring"}
    assert all(s["as_of"] > deu[k]["as_of"] for k, s in fra.items() if k not in registry)
    assert {fra[k]["as_of"] for k in registry} == {deu[k]["as_of"] for k in registry} == {date.today().isoformat()}


def test_evaluations_are_stored_by_analysts_and_listed(api: Api, tmp_path: Path) -> None:
    api.ingest(tmp_path, attacks_csv(1), nation="DEU", marking="PUBLIC")
    stored = api.post("/evaluations", "DEU")
    assert stored.status_code == 201 and {e["marking"] for e in stored.json()} == {"PUBLIC"}
    assert api.post("/evaluations", "DEU", Role.VIEWER).status_code == 403
    listed = api.get("/evaluations", "GBR").json()
    assert listed["total"] == len(stored.json())


def test_a_backtest_needs_incidents_and_a_known_rule(api: Api, tmp_path: Path) -> None:
    rule = api.get("/rules", "DEU", Role.VIEWER).json()[0]["rule"]["id"]
    assert api.get(f"/rules/{rule}/backtest", "DEU").status_code == 404
    api.ingest(tmp_path, attacks_csv(1), nation="DEU", marking="PUBLIC")
    timeline = api.get(f"/rules/{rule}/backtest", "DEU").json()
    assert timeline["start"] <= "2025-01-02"
    assert api.get("/rules/no-such-rule/backtest", "DEU").status_code == 404

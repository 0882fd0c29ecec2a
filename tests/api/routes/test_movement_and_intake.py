"""The movement endpoints and report intake through the API (docs/adr/0045): records posted by another system with
its token go through the same ingest actions as files, idempotently; on both databases."""

from __future__ import annotations

from pathlib import Path

from reassure.core.identity import Role
from tests.api.conftest import Api
from tests.domains.incidents.factories import NIGHT

REPORT = ("From 18:00 on 13 September, air defences shot down 52 Shahed drones over Ukraine, the Air Force said on "
          "14 September.")
ROWS = [{"time_start": "2025-09-13 21:00", "time_end": "2025-09-14 09:00", "model": "Shahed-136/131",
         "target": "Ukraine", "launched": 58, "destroyed": 52, "not_reach_goal": None, "source": "kpszsu/posts/night"},
        {"time_start": "2025-09-14", "time_end": "2025-09-14", "model": "Unknown UAV", "target": "south",
         "launched": 4, "destroyed": 4, "source": "PvKPivden/posts/day"}]


def test_a_restriction_is_posted_listed_and_hidden_from_another_nation(db_url: str) -> None:
    api = Api(db_url)
    body = {"kind": "checkpoint", "start": "2026-03-02T09:00", "region": "Odesa oblast", "source": "fom-log",
            "publisher": "Coalition HQ", "grade": "b2", "marking": "REL TO FRA"}
    created = api.post("/movement", "FRA", json=body)
    assert created.status_code == 201, created.text
    shown = created.json()
    assert (shown["region"], shown["grade"], shown["standing"], shown["marking"]) == (
        "UA-51", "B2", "verified", "REL TO FRA")
    listing = api.get("/movement", "FRA").json()
    assert (listing["total"], [m["id"] for m in listing["items"]]) == (1, [shown["id"]])
    assert api.get(f"/movement/{shown['id']}", "FRA").status_code == 200
    assert api.get("/movement", "DEU").json()["total"] == 0
    assert api.get(f"/movement/{shown['id']}", "DEU").status_code == 404
    refused = api.post("/movement", "FRA", Role.VIEWER, json=body)
    assert refused.status_code == 403
    bad = api.post("/movement", "FRA", json={**body, "region": "Atlantis", "marking": "REL TO"})
    assert bad.status_code == 422 and "marking" in bad.text


def test_posted_reports_and_rows_are_ingested_once(db_url: str, tmp_path: Path) -> None:
    api = Api(db_url)
    rows = {"rows": ROWS, "marking": "PUBLIC", "name": "batch-1"}
    first = api.post("/intake/air-attacks", "FRA", json=rows)
    assert first.status_code == 201, first.text
    assert first.json()["changed"] and first.json()["summary"]["incidents_created"] == 2
    assert api.get("/evaluations", "FRA").json()["total"] > 0  # the rules were evaluated after the ingest
    again = api.post("/intake/air-attacks", "FRA", json={**rows, "name": "batch-2"})  # same rows, another name
    assert (again.status_code, again.json()["changed"], again.json()["message"]) == (
        200, False, "already stored: nothing changed")
    report = {"text": REPORT, "marking": "PUBLIC", "publisher": "Wire service", "date": "2025-09-14"}
    posted = api.post("/intake/reports", "FRA", json=report)
    assert posted.status_code == 201, posted.text
    assert posted.json()["summary"]["incident_keys"] == [NIGHT]  # joined the incident the rows gave
    repeat = api.post("/intake/reports", "FRA", json=report)
    assert (repeat.status_code, repeat.json()["changed"]) == (200, False)
    incident = api.get(f"/incidents/{NIGHT}", "DEU").json()
    assert len(incident["accounts"]) == 2  # the feed's account and the text's, each once
    audit = api.get("/audit", "FRA", Role.ADMIN, limit=100).json()["items"]
    assert sum(a["action"] in ("incidents.ingest_report", "incidents.import_air_attacks") for a in audit) == 2
    assert api.post("/intake/reports", "FRA", Role.VIEWER, json=report).status_code == 403
    empty = api.post("/intake/reports", "FRA", json={**report, "text": "nothing to see", "name": "x"})
    assert empty.status_code == 422 and "weapon" in empty.text

"""Incident and indicator routes: pages, totals and figures only over the incidents the caller sees."""

from __future__ import annotations

from pathlib import Path

from tests.api.conftest import Api, attacks_csv


def test_incident_pages_and_totals_follow_releasability(api: Api, tmp_path: Path) -> None:
    api.ingest(tmp_path, attacks_csv(1), nation="DEU", marking="PUBLIC")
    api.ingest(tmp_path, attacks_csv(2), nation="FRA", marking=",FRA,")
    fra = api.get("/incidents", "FRA", limit=5).json()
    deu = api.get("/incidents", "DEU", limit=5).json()
    assert fra["total"] == 16 and deu["total"] == 8 and len(fra["items"]) == len(deu["items"]) == 5
    assert fra["items"][0]["start"] > deu["items"][0]["start"]  # newest first, February only for France
    tail = api.get("/incidents", "DEU", limit=5, offset=5).json()
    assert len(tail["items"]) == 3 and not {i["key"] for i in tail["items"]} & {i["key"] for i in deu["items"]}
    key = fra["items"][0]["key"]
    assert api.get(f"/incidents/{key}", "FRA").json()["accounts"][0]["source"] == "mmau"
    assert api.get(f"/incidents/{key}", "DEU").status_code == 404


def test_indicators_carry_the_marking_of_what_they_rest_on(api: Api, tmp_path: Path) -> None:
    api.ingest(tmp_path, attacks_csv(1), nation="DEU", marking="PUBLIC")
    api.ingest(tmp_path, attacks_csv(2), nation="FRA", marking=",FRA,")
    fra = api.get("/indicators", "FRA", every="month").json()
    deu = api.get("/indicators", "DEU", every="month").json()
    assert fra["marking"] == "REL TO FRA" and deu["marking"] == "PUBLIC"
    assert len(fra["rows"]) == 2 and len(deu["rows"]) == 1
    assert deu["rows"][0]["launched"] == sum(100 + d for d in range(1, 9))
    assert api.get("/indicators", "DEU", min_grade="Z9").status_code == 422


def test_a_relink_moves_a_report_for_an_analyst_only(api: Api, tmp_path: Path) -> None:
    from reassure.core.identity import Role
    from reassure.db.uow import unit_of_work
    from reassure.domains.incidents.actions import ingest_report
    from tests.conftest import who

    api.ingest(tmp_path, attacks_csv(1, days=2), nation="DEU", marking="PUBLIC")
    with unit_of_work(api.settings, identity=who("DEU")) as db:
        ingest_report("From 18:00 on 1 January 2025 air defences shot down 91 Shahed drones.", db=db,
                      name="n.txt", publisher="Wire", rel_to="PUBLIC")
    first, second = "mmau:2025-01-01T18:00/2025-01-02T08:00", "mmau:2025-01-02T18:00/2025-01-03T08:00"
    detail = api.get(f"/incidents/{first}", "GBR").json()
    assert detail["standing"] == "verified" and "file-n:n.txt" in [a["id"] for a in detail["accounts"]]
    body = {"report": "file-n:n.txt", "to": second}
    assert api.post("/incidents/relinks", "GBR", Role.VIEWER, json=body).status_code == 403
    moved = api.post("/incidents/relinks", "GBR", json=body)
    assert moved.status_code == 201 and moved.json()["before"] == [first] and moved.json()["after"] == second
    assert api.get(f"/incidents/{second}", "GBR").json()["sources"] == ["file-n", "mmau"]
    assert api.get(f"/incidents/{first}", "GBR").json()["standing"] == "unconfirmed"
    assert api.post("/incidents/relinks", "GBR", json={"report": "file-x:x.txt", "to": second}).status_code == 404
    assert api.post("/incidents/relinks", "GBR", json={"report": "file-n:n.txt"}).status_code == 422

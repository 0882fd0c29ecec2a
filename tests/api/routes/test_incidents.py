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

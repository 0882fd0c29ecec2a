"""Verification routes (docs/adr/0042): an analyst records one (audited), a viewer may not, a hidden pledge is 404,
bad input is 422 naming the field; the listing pages newest first and the pledge reads its standing."""

from __future__ import annotations

from pathlib import Path

from reassure.core.identity import Role
from tests.api.conftest import Api

BODY = {"on_date": "2026-11-02", "kind": "visit", "finding": "shortfall", "found": 1, "readiness": "high",
        "notice": 2, "source": "JFC visit team", "grade": "B2"}


def test_record_list_and_refuse_verifications(api: Api, tmp_path: Path) -> None:
    api.load_sample(tmp_path)
    done = api.post("/scenarios/small/pledges/FRA-FS/verifications", "GBR", json=BODY)
    assert done.status_code == 201 and done.json()["marking"] == "PUBLIC" and done.json()["grade"] == "B2"
    assert api.post("/scenarios/small/pledges/FRA-FS/verifications", "GBR", Role.VIEWER,
                    json=BODY).status_code == 403
    assert api.post("/scenarios/small/pledges/GBR-FS/verifications", "DEU", json=BODY).status_code == 404
    bad = api.post("/scenarios/small/pledges/FRA-FS/verifications", "GBR", json={**BODY, "grade": "Z9"})
    assert bad.status_code == 422 and "grade" in bad.text
    listed = api.get("/scenarios/small/verifications", "DEU").json()
    assert listed["total"] == 1 and listed["items"][0]["pledge"] == "FRA-FS"
    # Britain's finding counts in Britain's view; France (the pledging nation) and Germany list it but plan on the
    # pledge as pledged until France confirms it (docs/adr/0042, addendum).
    for nation in ("FRA", "DEU"):
        other = next(p for p in api.get("/pledges", nation, scenario="small").json()["items"] if p["key"] == "FRA-FS")
        assert other["planned_units"] == 2, nation
        assert other["verification"] == ("not verified in your view (1 verification by another nation on record, "
                                         "counted in that nation's view only)"), nation
    pledge = next(p for p in api.get("/pledges", "GBR", scenario="small").json()["items"] if p["key"] == "FRA-FS")
    assert pledge["planned_units"] == 1
    assert pledge["verification"] == "verified with shortfall 2026-11-02: 1 of 2 units found (visit, B2)"
    assert pledge["readiness"].startswith("high readiness, 2 periods' notice to move, confirmed 2026-11-02")

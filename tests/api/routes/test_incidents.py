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
    assert api.post("/incident-relinks", "GBR", Role.VIEWER, json=body).status_code == 403
    moved = api.post("/incident-relinks", "GBR", json=body)
    assert moved.status_code == 201 and moved.json()["before"] == [first] and moved.json()["after"] == second
    assert api.get(f"/incidents/{second}", "GBR").json()["sources"] == ["file-n", "mmau"]
    assert api.get(f"/incidents/{first}", "GBR").json()["standing"] == "unconfirmed"
    assert api.post("/incident-relinks", "GBR", json={"report": "file-x:x.txt", "to": second}).status_code == 404
    assert api.post("/incident-relinks", "GBR", json={"report": "file-n:n.txt"}).status_code == 422


def targeted_csv(month: int, targets: list[str]) -> str:
    """Return an air-attack feed with one nightly attack per target (a target may name several oblasts)."""
    return "time_start,time_end,model,target,launched,destroyed\n" + "".join(
        f"2025-{month:02d}-{d:02d} 18:00,2025-{month:02d}-{d + 1:02d} 08:00,Shahed-136/131,{t},{100 + d},{90 + d}\n"
        for d, t in enumerate(targets, start=1))


def test_the_region_filter_works_on_every_attack_and_never_reveals_hidden_ones(api: Api, tmp_path: Path) -> None:
    api.ingest(tmp_path, targeted_csv(1, ["Kharkiv oblast", "Odesa oblast and Kharkiv oblast", "Ukraine"]),
               nation="DEU", marking="PUBLIC")
    api.ingest(tmp_path, targeted_csv(2, ["Kharkiv oblast", "Kharkiv oblast"]), nation="FRA", marking=",FRA,")
    for region in ("UA-63", "Харківщина", "kharkov oblast"):
        deu = api.get("/incidents", "DEU", region=region).json()
        fra = api.get("/incidents", "FRA", region=region).json()
        assert (deu["total"], fra["total"]) == (2, 4)  # France's own attacks stay hidden from Germany
        assert deu["total"] == len(deu["items"])
        assert all("UA-63" in {r["code"] for r in i["regions"]} for i in deu["items"] + fra["items"])
        rows = api.get("/indicators", "DEU", region=region).json()["rows"]
        assert sum(r["attacks"] or 0 for r in rows) == 2
    both = next(i for i in api.get("/incidents", "DEU", region="UA-51").json()["items"])
    assert [r["label"] for r in both["regions"]] == ["Odesa Oblast", "Kharkiv Oblast"]
    assert api.get("/incidents", "DEU", region="Atlantis").status_code == 422  # refused, never "no filter"
    assert api.get("/indicators", "DEU", region="Atlantis").status_code == 422


def test_violations_without_a_ceasefire_date_say_so(api: Api, tmp_path: Path) -> None:
    api.ingest(tmp_path, attacks_csv(1), nation="DEU", marking="PUBLIC")
    table = api.get("/indicators", "DEU", every="month").json()
    assert table["ceasefire"] is None and "no ceasefire date" in table["violations_note"]
    assert all(r["violations"] is None for r in table["rows"])
    assert api.get("/indicators", "DEU", scenario="no-such-scenario").status_code == 404


def test_the_incident_listing_filters_by_source_text_and_standing(api: Api, tmp_path: Path) -> None:
    from reassure.db.uow import unit_of_work
    from reassure.domains.incidents.actions import ingest_report
    from tests.conftest import who

    api.ingest(tmp_path, attacks_csv(1, days=3), nation="DEU", marking="PUBLIC")
    with unit_of_work(api.settings, identity=who("DEU")) as db:
        ingest_report("From 18:00 on 1 January 2025 air defences shot down 91 Shahed drones.", db=db,
                      name="n.txt", publisher="Wire", rel_to="PUBLIC")
    first = "mmau:2025-01-01T18:00/2025-01-02T08:00"

    def keys(**query: str) -> tuple[list[str], int]:
        body = api.get("/incidents", "GBR", limit=2, **query).json()
        return [i["key"] for i in body["items"]], body["total"]

    assert keys(source="file-n") == ([first], 1)
    assert keys(standing="verified") == ([first], 1)
    assert keys(standing="unconfirmed")[1] == 2 and keys(q="nowhere at all") == ([], 0)
    assert api.get("/incidents", "GBR", standing="true").status_code == 422
    assert api.get("/incidents", "GBR", sort="start").status_code == 422  # unknown parameters are refused

"""Registry routes: listings page and count only what the caller sees; a planner's status change is audited."""

from __future__ import annotations

from pathlib import Path

from reassure.core.identity import Role
from tests.api.conftest import Api


def test_pledges_page_and_count_only_what_each_nation_sees(api: Api, tmp_path: Path) -> None:
    api.load_sample(tmp_path)
    gbr = api.get("/pledges", "GBR", scenario="small").json()
    deu = api.get("/pledges", "DEU", scenario="small").json()
    assert gbr["total"] == 2 and {p["key"] for p in gbr["items"]} == {"FRA-FS", "GBR-FS"}
    assert deu["total"] == 1 and [p["key"] for p in deu["items"]] == ["FRA-FS"]
    first = api.get("/pledges", "GBR", scenario="small", limit=1, offset=1).json()
    assert first["total"] == 2 and len(first["items"]) == 1 and first["items"][0]["key"] == gbr["items"][1]["key"]
    fra_fs = gbr["items"][0]
    assert fra_fs["conditions"] == ["us_backstop"] and fra_fs["marking"] == "PUBLIC"
    assert api.get("/pledges", "GBR", domain="sea").json()["total"] == 0


def test_scenario_summary_tasks_command_and_legal(api: Api, tmp_path: Path) -> None:
    api.load_sample(tmp_path)
    assert api.get("/scenarios", "DEU").json()["total"] == 1
    summary = api.get("/scenarios/small/summary", "DEU").json()
    assert summary["scenario"]["name"] == "small" and summary["claim_standing"] == {"verified": 1}
    assert [t["key"] for t in api.get("/scenarios/small/tasks", "DEU").json()] == ["AIR-WEST"]
    assert [n["key"] for n in api.get("/scenarios/small/command", "DEU").json()] == ["HQ"]
    legal = api.get("/scenarios/small/legal", "DEU").json()
    assert [(x["key"], x["status"]) for x in legal] == [("SOFA-FRA", "in_force")]
    assert api.get("/scenarios/nowhere/summary", "DEU").status_code == 404


def test_sources_and_claims_carry_grades_and_filters(api: Api, tmp_path: Path) -> None:
    api.load_sample(tmp_path)
    claims = api.get("/claims", "DEU", standing="verified").json()
    assert claims["total"] == 1 and claims["items"][0]["grade"] == "B2" and claims["items"][0]["sources"] == ["src-1"]
    assert api.get("/claims", "DEU", standing="unconfirmed").json()["total"] == 0
    sources = api.get("/sources", "DEU").json()
    assert [s["id"] for s in sources["items"]] == ["src-1"]


def test_a_planner_changes_a_status_and_a_viewer_may_not(api: Api, tmp_path: Path) -> None:
    api.load_sample(tmp_path)
    change = {"status": "deployed", "on_date": "2027-01-02"}
    done = api.post("/scenarios/small/pledges/FRA-FS/status", "GBR", json=change)
    assert done.status_code == 201 and done.json()["status"] == "deployed"
    assert [s["status"] for s in done.json()["steps"]][-1] == "deployed"
    refused = api.post("/scenarios/small/pledges/FRA-FS/status", "GBR", Role.VIEWER, json=change)
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "forbidden"
    backwards = api.post("/scenarios/small/pledges/FRA-FS/status", "GBR",
                         json={"status": "offered", "on_date": "2020-01-01"})
    assert backwards.status_code == 409 and "forward in time" in backwards.json()["error"]["message"]
    hidden = api.post("/scenarios/small/pledges/GBR-FS/status", "DEU", json=change)
    assert hidden.status_code == 404


def test_nations_carry_memberships_and_figures_with_sources(api: Api) -> None:
    from reassure.db.uow import unit_of_work
    from reassure.domains.scenarios.importing import load_bundled
    from tests.conftest import who

    with unit_of_work(api.settings, identity=who("FRA")) as db:
        load_bundled(db=db)
    nato = api.get("/nations", "DEU", organisation="NATO").json()
    codes = {n["code"] for n in nato["items"]}
    assert {"FRA", "DEU", "POL"} <= codes and "AUT" not in codes and "UKR" not in codes
    fra = next(n for n in nato["items"] if n["code"] == "FRA")
    assert {m["organisation"] for m in fra["memberships"]} >= {"NATO", "EU"}
    assert fra["figures"] and all(f["source"] for f in fra["figures"])
    every = api.get("/nations", "DEU", everyone="true", limit=1000).json()
    assert every["total"] > 190 > nato["total"]


def test_a_planner_adds_a_pledge_and_a_viewer_may_not(api: Api, tmp_path: Path) -> None:
    api.load_sample(tmp_path)
    body = {"key": "POL-ENG", "nation": "POL", "capability": "engineer_company", "quantity": "1-3",
            "personnel_per_unit": 150, "where": ["inside"], "window": {"from": "2027-01-01", "to": "2027-12-31"},
            "rotation": {"max_tour": 6, "min_dwell": 6}, "marking": "REL TO GBR, POL"}
    refused = api.post("/scenarios/small/pledges", "GBR", Role.VIEWER, json=body)
    assert refused.status_code == 403
    done = api.post("/scenarios/small/pledges", "GBR", json=body)
    assert done.status_code == 201, done.text
    assert (done.json()["key"], done.json()["marking"], done.json()["planned_basis"]) == \
        ("POL-ENG", "REL TO GBR, POL", "range")
    assert api.post("/scenarios/small/pledges", "GBR", json=body).status_code == 409
    bad = api.post("/scenarios/small/pledges", "GBR", json={**body, "key": "X", "where": ["moon"]})
    assert bad.status_code == 422 and "where" in bad.text
    assert api.post("/scenarios/nowhere/pledges", "GBR", json=body).status_code == 404
    assert [p["key"] for p in api.get("/pledges?scenario=small", "DEU").json()["items"]].count("POL-ENG") == 0


def test_an_edit_of_a_hidden_pledge_answers_as_an_absent_one_whatever_version_or_etag_it_sends(
        api: Api, tmp_path: Path) -> None:
    # GBR-FS (REL TO GBR, FRA) is hidden from DEU: a stale version, a guessed ETag or none, a status step with a
    # version, its read and a viewer's edit all answer exactly as for a key that does not exist (no 409 confirming
    # it, no version, no writer named).
    api.load_sample(tmp_path)
    api.post("/scenarios/small/pledges/GBR-FS/status", "GBR", json={"status": "deployed", "on_date": "2027-01-05"})
    deu = api.headers("DEU")

    def answers(key: str) -> list[tuple[int, str, str | None]]:
        path = f"/api/v1/scenarios/small/pledges/{key}"
        sent = [api.client.patch(path, json=body, headers={**deu, **extra})
                for body, extra in (({"notes": "x", "version": 1}, {}), ({"notes": "x", "version": 9}, {}),
                                    ({"notes": "x"}, {"If-Match": 'W/"v1-0123"'}), ({"notes": "x"}, {}),
                                    ({}, {"If-Match": "v1"}))]
        sent += [api.client.get(path, headers=deu), api.client.get(f"{path}/history", headers=deu),
                 api.client.post(f"{path}/status", headers=deu,
                                 json={"status": "withdrawn", "on_date": "2027-02-01", "version": 1}),
                 api.client.patch(path, json={"notes": "x", "version": 1}, headers=api.headers("DEU", Role.VIEWER))]
        return [(r.status_code, r.text.replace(key, "KEY"), r.headers.get("etag")) for r in sent]

    hidden, absent = answers("GBR-FS"), answers("GBR-ZZ")
    assert hidden == absent and {status for status, _, _ in hidden} == {404, 422, 403}
    assert api.client.patch("/api/v1/scenarios/small/pledges/GBR-FS", json={"notes": "x", "version": 1},
                            headers=api.headers("FRA")).status_code == 409  # FRA sees it: told it changed

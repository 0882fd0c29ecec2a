"""/api/v1/asks: the cycle through the API (paged listing, 201 drafts, 403 another nation, 404 hidden, 409 out of
order), answered in part and added to France's pledge."""

from __future__ import annotations

from pathlib import Path

from reassure.core.identity import Role
from reassure.settings import Settings
from tests.api.conftest import Api
from tests.domains.requests.test_asks_lifecycle import SHARED, asked_cycle


def test_the_cycle_through_the_api(db_url: str, settings: Settings, tmp_path: Path) -> None:
    cycle = asked_cycle(settings, tmp_path, SHARED, draft=False)
    api = Api(db_url)
    drafted = api.post(f"/plans/{cycle.plan_id}/asks/draft", "FRA", json={"on_date": "2026-12-01",
                                                                          "answer_by": "2026-12-02"})
    assert drafted.status_code == 201, drafted.text
    ask = drafted.json()[0]["id"]
    assert drafted.json()[0]["answer_by"] == "2026-12-02"
    assert api.post(f"/plans/{cycle.plan_id}/asks/draft", "FRA", json={"on_date": "2026-12-01"}).status_code == 409
    listing = api.get("/asks", "GBR", open="true").json()
    assert listing["total"] == 1 and listing["items"][0]["id"] == ask and set(listing) == {"items", "total", "limit",
                                                                                         "offset"}
    assert api.get("/asks", "POL").json()["total"] == 0 and api.get(f"/asks/{ask}", "POL").status_code == 404
    assert api.post(f"/asks/{ask}/answer", "FRA", json={"answer": "full", "on_date": "2026-12-02"}).status_code == 409
    assert api.post(f"/asks/{ask}/send", "GBR", json={"on_date": "2026-12-02"}).status_code == 403
    assert api.post(f"/asks/{ask}/send", "FRA", Role.VIEWER, json={"on_date": "2026-12-02"}).status_code == 403
    assert api.post(f"/asks/{ask}/send", "FRA", json={"on_date": "2026-12-02"}).status_code == 200
    answered = api.post(f"/asks/{ask}/answer", "FRA", json={"answer": "part", "accepted": 1, "on_date": "2026-12-03"})
    assert answered.status_code == 200 and answered.json()["accepted"] == 1 and answered.json()["late"]
    # answered a day late: France's follow-up, unassigned until France names its follow-up owner
    headers = api.headers("FRA")
    assert api.get("/followups/owner", "FRA").json()["owner"] is None
    assert [(f["follows_key"], f["owner"]) for f in api.get("/followups", "FRA").json()["items"]] == [
        (f"{ask}/late", "")]
    owner = api.client.put("/api/v1/followups/owner", json={"owner": "fra-analyst-planner"}, headers=headers)
    assert owner.status_code == 200 and owner.json()["owner"] == "fra-analyst-planner", owner.text
    viewer = api.client.put("/api/v1/followups/owner", json={"owner": "fra-analyst-planner"},
                            headers=api.headers("FRA", Role.VIEWER))
    assert viewer.status_code == 403
    cleared = api.client.put("/api/v1/followups/owner", json={"owner": None}, headers=headers)
    assert cleared.status_code == 200 and cleared.json()["owner"] is None
    pledged = api.post(f"/asks/{ask}/pledge", "FRA", json={"pledge": "FRA-FS", "on_date": "2026-12-04"})
    assert pledged.status_code == 200 and pledged.json()["state"] == "pledged", pledged.text
    assert api.get(f"/asks/{ask}", "GBR").json()["pledge"] == "FRA-FS"

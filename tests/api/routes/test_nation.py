"""/nation/default-scenario: set and cleared by that nation's admin only (audited, REL TO that nation), read by its
readers only, never another nation's record; a hidden scenario answers like an absent one."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import text

from reassure.core.identity import Role
from reassure.db.uow import engine_for, unit_of_work
from reassure.db.versions import bump
from reassure.domains.audit.service import recent
from reassure.domains.scenarios.importing import import_document
from reassure.scenario_io.load import load_document
from tests.api.conftest import Api
from tests.conftest import who
from tests.scenario_io.samples import VALID, write

PATH = "/nation/default-scenario"


def test_only_a_nations_admin_sets_its_default_and_only_its_readers_see_it(api: Api, tmp_path: Path) -> None:
    api.load_sample(tmp_path)
    assert api.get(PATH, "FRA").json()["scenario"] is None
    fra_admin = api.headers("FRA", Role.ADMIN, name="fra-admin")
    planner = api.client.put(f"/api/v1{PATH}", json={"scenario": "small"}, headers=api.headers("FRA"))
    assert planner.status_code == 403
    made = api.client.put(f"/api/v1{PATH}", json={"scenario": "small"}, headers=fra_admin)
    assert made.status_code == 200 and made.json()["scenario"] == "small" and made.json()["marking"] == "REL TO FRA"
    assert api.get(PATH, "FRA", Role.VIEWER).json()["scenario"] == "small"
    gbr = api.get(PATH, "GBR").json()
    assert gbr["nation"] == "GBR" and gbr["scenario"] is None and gbr["set_by"] is None  # France's stays France's
    preview = api.client.put(f"/api/v1{PATH}", json={"scenario": "small"},
                             headers={**api.headers("GBR", Role.ADMIN, name="gbr-admin"), "X-View-As": "GBR"})
    assert preview.status_code == 200  # previewing one's own nation is no preview
    other = api.client.put(f"/api/v1{PATH}", json={"scenario": "small"},
                           headers={**api.headers("DEU", Role.ADMIN, name="deu-admin"), "X-View-As": "FRA"})
    assert other.status_code == 403  # a preview is read-only: nobody sets another nation's landing page
    with unit_of_work(api.settings, identity=who("FRA", Role.ADMIN, user="fra-admin")) as db:
        rows = [r for r in recent(db=db) if r.action.startswith("nation.default_scenario")]
    assert [(r.actor, r.key, r.marking, r.details["after"]["scenario"]) for r in rows] == [
        ("fra-admin", "FRA", "REL TO FRA", "small")]
    with unit_of_work(api.settings, identity=who("GBR", Role.ADMIN, user="gbr-admin")) as db:
        assert [r.key for r in recent(db=db) if r.action.startswith("nation.default_scenario")] == ["GBR"]
    cleared = api.client.delete(f"/api/v1{PATH}", headers=fra_admin)
    assert cleared.status_code == 200 and cleared.json()["scenario"] is None
    assert api.get(PATH, "FRA").json()["scenario"] is None and api.get(PATH, "GBR").json()["scenario"] == "small"


def test_a_hidden_scenario_cannot_be_chosen_and_answers_like_an_absent_one(api: Api, tmp_path: Path) -> None:
    restricted = VALID.replace("marking: PUBLIC", "marking: REL TO FRA", 1).replace(
        "    marking: REL TO GBR, FRA\n", "").replace("name: small", "name: french")
    with unit_of_work(api.settings, identity=who("FRA")) as db:
        import_document(load_document(write(tmp_path, restricted)), db=db, origin="french")
    deu_admin = api.headers("DEU", Role.ADMIN, name="deu-admin")
    hidden = api.client.put(f"/api/v1{PATH}", json={"scenario": "french"}, headers=deu_admin)
    absent = api.client.put(f"/api/v1{PATH}", json={"scenario": "nowhere"}, headers=deu_admin)
    assert hidden.status_code == absent.status_code == 404
    assert hidden.text.replace("french", "N") == absent.text.replace("nowhere", "N")
    assert api.get(PATH, "DEU").json()["scenario"] is None


def test_a_narrower_scenario_of_the_same_name_never_takes_the_defaults_place(api: Api, tmp_path: Path) -> None:
    """France chose the PUBLIC "small"; should a "small" REL TO FRA, GBR written by Britain appear beside it (the
    importer refuses to make one today; the row is written directly here), France still reads its own copy first
    (docs/adr/0011), so its default stands. Were the PUBLIC "small" not France's own, France's reads of that name
    would show the narrower one: France's landing page must not become that record: the default stops applying
    (pages ask again) instead."""
    api.load_sample(tmp_path)
    fra_admin = api.headers("FRA", Role.ADMIN, name="fra-admin")
    assert api.client.put(f"/api/v1{PATH}", json={"scenario": "small"}, headers=fra_admin).status_code == 200
    with engine_for(api.settings).begin() as connection:
        connection.execute(text(
            "INSERT INTO scenarios (name, title, description, standing, horizon_start, period, periods, flags, "
            "rel_to, owner_nation) SELECT name, 'A British variant', description, standing, horizon_start, period, "
            "periods, flags, ',FRA,GBR,', 'GBR' FROM scenarios WHERE name = 'small'"))
        bump(connection)  # a write past the actions moves the data version itself (kept answers: ADR 0052)
    assert api.get("/scenarios/small", "FRA").json()["marking"] == "PUBLIC"
    assert api.get(PATH, "FRA").json()["scenario"] == "small"

    with engine_for(api.settings).begin() as connection:  # the PUBLIC "small" as if another nation had written it
        connection.execute(text("UPDATE scenarios SET owner_nation = 'POL' WHERE name = 'small' AND rel_to = 'PUBLIC'"))
        bump(connection)
    assert api.get("/scenarios/small", "FRA").json()["marking"] == "REL TO FRA, GBR"
    assert api.get(PATH, "FRA").json()["scenario"] is None
    assert api.get("/brief", "FRA", format="html").status_code == 422

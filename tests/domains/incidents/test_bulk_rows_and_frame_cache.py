"""Bulk-inserted incident rows carry their writer's nation; the incident frame (and the indicators built on it) follows
a relink at once, also when nothing but the report's incident changed (both databases)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlalchemy import select

from reassure.core.markings import PUBLIC, Releasability
from reassure.db.uow import unit_of_work
from reassure.domains.incidents.actions import import_air_attacks, ingest_report, relink_report
from reassure.domains.incidents.models import Incident, IncidentRegion, IncidentReport, WeaponCount
from reassure.domains.incidents.service import incident_frame
from reassure.settings import Settings
from tests.conftest import who
from tests.domains.incidents.test_standing_and_relink import AIR, DAY, NIGHT, NIGHT_TEXT

FRA = who("FRA")


def _load(settings: Settings, tmp_path: Path, rel_to: str = PUBLIC) -> None:
    path = tmp_path / "air.csv"
    path.write_text(AIR, encoding="utf-8")
    with unit_of_work(settings, identity=FRA) as db:
        import_air_attacks(path, db=db, rel_to=rel_to)
        ingest_report(NIGHT_TEXT + " Strikes hit the Kharkiv region.", db=db, name="night.txt",
                      publisher="Wire service", rel_to=rel_to, on_date=date(2025, 9, 14))


def test_bulk_inserted_rows_name_the_writers_nation(settings: Settings, tmp_path: Path) -> None:
    _load(settings, tmp_path)
    _load(settings, tmp_path, Releasability.to("FRA", "GBR").to_column())
    with unit_of_work(settings, identity=FRA) as db:
        for model in (Incident, IncidentReport, WeaponCount, IncidentRegion):
            owners = set(db.scalars(select(model.owner_nation)))
            assert owners == {"FRA"}, model.__tablename__


def _sources(settings: Settings) -> dict[str, list[str]]:
    with unit_of_work(settings, identity=FRA) as db:
        frame = incident_frame(db=db)
    return {row["incident_id"]: row["sources"] for row in frame.iter_rows(named=True)}


def test_the_frame_follows_a_relink_at_once(settings: Settings, tmp_path: Path) -> None:
    _load(settings, tmp_path)
    assert _sources(settings)[NIGHT] == ["file-night", "mmau"] and _sources(settings)[DAY] == ["mmau"]  # cached
    with unit_of_work(settings, identity=FRA) as db:
        relink_report("file-night:night.txt", db=db, to=DAY)  # same counts, ids and revisions: only the link moves
    after = _sources(settings)
    assert after[NIGHT] == ["mmau"] and after[DAY] == ["file-night", "mmau"]
    with unit_of_work(settings, identity=FRA) as db:
        relink_report("file-night:night.txt", db=db, to=NIGHT)  # and back: the pin is updated, not added
    assert _sources(settings)[NIGHT] == ["file-night", "mmau"]

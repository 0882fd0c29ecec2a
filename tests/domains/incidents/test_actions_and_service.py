"""The incidents domain called directly (no CLI): every read filtered by releasability, the imports audited once
per change, and bad input refused with its place named and nothing written, on both databases."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from reassure.core.errors import Forbidden
from reassure.core.identity import Role
from reassure.core.markings import PUBLIC, Releasability
from reassure.core.text_files import InputFileError
from reassure.db.uow import unit_of_work
from reassure.domains.audit.models import AuditEntry
from reassure.domains.incidents.models import Incident, IncidentReport
from reassure.domains.incidents.service import (
    IncidentNotFound,
    attack_keys_on,
    get_incident,
    incident_frame,
    incidents_marking,
    latest_attack_day,
    list_incidents,
    region_counts,
)
from reassure.settings import Settings
from tests.conftest import raw_counts, who
from tests.domains.incidents.factories import DAY, HEADER, NIGHT, NIGHT_TEXT, air_attacks, text_report

FRA, DEU = who("FRA"), who("DEU")
REL_FRA = Releasability.to("FRA").to_column()


def test_every_read_shows_a_nation_only_the_incidents_released_to_it(settings: Settings, tmp_path: Path) -> None:
    air_attacks(settings, tmp_path, rel_to=REL_FRA)
    with unit_of_work(settings, identity=FRA) as db:
        assert {i.key for i in list_incidents(db=db)} == {NIGHT, DAY}
        assert get_incident(NIGHT, db=db).sources == ["mmau"]
        assert incident_frame(db=db).height == 2
        assert attack_keys_on(date(2025, 9, 14), db=db) == [NIGHT, DAY]  # dated by the morning they end
        assert incidents_marking(db=db) == REL_FRA  # what is derived from them is marked no wider
        assert region_counts(db=db)
    with unit_of_work(settings, identity=DEU) as db:  # hidden and absent look the same
        assert list_incidents(db=db) == []
        with pytest.raises(IncidentNotFound):
            get_incident(NIGHT, db=db)
        assert incident_frame(db=db).height == 0
        assert attack_keys_on(date(2025, 9, 14), db=db) == []
        assert latest_attack_day(db=db, min_sources=1) is None
        assert region_counts(db=db) == {}


def test_a_text_report_released_to_one_nation_adds_a_source_only_it_sees(settings: Settings, tmp_path: Path) -> None:
    air_attacks(settings, tmp_path, rel_to=PUBLIC)
    assert text_report(settings, NIGHT_TEXT, rel_to=REL_FRA).summary.incident_keys == [NIGHT]
    with unit_of_work(settings, identity=FRA) as db:
        assert get_incident(NIGHT, db=db).sources == ["file-night", "mmau"]
    with unit_of_work(settings, identity=DEU) as db:
        assert get_incident(NIGHT, db=db).sources == ["mmau"]
        assert incidents_marking(db=db) == PUBLIC


def test_an_import_is_audited_once_and_a_repeat_that_changes_nothing_is_not(settings: Settings,
                                                                             tmp_path: Path) -> None:
    first = air_attacks(settings, tmp_path, rel_to=REL_FRA)
    assert first.summary.changes and first.problems == []
    air_attacks(settings, tmp_path, rel_to=REL_FRA)
    with unit_of_work(settings, identity=FRA) as db:
        (entry,) = db.scalars(select(AuditEntry).where(AuditEntry.action == "incidents.import_air_attacks"))
        assert (entry.actor, entry.entity, entry.entity_key, entry.rel_to) == ("fra-user", "IncidentReport",
                                                                               "air.csv", REL_FRA)
        assert entry.details["source"] == "mmau" and sorted(entry.details["incidents"]) == sorted([NIGHT, DAY])
    with unit_of_work(settings, identity=DEU) as db:  # the audit row is marked like what it records
        assert list(db.scalars(select(AuditEntry).where(AuditEntry.action == "incidents.import_air_attacks"))) == []


def test_a_marking_without_the_writers_nation_is_refused_and_nothing_written(settings: Settings,
                                                                              tmp_path: Path) -> None:
    with pytest.raises(InputFileError) as error:
        air_attacks(settings, tmp_path, rel_to=Releasability.to("DEU").to_column())
    (problem,) = error.value.problems
    assert problem.file == "--marking" and "not released to your nation FRA" in problem.message
    assert raw_counts(settings.database_url, Incident, IncidentReport) == (0, 0)


def test_a_planner_without_the_analyst_role_may_not_ingest(settings: Settings, tmp_path: Path) -> None:
    with pytest.raises(Forbidden):
        air_attacks(settings, tmp_path, rel_to=PUBLIC, identity=who("FRA", Role.PLANNER))
    with pytest.raises(Forbidden):
        text_report(settings, NIGHT_TEXT, rel_to=PUBLIC, identity=who("FRA", Role.PLANNER))
    assert raw_counts(settings.database_url, Incident, IncidentReport) == (0, 0)


def test_a_bad_row_is_named_by_file_and_row_and_strict_writes_nothing(settings: Settings, tmp_path: Path) -> None:
    table = f"{HEADER}\n2025-09-14,2025-09-14,Unknown UAV,south,many,4,,PvKPivden/posts/day\n" \
            "2025-09-15,2025-09-15,Unknown UAV,south,3,3,,PvKPivden/posts/day2\n"
    with pytest.raises(InputFileError) as error:
        air_attacks(settings, tmp_path, rel_to=PUBLIC, text=table, strict=True)
    (problem,) = error.value.problems
    assert problem.file.endswith("air.csv") and problem.where == "row 2"
    assert raw_counts(settings.database_url, Incident, IncidentReport) == (0, 0)
    lenient = air_attacks(settings, tmp_path, rel_to=PUBLIC, text=table)  # without strict: the good row is kept
    assert [p.where for p in lenient.problems] == ["row 2"] and lenient.summary.bad_rows == 1
    assert raw_counts(settings.database_url, Incident) == (1,)


def test_a_text_with_a_nul_character_is_refused(settings: Settings) -> None:
    with pytest.raises(InputFileError) as error:
        text_report(settings, "shot down\x00 52 drones", rel_to=PUBLIC, name="nul.txt")
    assert [(p.file, p.message) for p in error.value.problems] == [("nul.txt", "the text contains a NUL character")]
    assert raw_counts(settings.database_url, IncidentReport) == (0,)

"""Importing the Air Force attack CSV and UCDP GED: real files, bad rows, strict mode, idempotent re-imports."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import polars as pl
import pytest
from sqlalchemy import func, select

from reassure import migrations as migrate
from reassure.db.uow import engine_for, unit_of_work
from reassure.domains.audit.models import AuditEntry
from reassure.domains.incidents.models import Incident, IncidentReport, WeaponCount
from reassure.domains.incidents.service import get_incident, incident_frame
from reassure.monitoring.indicators.frame import FULL_SCHEMA, validate_incident_frame
from reassure.settings import Settings
from tests.conftest import Cli, raw_counts, shared_data, who

AIR = ("ua-air-attacks", "missile_attacks_daily.csv")
WEAPONS = ("ua-air-attacks", "missiles_and_uavs.csv")
UCDP = ("ucdp-ged-ukraine", "ucdp_ged_ukraine_2014_2023.csv")
READER = who("NZL")
HEADER = "time_start,time_end,model,target,launched,destroyed,not_reach_goal,source"


def counts(settings: Settings) -> tuple[int, int, int, int]:
    """Return (incidents, reports, weapon lines, audit rows)."""
    return raw_counts(settings.database_url, Incident, IncidentReport, WeaponCount, AuditEntry)  # type: ignore[return-value]


@pytest.fixture(scope="module")
def air(tmp_path_factory: pytest.TempPathFactory) -> tuple[Settings, Cli, str]:
    """A SQLite database holding the whole air-attack CSV, imported once through the CLI."""
    csv, weapons = shared_data(*AIR), shared_data(*WEAPONS)
    url = f"sqlite:///{tmp_path_factory.mktemp('air') / 'air.sqlite'}"
    migrate.upgrade(engine_for(Settings(database_url=url)))
    cli = Cli(url)
    code, out, err = cli("ingest", "air-attacks", "--marking", "PUBLIC", str(csv), "--weapons", str(weapons))
    assert code == 0, err
    return Settings(database_url=url, user="tester"), cli, out


@pytest.mark.shared_data
def test_the_whole_csv_imports_one_incident_per_attack(air: tuple[Settings, Cli, str]) -> None:
    settings, _, out = air
    assert "3,770" in out and "2,050" in out
    incidents, reports, lines, _ = counts(settings)
    assert (incidents, reports, lines) == (2050, 2050, 3770)
    with unit_of_work(settings, identity=READER) as db:
        actions = list(db.scalars(select(AuditEntry.action).where(AuditEntry.action.not_like("evaluation.%"))))
    assert len(actions) == 2  # the source, and one row for the whole import (besides the rules evaluated after it)


@pytest.mark.shared_data
def test_the_largest_attack_is_stored_as_reported(air: tuple[Settings, Cli, str]) -> None:
    with unit_of_work(air[0], identity=READER) as db:
        detail = get_incident("mmau:2025-09-06T17:00/2025-09-07T09:30", db=db)
    assert (detail.start, detail.end, detail.timed) == (datetime(2025, 9, 6, 17), datetime(2025, 9, 7, 9, 30), True)
    (report,) = detail.accounts
    assert (report.source, report.grade, report.standing, report.revision) == ("mmau", "B2", "unconfirmed", 1)
    shahed = next(w for w in report.weapons if w.model == "Shahed-136/131")
    assert shahed.category == "drone" and shahed.launched and shahed.destroyed
    assert (shahed.launched.value, shahed.destroyed.value, shahed.launched.qualifier) == (810, 747, "exact")
    assert {w.model for w in report.weapons} == {"Shahed-136/131", "Iskander-M/KN-23", "Iskander-K"}
    assert "810.0,747.0" in report.raw_text  # the rows are kept verbatim


@pytest.mark.shared_data
def test_odd_date_formats_are_read(air: tuple[Settings, Cli, str]) -> None:
    with unit_of_work(air[0], identity=READER) as db:
        first, last = db.execute(select(func.min(Incident.start), func.max(Incident.start))).one()
        odd = db.scalar(select(Incident).where(Incident.start == datetime(2023, 5, 16, 3, 30)))
        padded = db.scalar(select(Incident).where(Incident.start == datetime(2025, 3, 6, 21, 0)))
    assert (first.date().isoformat(), last.date().isoformat()) == ("2022-09-28", "2026-06-06")
    assert odd is not None and odd.timed and padded is not None


@pytest.mark.shared_data
def test_the_frame_follows_the_schema_and_the_readme_totals(air: tuple[Settings, Cli, str]) -> None:
    with unit_of_work(air[0], identity=READER) as db:
        frame = incident_frame(db=db)
    validate_incident_frame(frame, check_values=True)
    assert frame.schema == pl.Schema(FULL_SCHEMA) and frame.height == 3770
    by_year = frame.group_by(pl.col("start").dt.year().alias("year")).agg(
        pl.len().alias("rows"), pl.col("launched").sum(), pl.col("destroyed").sum()).sort("year")
    assert by_year.filter(pl.col("year") == 2025).row(0) == (2025, 1267, 58777, 40060)
    assert set(frame["sources"].explode().unique()) == {"mmau"}


@pytest.mark.shared_data
def test_reimporting_the_same_file_changes_nothing(air: tuple[Settings, Cli, str]) -> None:
    settings, cli, _ = air
    before = counts(settings)
    code, out, _ = cli("ingest", "air-attacks", "--marking", "PUBLIC",
                       str(shared_data(*AIR)), "--weapons", str(shared_data(*WEAPONS)))
    assert code == 0 and "already up to date" in out
    assert counts(settings) == before


@pytest.mark.shared_data
def test_a_sample_imports_the_same_on_every_database(cli: Cli, settings: Settings, tmp_path: Path) -> None:
    lines = shared_data(*AIR).read_text(encoding="utf-8").splitlines(keepends=True)
    sample = tmp_path / "sample.csv"
    sample.write_text("".join(lines[:301]), encoding="utf-8")
    assert cli("ingest", "air-attacks", "--marking", "PUBLIC",
               str(sample))[0] == 0  # built-in keywords, no weapon table
    first = counts(settings)
    assert first[2] == 300 and first[0] < 300
    assert cli("ingest", "air-attacks", "--marking", "PUBLIC", str(sample))[0] == 0
    assert counts(settings) == first
    with unit_of_work(settings, identity=READER) as db:
        validate_incident_frame(incident_frame(db=db), check_values=True)


BAD = f"""{HEADER}
2025-01-01 18:00,2025-01-02 08:00,Shahed-136/131,Ukraine,100,80,5,kpszsu/posts/a
2025-13-01,2025-13-01,Shahed-136/131,Ukraine,10,9,,kpszsu/posts/b
2025-01-03,2025-01-03,Kalibr,Ukraine,-5,0,,kpszsu/posts/c
2025-01-04,2025-01-04,Kalibr,Ukraine,4
2025-01-01 18:00,2025-01-02 07:30,X-101/X-555 and Kalibr,Ukraine,12,10,,kpszsu/posts/a
2025-01-05 10:00,2025-01-04 09:00,Iskander-M,Kharkiv oblast,2,0,,kpszsu/posts/d
2025-01-06,2025-01-06,Foo-1,Ukraine,1,1,,kpszsu/posts/e
2025-01-07,2025-01-07,Iskander-M,Kharkiv oblast,2.5,0,,kpszsu/posts/f
"""


def test_bad_rows_are_named_and_the_good_rows_import(cli: Cli, settings: Settings, tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(BAD, encoding="utf-8")
    code, _, err = cli("ingest", "air-attacks", "--marking", "PUBLIC", str(path))
    assert code == 0, err
    for row, reason in ((3, "time_start: not a valid date or time '2025-13-01'"),
                        (4, "launched: a count cannot be negative"), (5, "expected 8 fields as in the header, got 5"),
                        (7, "time_end: the window ends"),
                        (8, "model: unknown weapon model 'Foo-1'"), (9, "launched: expected a whole number")):
        assert f"row {row}: {reason}" in err.replace("\n", " "), (row, err)
    assert "6 row(s) rejected" in err
    assert counts(settings)[:3] == (1, 1, 2)  # rows 2 and 6: one attack (same post and start), two weapon lines
    with unit_of_work(settings, identity=READER) as db:
        detail = get_incident("mmau:2025-01-01T18:00/2025-01-02T08:00", db=db)
    assert [w.category for w in detail.accounts[0].weapons] == ["drone", "cruise_missile"]


def test_strict_mode_writes_nothing_when_a_row_is_bad(cli: Cli, settings: Settings, tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(BAD, encoding="utf-8")
    code, _, err = cli("ingest", "air-attacks", "--marking", "PUBLIC", str(path), "--strict")
    assert code == 2 and "row 4" in err and "nothing was written" in err
    assert counts(settings) == (0, 0, 0, 0)


def test_an_unreadable_file_or_a_missing_column_is_an_input_error(cli: Cli, tmp_path: Path) -> None:
    code, _, err = cli("ingest", "air-attacks", "--marking", "PUBLIC", str(tmp_path / "absent.csv"))
    assert code == 2 and "cannot read the file" in err
    path = tmp_path / "nocol.csv"
    path.write_text("time_start,time_end,model,launched\n2025-01-01,2025-01-01,Kalibr,3\n", encoding="utf-8")
    code, _, err = cli("ingest", "air-attacks", "--marking", "PUBLIC", str(path))
    assert code == 2 and "row 1: header: missing column(s) destroyed" in err


@pytest.mark.shared_data
def test_ucdp_events_become_graded_incidents(cli: Cli, settings: Settings) -> None:
    path = shared_data(*UCDP)
    code, _, err = cli("ingest", "ucdp", "--marking", "PUBLIC", str(path))
    assert code == 0, err
    assert counts(settings)[:3] == (3883, 3883, 0)
    with unit_of_work(settings, identity=READER) as db:
        kinds = dict(db.execute(select(Incident.kind, func.count()).group_by(Incident.kind)).all())
        regions = set(db.scalars(select(Incident.region).distinct()))
        maidan = get_incident("ucdp:147997", db=db)
        frame = incident_frame(db=db, kind="ceasefire_violation", start=datetime(2015, 1, 1), end=datetime(2016, 1, 1))
    assert kinds == {"ceasefire_violation": 3877, "other": 6}
    assert {"Donetsk Oblast", "Kharkiv Oblast", "Zaporizhzhia Oblast", "Kyiv City"} <= regions
    assert not {"Kharkiv oblast", "Zaporizhzhya oblast"} & regions
    (report,) = maidan.accounts
    assert (report.grade, report.standing, report.fatalities_best, maidan.latitude) == ("B1", "verified", 5, 50.45)
    validate_incident_frame(frame, check_values=True)
    assert frame.height == 710 and frame["category"].null_count() == 710
    code, out, _ = cli("ingest", "ucdp", "--marking", "PUBLIC", str(path))
    assert code == 0 and "already up to date" in out


@pytest.mark.shared_data
def test_rules_check_shows_state_and_evidence(air: tuple[Settings, Cli, str]) -> None:
    code, out, err = air[1]("rules", "check", "--at", "2025-09-30")
    assert code == 10, err  # the sanctions trigger is met
    text = " ".join(out.split())
    assert "POLITICAL TRIGGER · MET as of 2025-09-30" in text
    assert "EXIT CONDITION · not met as of 2025-09-30" in text and "WATCH ALERT" in text
    assert "illustrative planning assumption, not agreed coalition policy" in text
    assert "mmau ×" in text and "B2 ×" in text and "mmau:2025-09" in text


@pytest.mark.shared_data
def test_rules_backtest_gives_a_timeline(air: tuple[Settings, Cli, str]) -> None:
    code, out, err = air[1]("rules", "backtest", "sanctions-review-mass-attacks", "--until", "2025-12-31")
    assert code == 0, err
    text = " ".join(out.split())
    assert "fired 1×, released 0×" in text and "2024-10-17 │ fired" in text
    assert "met spans: 2024-10-17 → still met" in text
    code, out, _ = air[1]("rules", "backtest", "surge-alert-launches", "--since", "2024-01-01")
    assert code == 0 and "fired" in out and "released" in out
    code, _, err = air[1]("rules", "backtest", "no-such-rule")
    assert code == 2 and "known: exit-quiet-skies" in err


@pytest.mark.shared_data
def test_indicators_and_incident_listing(air: tuple[Settings, Cli, str]) -> None:
    code, out, err = air[1]("indicators", "--every", "week", "--since", "2025-09-01", "--until", "2025-09-14")
    assert code == 0, err
    assert "2025-09-01" in out and "2025-09-08" in out and "%" in out
    code, out, _ = air[1]("incidents", "--since", "2025-09-06", "--until", "2025-09-06", "--limit", "0")
    assert code == 0 and "mmau:2025-09-06T17:00/2025-09-07T09:30" in out
    code, out, _ = air[1]("incidents", "--key", "mmau:2025-09-06T17:00/2025-09-07T09:30")
    assert code == 0 and "810" in out and "747" in out

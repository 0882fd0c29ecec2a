"""Revision 0012 gives incidents stored before it their regions (per report, marked like it) and UCDP event types."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import MetaData, Table, inspect, select

from reassure import migrations as migrate
from reassure.db.uow import engine_for, unit_of_work
from reassure.domains.incidents.actions import import_ucdp
from reassure.settings import Settings
from tests.conftest import who
from tests.monitoring.feeds.test_ucdp_types import ucdp_file


def test_existing_incidents_get_their_regions_and_types_back(empty_db_url: str, tmp_path: Path) -> None:
    settings = Settings(database_url=empty_db_url)
    engine = engine_for(settings)
    migrate.upgrade(engine)
    with unit_of_work(settings, identity=who("FRA")) as db:
        import_ucdp(ucdp_file(tmp_path), db=db, rel_to=",FRA,")
    migrate.downgrade(engine, "0009")  # as if stored before the revision: no regions table, no types
    assert "incident_regions" not in inspect(engine).get_table_names()
    migrate.upgrade(engine, "0012")
    with engine.connect() as connection:
        regions = Table("incident_regions", MetaData(), autoload_with=connection)
        incidents = Table("incidents", MetaData(), autoload_with=connection)
        reports = Table("incident_reports", MetaData(), autoload_with=connection)
        owners = {r.id: r.owner_nation for r in connection.execute(select(reports))}
        got = sorted((r.code, r.rel_to, r.owner_nation == owners[r.report_id]) for r in connection.execute(
            select(regions)))
        types = {r.key: r.event_type for r in connection.execute(select(incidents))}
    assert got == [("UA-14", ",FRA,", True), ("UA-23", ",FRA,", True), ("UA-63", ",FRA,", True)]  # like the report
    assert types == {"ucdp:1001": "state_based", "ucdp:1002": "non_state", "ucdp:1003": "one_sided"}

"""Revision 0014: stated windows of text reports stored before it are marked `stated`, rows marked REL TO one nation
get that nation as owner, and every delivery attempt gets a public id (both databases)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

from sqlalchemy import MetaData, Table, select, update

from reassure import migrations as migrate
from reassure.core.public_ids import is_public_id
from reassure.db.uow import engine_for, unit_of_work
from reassure.domains.incidents.actions import import_air_attacks, ingest_report
from reassure.settings import Settings
from tests.conftest import who
from tests.domains.incidents.test_standing_and_relink import AIR, NIGHT_TEXT


def test_0014_fills_bases_owners_and_delivery_ids(empty_db_url: str, tmp_path: Path) -> None:
    settings = Settings(database_url=empty_db_url)
    engine = engine_for(settings)
    migrate.upgrade(engine)
    path = tmp_path / "air.csv"
    path.write_text(AIR, encoding="utf-8")
    with unit_of_work(settings, identity=who("FRA")) as db:
        import_air_attacks(path, db=db, rel_to=",FRA,")
        ingest_report(NIGHT_TEXT, db=db, name="night.txt", publisher="Wire", rel_to=",FRA,", on_date=date(2025, 9, 14))
    migrate.downgrade(engine, "0013")
    now = datetime.now(UTC)
    with engine.begin() as connection:  # as bulk inserts left them before the revision
        for name in ("incidents", "incident_reports", "weapon_counts", "incident_regions"):
            table = Table(name, MetaData(), autoload_with=connection)
            connection.execute(update(table).values(owner_nation=None))
        channels = Table("alert_channels", MetaData(), autoload_with=connection)
        deliveries = Table("alert_deliveries", MetaData(), autoload_with=connection)
        channel = connection.execute(channels.insert().values(
            public_id="chan_aaaaaaaaaaaaaaaa", nation="FRA", kind="email", label="duty", target="a@b.test",
            active=True, created_by="x", created_at=now, rel_to=",FRA,")).inserted_primary_key[0]
        connection.execute(deliveries.insert(), [{"channel_id": channel, "attempt": n, "status": "gave up",
                                                  "error": "", "at": now, "rel_to": ",FRA,"} for n in (1, 2)])
    migrate.upgrade(engine, "0014")
    with engine.connect() as connection:
        reports = Table("incident_reports", MetaData(), autoload_with=connection)
        bases = {r.external_ref: r.window_basis for r in connection.execute(select(reports))}
        owners = {name: set(connection.execute(select(Table(name, MetaData(), autoload_with=connection).c.owner_nation))
                            .scalars()) for name in ("incidents", "incident_reports", "weapon_counts")}
        ids = list(connection.execute(select(Table("alert_deliveries", MetaData(), autoload_with=connection)
                                             .c.public_id)).scalars())
    assert bases["night.txt"] == "stated" and {v for k, v in bases.items() if k != "night.txt"} == {None}
    assert all(found == {"FRA"} for found in owners.values()), owners
    assert len(set(ids)) == 2 and all(is_public_id(i, "dlv") for i in ids)

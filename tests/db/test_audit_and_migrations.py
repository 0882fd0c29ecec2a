"""Every write leaves an audit row; migrations build the schema from empty and match the models."""

from __future__ import annotations

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from reassure import migrations as migrate
from reassure.core.identity import Role
from reassure.db.uow import engine_for, unit_of_work
from reassure.domains.audit.service import recent
from reassure.domains.metadata import Base
from reassure.settings import Settings
from tests.conftest import Cli, stored_user, who
from tests.scenario_io.samples import VALID, write


def test_upgrade_from_empty_creates_every_table_and_downgrade_removes_them(empty_db_url: str) -> None:
    engine = engine_for(Settings(database_url=empty_db_url))
    assert migrate.current_revision(engine) is None
    migrate.upgrade(engine)
    assert migrate.current_revision(engine) == migrate.head_revision()
    assert set(Base.metadata.tables) <= set(inspect(engine).get_table_names())
    migrate.downgrade(engine, "base")
    assert not set(Base.metadata.tables) & set(inspect(engine).get_table_names())


def test_migrations_match_the_models(db_url: str) -> None:
    engine = engine_for(Settings(database_url=db_url))
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []


def test_import_audits_each_created_record_with_the_actor(cli: Cli, settings: Settings, tmp_path: Path) -> None:
    name = stored_user(cli.url, "FRA", Role.PLANNER, name="planner-7")
    code, _, err = cli("import", str(write(tmp_path, VALID)), user=name)
    assert code == 0, err
    with unit_of_work(settings, identity=who("FRA", Role.ADMIN)) as db:
        rows = recent(db=db, limit=500)
    actions = {r.action for r in rows}
    assert {"scenario.create", "pledge.create", "task.create", "source.create", "claim.create"} <= actions
    assert {(r.actor, r.actor_nation) for r in rows} == {("planner-7", "FRA")}  # the nation comes from the database
    pledge = next(r for r in rows if r.entity == "Pledge" and r.key.endswith("FRA-FS"))
    assert pledge.details["after"]["personnel_per_unit"] == 300 and pledge.marking == "PUBLIC"


def test_commands_refuse_an_unmigrated_database(tmp_path: Path) -> None:
    runner = Cli(f"sqlite:///{tmp_path / 'blank.sqlite'}")
    code, _, err = runner("pledges")
    assert code == 2 and "reassure db upgrade" in err
    code, out, _ = runner("db", "upgrade")
    assert code == 0 and f"empty → {migrate.head_revision()}" in out
    assert runner("pledges")[0] == 0

"""Every write leaves an audit row; migrations build the schema from empty and match the models."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import MetaData, Table, insert, inspect, select, text

from reassure import migrations as migrate
from reassure.core.identity import Role
from reassure.core.public_ids import is_public_id
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


def _old_rows() -> dict[str, Any]:
    """Tables as revision 0006 had them (only the columns these rows need), for rows made before opaque ids."""
    now = datetime(2026, 11, 30, tzinfo=UTC)
    plan = {"scenario": "small", "problem": {}, "plan": {}, "settings": {}, "status": "optimal", "coverage": 0.5,
            "bound": 0.6, "tours": 1, "gaps": 0, "author": "fra-user", "author_nation": "FRA", "created_at": now,
            "rel_to": "PUBLIC"}
    job = {"state": "done", "progress": 1.0, "message": "done", "cancel_requested": False, "owner": "fra-user",
           "owner_nation": "FRA", "worker": "w", "created_at": now, "rel_to": "PUBLIC"}
    audit = {"at": now, "actor": "fra-user", "actor_nation": "FRA", "outcome": "done", "rel_to": ",FRA,"}
    return {
        "plans": [{**plan, "id": 4, "label": "", "base_id": None},
                  {**plan, "id": 9, "label": "what-if on 4", "base_id": 4}],
        "jobs": [{**job, "id": 3, "kind": "whatif", "params": {"kind": "whatif", "plan_id": 4}, "result": {},
                  "plan_id": 9},
                 {**job, "id": 5, "kind": "rules", "params": {"kind": "rules"}, "result": {"evaluations": [7]},
                  "plan_id": None}],
        "rule_evaluations": [{"id": 7, "rule_id": "r", "rule_name": "R", "kind": "alert", "as_of": now.date(),
                              "met": False, "evaluation": {}, "evidence": [], "author": "fra-user",
                              "created_at": now, "rel_to": "PUBLIC"}],
        "audit_log": [{**audit, "id": 11, "action": "job.done", "entity": "Job", "entity_key": "3",
                       "details": {"before": {"state": "running"}, "after": {"state": "done", "plan": 9}}},
                      {**audit, "id": 12, "action": "plan.create", "entity": "Plan", "entity_key": "small/9",
                       "details": {"after": {"base": 4, "coverage": 0.5}}},
                      {**audit, "id": 13, "action": "job.submit", "entity": "Job", "entity_key": "3",
                       "details": {"after": {"kind": "whatif", "plan_id": 4}}},
                      {**audit, "id": 14, "action": "brief.render", "entity": "Brief", "entity_key": "small",
                       "details": {"after": {"plan": 4, "reader": "FRA"}}}],
    }


def _table(connection: Any, name: str) -> Table:
    return Table(name, MetaData(), autoload_with=connection)


def test_the_migration_gives_existing_rows_public_ids_and_rewrites_the_numbers_they_name(empty_db_url: str) -> None:
    engine = engine_for(Settings(database_url=empty_db_url))
    migrate.upgrade(engine, "0006")
    with engine.begin() as connection:
        for name, rows in _old_rows().items():
            connection.execute(insert(_table(connection, name)), rows)
    migrate.upgrade(engine)
    with engine.connect() as connection:
        ids = {name: {r.id: r.public_id for r in connection.execute(select(_table(connection, name)))}
               for name in ("plans", "jobs", "rule_evaluations", "audit_log")}
        jobs = {r.id: r for r in connection.execute(select(_table(connection, "jobs")))}
        plans = {r.id: r for r in connection.execute(select(_table(connection, "plans")))}
        audit = {r.id: r for r in connection.execute(select(_table(connection, "audit_log")))}
    for name, prefix in (("plans", "plan"), ("jobs", "job"), ("rule_evaluations", "eval"), ("audit_log", "aud")):
        assert all(is_public_id(v, prefix) for v in ids[name].values()) and len(set(ids[name].values())) == len(
            ids[name]), name
    plan4, plan9 = ids["plans"][4], ids["plans"][9]
    assert jobs[3].params["plan_id"] == plan4 and jobs[3].plan_id == 9  # the key stays inside the database
    assert jobs[5].result["evaluations"] == [ids["rule_evaluations"][7]]
    assert plans[9].label == f"what-if on {plan4}" and plans[9].base_id == 4
    assert audit[11].entity_key == ids["jobs"][3] and audit[11].details["after"]["plan"] == plan9
    assert audit[12].entity_key == f"small/{plan9}" and audit[12].details["after"]["base"] == plan4
    assert audit[13].details["after"]["plan_id"] == plan4 and audit[14].details["after"]["plan"] == plan4
    with unit_of_work(Settings(database_url=empty_db_url), identity=who("FRA")) as db:  # new rows get one at insert
        from reassure.domains.plans.service import get_plan

        assert get_plan(plan9, db=db).base == plan4
    migrate.downgrade(engine, "0006")
    with engine.connect() as connection:
        assert {r.id: r.params for r in connection.execute(select(_table(connection, "jobs")))}[3]["plan_id"] == 4
        assert [r.entity_key for r in connection.execute(select(_table(connection, "audit_log")).order_by(
            text("id")))] == ["3", "small/9", "3", "small"]

"""`reassure db backup FILE` and `reassure db restore FILE` (issue 27, item 4) on SQLite and PostgreSQL.

One test per database, as the one database is costly to make: a backup taken while another thread writes holds each
user with its audit row or neither (the read is one transaction); restoring it into an empty database gives back every
table's rows as stored (past the access filter), plus the restore's own audit row; a damaged file, a file of another
schema revision and a database holding data without --replace are refused with nothing changed; a restored SQLite copy
opened read-only serves reads."""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from reassure import migrations as migrate
from reassure.core.errors import ReadOnlyDatabase
from reassure.core.identity import Role
from reassure.db.uow import engine_for, unit_of_work
from reassure.domains.metadata import Base
from reassure.domains.scenarios.importing import import_document
from reassure.domains.users.actions import add_user
from reassure.domains.users.service import list_users
from reassure.migrations import backup
from reassure.migrations.backup import _rows, read_header, restore_backup, take_backup
from reassure.scenario_io.load import load_document
from reassure.settings import Settings
from tests.api.conftest import Api, attacks_csv
from tests.conftest import PG_ENV, Cli, _pg_schema_url, stored_user, who
from tests.scenario_io.samples import VALID, write

pytestmark = pytest.mark.slow


@pytest.fixture
def other_url(empty_db_url: str, tmp_path: Path) -> Iterator[str]:
    """Yield a second empty database of the same kind, migrated to the newest revision."""
    if empty_db_url.startswith("sqlite"):
        url = f"sqlite:///{tmp_path / 'restored.sqlite'}"
        migrate.upgrade(engine_for(Settings(database_url=url)))
        yield url
        return
    for url in _pg_schema_url(os.environ[PG_ENV]):
        migrate.upgrade(engine_for(Settings(database_url=url)))
        yield url


def raw_tables(url: str) -> dict[str, list[tuple[Any, ...]]]:
    """Return every table's rows as stored, in key order (a plain connection: no access filter)."""
    with engine_for(Settings(database_url=url)).connect() as connection:
        return {t.name: [tuple(r) for r in connection.execute(select(t).order_by(*t.primary_key.columns))]
                for t in Base.metadata.sorted_tables}


def populate(url: str, tmp: Path) -> str:
    """Fill many tables (a scenario with pledges and sources, incidents, users and tokens, audit rows); return the
    name of an admin."""
    api = Api(url)
    api.load_sample(tmp)
    api.ingest(tmp, attacks_csv(3, days=4), nation="DEU", marking=",DEU,FRA,")
    api.token("FRA")
    return stored_user(url, "GBR", Role.ADMIN, name="gbr-admin")


def test_backup_restore_round_trip_consistent_under_writes_and_refusals(db_url: str, other_url: str,
                                                                        tmp_path: Path) -> None:
    settings = Settings(database_url=db_url)
    admin = populate(db_url, tmp_path)
    admin_identity = who("GBR", Role.ADMIN, user=admin)

    # A backup while another thread writes: each write adds a user and its audit row in one transaction.
    def write_meanwhile(table: str) -> None:
        if table in ("audit_log", "jobs", "users"):
            def add() -> None:
                with unit_of_work(settings, identity=admin_identity) as db:
                    add_user(admin_identity, f"late-{table.replace('_', '-')}", "GBR", ["viewer"], db=db)
            writer = threading.Thread(target=add)
            writer.start()
            writer.join(timeout=30)

    snapshot = tmp_path / "snapshot.jsonl"
    header = take_backup(engine_for(settings), snapshot, revision=migrate.head_revision() or "",
                         between_tables=write_meanwhile)
    columns = header.tables
    names = list(columns)
    users = {dict(zip(columns["users"], r[1:], strict=True))["name"] for r in _rows(snapshot)
             if names[r[0]] == "users"}
    audited = {dict(zip(columns["audit_log"], r[1:], strict=True))["entity_key"] for r in _rows(snapshot)
               if names[r[0]] == "audit_log" and r[1 + columns["audit_log"].index("action")] == "user.create"}
    late = {u for u in users if u.startswith("late-")}
    assert {u for u in audited if u.startswith("late-")} == late  # none of the three writes is half in the file
    with engine_for(settings).connect() as connection:  # and they all happened, after the snapshot began
        stored = {r[0] for r in connection.execute(select(Base.metadata.tables["users"].c.name))}
    assert {"late-audit-log", "late-jobs", "late-users"} <= stored and late == set()

    # Through the CLI: an admin's backup, restored into an empty database, gives back every row as stored.
    source = Cli(db_url)
    code, _, err = source("db", "backup", str(tmp_path / "refused.jsonl"), nation="GBR")
    assert code == 4 and not (tmp_path / "refused.jsonl").exists()  # admins only
    code, out, err = source("db", "backup", str(tmp_path / "full.jsonl"), user=admin)
    assert code == 0, err
    assert not list(tmp_path.glob(".full.jsonl.*"))  # no temporary file left beside it
    before = raw_tables(db_url)
    target = Cli(other_url)
    code, _, err = target("db", "restore", str(tmp_path / "full.jsonl"), user="fra-analyst-planner")
    assert code == 4 and "admin in the backup" in err  # who restores must be an admin of what is restored
    code, out, err = target("db", "restore", str(tmp_path / "full.jsonl"), user=admin)
    assert code == 0, err + out
    after = raw_tables(other_url)
    assert {t: rows for t, rows in after.items() if t not in ("audit_log", "data_version")} == {
        t: rows for t, rows in before.items() if t not in ("audit_log", "data_version")}
    # The data version moves past the backup's (servers' caches are keyed by it: docs/adr/0052).
    assert after["data_version"][0][1] > before["data_version"][0][1]
    assert after["audit_log"][:-1] == before["audit_log"]
    action = [c.name for c in Base.metadata.tables["audit_log"].columns].index("action")
    assert after["audit_log"][-1][action] == "db.restore"
    assert sum(map(len, before.values())) > 60 and before["users"] and before["pledges"] and before["incidents"]

    # A restored database takes new writes (PostgreSQL's sequences were moved past the keys restored).
    with unit_of_work(Settings(database_url=other_url), identity=admin_identity) as db:
        add_user(admin_identity, "after-restore", "GBR", ["viewer"], db=db)

    # Refusals, each changing nothing: a database holding data without --replace, a damaged file, another revision.
    held = raw_tables(other_url)
    code, _, err = target("db", "restore", str(tmp_path / "full.jsonl"), user=admin)
    assert code == 6 and "--replace" in err
    lines = (tmp_path / "full.jsonl").read_text(encoding="utf-8").splitlines(keepends=True)
    damaged = tmp_path / "damaged.jsonl"
    middle = lines[len(lines) // 2]
    damaged.write_text("".join(lines).replace(middle, middle.replace(",", ", ", 1)), encoding="utf-8")
    code, _, err = target("db", "restore", str(damaged), "--replace", user=admin)
    assert code == 2 and "checksum" in err
    header_line = json.loads(lines[0])
    other_revision = tmp_path / "other-revision.jsonl"
    other_revision.write_text(json.dumps({**header_line, "revision": "0001"}) + "\n" + "".join(lines[1:]),
                              encoding="utf-8")
    code, _, err = target("db", "restore", str(other_revision), "--replace", user=admin)
    assert code == 2 and "schema 0001" in err
    assert raw_tables(other_url) == held

    # --replace by an admin: everything replaced in one transaction.
    code, _, err = target("db", "restore", str(tmp_path / "full.jsonl"), "--replace", user=admin)
    assert code == 0, err
    replaced = raw_tables(other_url)
    assert replaced["pledges"] == before["pledges"] and "after-restore" not in str(replaced["users"])
    # ... and past the replaced database's own: an answer cached before the restore is never fresh after it.
    assert replaced["data_version"][0][1] > held["data_version"][0][1] > before["data_version"][0][1]
    assert read_header(tmp_path / "full.jsonl").rows == sum(map(len, before.values()))

    if db_url.startswith("sqlite"):
        _read_only_copy_serves_reads(other_url, admin)


def _read_only_copy_serves_reads(url: str, admin: str) -> None:
    """A restored SQLite copy, its file and folder made read-only, still serves reads (docs/adr/0015)."""
    file = Path(url.removeprefix("sqlite:///"))
    engine_for(Settings(database_url=url)).dispose()
    with engine_for(Settings(database_url=url)).connect() as connection:
        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    engine_for(Settings(database_url=url)).dispose()
    copy = file.parent / "read-only" / file.name
    copy.parent.mkdir()
    copy.write_bytes(file.read_bytes())
    copy.chmod(0o444)
    copy.parent.chmod(0o555)  # the tests may run as root, whom modes do not stop: the URL says read-only too
    try:
        read_only = Settings(database_url=f"sqlite:///file:{copy}?mode=ro&uri=true")
        admin_identity = who("GBR", Role.ADMIN, user=admin)
        with unit_of_work(read_only, identity=admin_identity) as db:
            names = [u.name for u in list_users(admin_identity, db=db)]
        assert admin in names
        code, out, err = Cli(read_only.database_url)("users", "list", user=admin)
        assert code == 0 and admin in out, err
        with pytest.raises(ReadOnlyDatabase), unit_of_work(read_only, identity=admin_identity) as db:
            add_user(admin_identity, "refused-on-a-copy", "GBR", ["viewer"], db=db)
    finally:
        copy.parent.chmod(0o755)


@pytest.mark.postgres
def test_a_sqlite_backup_restores_on_postgresql(tmp_path: Path) -> None:
    base = os.environ.get(PG_ENV)
    if not base:
        pytest.skip(f"PostgreSQL not configured: set {PG_ENV} (CI does)")
    sqlite = f"sqlite:///{tmp_path / 'laptop.sqlite'}"
    migrate.upgrade(engine_for(Settings(database_url=sqlite)))
    admin = populate(sqlite, tmp_path)
    take_backup(engine_for(Settings(database_url=sqlite)), tmp_path / "laptop.jsonl",
                revision=migrate.head_revision() or "")
    for url in _pg_schema_url(base):
        migrate.upgrade(engine_for(Settings(database_url=url)))
        code, _, err = Cli(url)("db", "restore", str(tmp_path / "laptop.jsonl"), user=admin)
        assert code == 0, err
        before, after = raw_tables(sqlite), raw_tables(url)
        assert {t: r for t, r in after.items() if t not in ("audit_log", "data_version")} == {
            t: r for t, r in before.items() if t not in ("audit_log", "data_version")}
        assert after["audit_log"][:-1] == before["audit_log"]


def test_a_row_naming_a_later_row_of_its_own_table_restores(db_url: str, other_url: str, tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """A scenario (or plan) may name as its base one stored after it: the backup writes rows in key order, and
    PostgreSQL checks a foreign key at each insert statement, so the restore must not rely on bases coming first."""
    populate(db_url, tmp_path)
    with unit_of_work(Settings(database_url=db_url), identity=who("FRA")) as db:
        import_document(load_document(write(tmp_path, VALID.replace("name: small", "name: later"))), db=db,
                        origin="tests")
    scenarios = Base.metadata.tables["scenarios"]
    with engine_for(Settings(database_url=db_url)).begin() as connection:
        first, later = connection.execute(select(scenarios.c.id).order_by(scenarios.c.id)).scalars().all()
        connection.execute(scenarios.update().where(scenarios.c.id == first).values(base_id=later))
    monkeypatch.setattr(backup, "BATCH", 1)  # each row its own insert statement: the base is not yet there
    snapshot = tmp_path / "forward.jsonl"
    header = take_backup(engine_for(Settings(database_url=db_url)), snapshot, revision=migrate.head_revision() or "")
    restore_backup(engine_for(Settings(database_url=other_url)), snapshot, header, replace=False)
    before, after = raw_tables(db_url), raw_tables(other_url)
    assert after["scenarios"] == before["scenarios"] and after["pledges"] == before["pledges"]
    assert any(row[0] == first and later in row for row in after["scenarios"])

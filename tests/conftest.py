"""Shared fixtures: a migrated database on SQLite and (when configured) PostgreSQL, and a CLI runner."""

from __future__ import annotations

import functools
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

os.environ["COLUMNS"] = "200"  # Rich reads the width when the CLI's console is created, at import
# The suite's SQLite files are scratch: no commit of theirs need outlive a power cut, so they skip the fsync a
# deployment's FULL makes on every commit (docs/adr/0050; tests/db/test_durability.py checks FULL is the default).
os.environ["REASSURE_SQLITE_SYNCHRONOUS"] = "normal"

import click.testing
import pytest
import typer.main
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.pool import NullPool

from reassure import migrations as migrate
from reassure.cli.main import app
from reassure.core.errors import SchemaMissing
from reassure.core.identity import Identity, Role
from reassure.db.scratch import create_schema, drop_schema, schema_of
from reassure.db.uow import engine_for, lookup_session
from reassure.domains.users.models import User
from reassure.domains.users.service import find_user
from reassure.settings import Settings

PG_ENV = "REASSURE_TEST_PG_URL"
REPO = Path(__file__).resolve().parents[1]
SHARED_DATA = Path(os.environ.get("REASSURE_SHARED_DATA", REPO.parent / "shared" / "data"))


def shared_data(*parts: str) -> Path:
    """Return a path under ../shared/data, skipping the test with the reason when it is absent."""
    path = SHARED_DATA.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"../shared/data not present: {path} is missing (set REASSURE_SHARED_DATA)")
    return path


def _pg_schema_url(base: str) -> Iterator[str]:
    """Yield the URL of a fresh, empty PostgreSQL schema; drop it after."""
    url = create_schema(base)
    try:
        yield url
    finally:
        drop_schema(base, url)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_kind(request: pytest.FixtureRequest) -> str:
    """The database a test runs on: SQLite, or PostgreSQL (skipped unless configured)."""
    return str(request.param)


@pytest.fixture
def empty_db_url(db_kind: str, tmp_path: Path) -> Iterator[str]:
    """Yield the URL of an empty database: a SQLite file, or a fresh PostgreSQL schema."""
    yield from empty_url(db_kind, tmp_path / "test.sqlite")


def empty_url(kind: str, sqlite_file: Path) -> Iterator[str]:
    """Yield the URL of an empty database of a kind: the SQLite file given, or a fresh PostgreSQL schema (dropped
    after; the test is skipped when PostgreSQL is not configured)."""
    if kind == "sqlite":
        yield f"sqlite:///{sqlite_file}"
        return
    base = os.environ.get(PG_ENV)
    if not base:
        pytest.skip(f"PostgreSQL not configured: set {PG_ENV} (CI does)")
    yield from _pg_schema_url(base)


@pytest.fixture
def db_url(db_kind: str, tmp_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Yield the URL of a database migrated to the newest revision.

    SQLite: a copy of a file migrated once per test process. PostgreSQL: a schema of this process's pool, emptied
    back to the migrated state after the test that used it (the migrations themselves are tested from empty in
    tests/migrations; migrating each of ~1,000 databases cost 0.5 s each, and building each schema afresh from a
    dump of a migrated one 0.3-0.6 s)."""
    if db_kind == "sqlite":
        target = tmp_path / "test.sqlite"
        _copy_sqlite(_sqlite_template(tmp_path_factory), target)
        yield f"sqlite:///{target}"
        return
    base = os.environ.get(PG_ENV)
    if not base:
        pytest.skip(f"PostgreSQL not configured: set {PG_ENV} (CI does)")
    if _pg_template() is None:  # no pg_dump: each test migrates a fresh schema
        for url in _pg_schema_url(base):
            migrate.upgrade(engine_for(Settings(database_url=url)))
            yield url
        return
    url = _PG_POOL.pop() if _PG_POOL else _new_pooled_schema(base)
    yield url
    if _reset_pg(url):
        _PG_POOL.append(url)
    else:
        drop_schema(base, url)


_TEMPLATES: dict[str, Any] = {}


def _sqlite_template(factory: pytest.TempPathFactory) -> Path:
    """Return a SQLite file migrated to the newest revision, made once per test process."""
    if "sqlite" not in _TEMPLATES:
        path = factory.mktemp("template") / "migrated.sqlite"
        engine = engine_for(Settings(database_url=f"sqlite:///{path}"))
        migrate.upgrade(engine)
        engine.dispose()
        _TEMPLATES["sqlite"] = path
    return Path(_TEMPLATES["sqlite"])


def _copy_sqlite(source: Path, target: Path) -> None:
    """Copy a SQLite database page by page (the WAL included) with SQLite's own backup API."""
    import sqlite3

    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
    src.close()
    dst.close()


def _pg_template() -> str | None:
    """Return SQL that rebuilds a schema migrated to the newest revision (`pg_dump` of one migrated once per test
    process, its schema name as the placeholder SCHEMA_TEMPLATE), or None without pg_dump (then each test migrates)."""
    import shutil
    import subprocess

    if "postgres" not in _TEMPLATES:
        base = os.environ[PG_ENV]
        pg_dump = shutil.which("pg_dump")
        if pg_dump is None:
            _TEMPLATES["postgres"] = None
            return None
        generator = _pg_schema_url(base)
        url = next(generator)
        try:
            migrate.upgrade(engine_for(Settings(database_url=url)))
            schema = schema_of(url)
            parsed = create_engine(base).url
            env = {**os.environ, "PGPASSWORD": parsed.password or ""}
            out = subprocess.run([pg_dump, "--no-owner", "--no-privileges", "--inserts", "-n", schema,
                                  "-h", parsed.host or "127.0.0.1", "-p", str(parsed.port or 5432),
                                  "-U", parsed.username or "", parsed.database or ""],
                                 capture_output=True, text=True, env=env, check=True).stdout
        finally:
            generator.close()
        lines = [line for line in out.splitlines()
                 if line.strip() and not line.startswith(("--", "\\", "CREATE SCHEMA"))
                 and not line.startswith("SET ") and "set_config('search_path'" not in line]
        assert f"{schema}." in out
        _TEMPLATES["postgres"] = "\n".join(lines).replace(f"{schema}.", "SCHEMA_TEMPLATE.")
    return _TEMPLATES["postgres"]  # type: ignore[no-any-return]


def _replay_pg(dump: str, url: str) -> None:
    """Build the migrated schema in the (empty) schema this URL's search path names, from the template's SQL."""
    schema = schema_of(url)
    engine = create_engine(url)
    try:
        connection = engine.raw_connection()
        try:
            with connection.cursor() as cursor:
                cursor.execute(dump.replace("SCHEMA_TEMPLATE.", f"{schema}."))
            connection.commit()
        finally:
            connection.close()
    finally:
        engine.dispose()


_PG_POOL: list[str] = []  # migrated PostgreSQL schemas of this test process, back in the migrated state
_PG_SHAPE: dict[str, Any] = {}


def _new_pooled_schema(base: str) -> str:
    """Create a schema (dropped when the process ends) and build the migrated schema in it from the template."""
    import atexit

    url = create_schema(base)
    _replay_pg(str(_pg_template()), url)
    atexit.register(drop_schema, base, url)
    if "shape" not in _PG_SHAPE:  # the migrated schema's shape and rows, read before any test used it
        with create_engine(url, poolclass=NullPool).connect() as connection:
            _PG_SHAPE["shape"] = _shape(connection, schema_of(url))
        _PG_SHAPE["rows"] = "\n".join(line for line in str(_pg_template()).splitlines()
                                      if line.startswith(("INSERT INTO ", "SELECT pg_catalog.setval(")))
    return url


def _shape(connection: Any, schema: str) -> tuple[int, ...]:
    """Count a schema's relations, columns and constraints: a test that changed its tables changes these."""
    return tuple(connection.execute(text(
        "SELECT (SELECT count(*) FROM pg_class WHERE relnamespace = to_regnamespace(:s)),"
        " (SELECT count(*) FROM pg_attribute a JOIN pg_class c ON a.attrelid = c.oid"
        "   WHERE c.relnamespace = to_regnamespace(:s) AND a.attnum > 0 AND NOT a.attisdropped),"
        " (SELECT count(*) FROM pg_constraint WHERE connamespace = to_regnamespace(:s))"), {"s": schema}).one())


def _reset_pg(url: str) -> bool:
    """Put a used schema back in the migrated state: every row deleted (children first), the template's rows and
    sequence values written again, the cached engine's connections closed (no session setting outlives its test).
    False when the test changed the schema's shape, or its rows stay locked: the schema is then dropped."""
    from sqlalchemy.exc import DBAPIError

    import reassure.domains.metadata  # noqa: F401  (registers every table on the metadata)
    from reassure.db.base import Base

    engine_for(Settings(database_url=url)).dispose()
    schema = schema_of(url)
    engine = create_engine(url, poolclass=NullPool)
    try:
        with engine.begin() as connection:
            connection.exec_driver_sql("SET LOCAL lock_timeout = '5s'")
            if _shape(connection, schema) != _PG_SHAPE["shape"]:
                return False
            tables = [t.name for t in reversed(Base.metadata.sorted_tables)] + ["alembic_version"]
            connection.exec_driver_sql(";".join(f'DELETE FROM "{name}"' for name in tables))
            connection.exec_driver_sql(_PG_SHAPE["rows"].replace("SCHEMA_TEMPLATE.", f"{schema}."))
        return True
    except DBAPIError:
        return False
    finally:
        engine.dispose()


@pytest.fixture
def settings(db_url: str) -> Settings:
    """Settings pointing at the migrated test database."""
    return Settings(database_url=db_url)


WRITER = (Role.ANALYST, Role.PLANNER)


def free_port() -> int:
    """Return a TCP port free on loopback now (for a server a test starts)."""
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def who(nation: str, *roles: Role, user: str | None = None) -> Identity:
    """Return an identity of a nation (analyst and planner unless roles are given) for a unit of work."""
    return Identity(user=user or f"{nation.lower()}-user", nation=nation, roles=frozenset(roles or WRITER))


@functools.cache
def _settings_of(url: str) -> Settings:
    """The settings of a test database, built once (reading the environment takes about 8 ms); read-only here."""
    return Settings(database_url=url)


def stored_user(url: str, nation: str, *roles: Role, name: str | None = None) -> str:
    """Make sure a stored user of this nation with these roles exists; return its name."""
    name = name or f"{nation.lower()}-{'-'.join(sorted(r.value for r in roles or WRITER))}"
    try:
        with lookup_session(_settings_of(url)) as db:
            if find_user(db, name) is None:
                db.add(User(name=name, nation=nation, roles=sorted(r.value for r in roles or WRITER), active=True))
    except (OperationalError, SchemaMissing):
        pass  # no users table yet: the command under test is expected to say how to create the schema
    return name


def raw_counts(url: str, *models: Any) -> tuple[int, ...]:
    """Count every row of these tables straight from the database (past the access filter: what is stored)."""
    with engine_for(_settings_of(url)).connect() as connection:
        return tuple(int(connection.execute(select(func.count()).select_from(m.__table__)).scalar_one())
                     for m in models)


@functools.cache
def reassure_command() -> Any:
    """Return the `reassure` Click command, built from the Typer app once per process: Typer rebuilds it (every
    parameter's annotations evaluated) on each CliRunner.invoke, about 0.1 s a call, which the suite's thousands of
    calls felt."""
    return typer.main.get_command(app)


class Cli:
    """Run `reassure` in-process against one database as a stored user and return (exit code, stdout, stderr).

    `nation` picks a stored analyst-and-planner of that nation (GBR by default); `user` names one exactly.
    """

    def __init__(self, url: str) -> None:
        self.url = url
        self.runner = click.testing.CliRunner()

    def __call__(self, *args: str, nation: str = "GBR", user: str | None = None, admin: bool = False,
                 view_as: str | None = None, stdin: str | None = None) -> tuple[int, str, str]:
        """Run one command line."""
        name = user if user is not None else stored_user(self.url, nation, *((Role.ADMIN,) if admin else WRITER))
        argv = ["--db", self.url, "--user", name, *(["--nation", view_as] if view_as else []), *args]
        result = self.runner.invoke(reassure_command(), argv, env={"COLUMNS": "200", "REASSURE_USER": None,
                                                                   "REASSURE_NATION": None, "REASSURE_TOKEN": None},
                                    input=stdin)
        if result.exception and not isinstance(result.exception, SystemExit):
            raise result.exception
        return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def cli(db_url: str) -> Cli:
    """A CLI runner bound to the migrated test database."""
    return Cli(db_url)

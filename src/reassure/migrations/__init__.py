"""The database schema's history (Alembic revisions in `versions/`) and how to run it programmatically (no
alembic.ini needed). It sits above the domains because Alembic's environment needs every model's table (gathered
in `reassure.domains.metadata`), while `reassure.db` stays plumbing that knows no domain."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine
from sqlalchemy.engine import make_url

from reassure.db.engine import sqlite_file
from reassure.db.uow import engine_for
from reassure.settings import Settings

MIGRATIONS = Path(__file__).parent


def alembic_config(url: str) -> Config:
    """Build an Alembic config pointing at the packaged migrations."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Upgrade the database behind an engine to a revision (default: the newest)."""
    _run(engine, lambda config: command.upgrade(config, revision))


def downgrade(engine: Engine, revision: str) -> None:
    """Downgrade the database behind an engine to a revision ('base' empties it)."""
    _run(engine, lambda config: command.downgrade(config, revision))


def _run(engine: Engine, step: Callable[[Config], None]) -> None:
    """Run a migration step in one transaction.

    On SQLite, batch mode rebuilds a table by copying it, dropping the old one and renaming; with foreign keys
    on, dropping a referenced table would cascade-delete its children. So foreign keys are off during the
    step (the pragma only takes effect outside a transaction) and checked before they are turned back on.
    """
    config = alembic_config(engine.url.render_as_string(hide_password=False))
    sqlite = engine.dialect.name == "sqlite"
    with engine.connect() as connection:
        if sqlite:
            connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
            connection.commit()
        try:
            with connection.begin():
                config.attributes["connection"] = connection
                step(config)
                if sqlite:
                    broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                    if broken:
                        raise RuntimeError(f"migration left {len(broken)} broken foreign key(s): {broken[:5]}")
        finally:
            if sqlite:
                connection.exec_driver_sql("PRAGMA foreign_keys=ON")
                connection.commit()


def current_revision(engine: Engine) -> str | None:
    """Return the database's revision, or None for an empty database."""
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


@cache
def head_revision() -> str | None:
    """Return the newest revision the package ships (read once per process: loading the revision scripts cost every
    command line about 35 ms, and the scripts a running process ships do not change under it)."""
    return ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()


def schema_problem(settings: Settings) -> str | None:
    """Return why the settings' database cannot be used by this version (none there, or not at the newest schema
    revision), with advice; None when it can. A SQLite file that does not exist is not created here (connecting would
    make an empty one)."""
    url = make_url(settings.database_url)
    file = sqlite_file(url) if url.get_backend_name() == "sqlite" else None
    if file is not None and not file.exists():
        return (f"no database at {file}: create it with `reassure demo` (with the bundled data) or "
                "`reassure db upgrade` (empty), or point --db / REASSURE_DATABASE_URL at yours")
    current, head = current_revision(engine_for(settings)), head_revision()
    if current != head:
        return f"database schema is at {current or 'nothing'}, this version needs {head}: run `reassure db upgrade`"
    return None

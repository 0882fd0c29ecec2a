"""The huey queue for a database: on SQLite a queue file beside the database (huey's SQLite storage), on PostgreSQL
the same database (huey's Postgres storage, tables `huey_*`)."""

from __future__ import annotations

import sqlite3

from huey import Huey, PostgresHuey, SqliteHuey
from sqlalchemy.engine import make_url

from reassure.core.errors import ReadOnlyDatabase
from reassure.db.engine import sqlite_file
from reassure.settings import Settings

QUEUE = "reassure"
TASK = "reassure.run_job"


def queue_location(settings: Settings) -> str:
    """Return where the queue lives: a file path on SQLite, a libpq URL (password hidden) on PostgreSQL."""
    url = make_url(settings.database_url)
    if url.get_backend_name() == "sqlite":
        file = sqlite_file(url)
        if file is None:
            raise ValueError("background jobs need a database file, not an in-memory SQLite database")
        return str(file.with_suffix(".jobs.sqlite"))
    return url.set(drivername="postgresql").render_as_string(hide_password=True)


def make_huey(settings: Settings) -> Huey:
    """Return a huey instance on the settings' database (tasks are registered by jobs.worker)."""
    url = make_url(settings.database_url)
    if url.get_backend_name() == "sqlite":
        try:
            return SqliteHuey(QUEUE, filename=queue_location(settings), results=False)
        except sqlite3.OperationalError as error:  # a read-only folder or file system: reads go on, jobs cannot
            raise ReadOnlyDatabase(f"the job queue beside the database cannot be written ({error}): jobs cannot "
                                   "run on a read-only database; nothing was written") from None
    dsn = url.set(drivername="postgresql").render_as_string(hide_password=False)
    return PostgresHuey(QUEUE, dsn=dsn, results=False)

"""Engines for SQLite (WAL, synchronous FULL, foreign keys on) and PostgreSQL (synchronous_commit on) from one URL
setting.

A SQLite database that cannot be written here (a read-only file, folder or file system) is opened read-only rather
than not at all: reads work and a write is refused with ReadOnlyDatabase (db/failures.py). A WAL database in a
read-only folder cannot make its shared-memory file, so it is opened `immutable` as a last resort, when no
write-ahead log is left beside it (nothing can change a file nobody can write). A read-only URI
(`sqlite:///file:/path/db.sqlite?mode=ro&uri=true`, or `immutable=1`) is taken as given.

Every statement's parameters pass one backstop (ADR 0015): a text holding a NUL or a lone surrogate is refused with
an InputError before it reaches the database, so SQLite and PostgreSQL answer alike even where an edge forgot to
check (the edges check first and name the field: api/input_guard.py, the CLI's parameter types, the file formats).
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, make_url

from reassure.core.bounds import unstorable
from reassure.core.errors import InputError

UNSTORABLE = ("a value holds a NUL character or text that is not UTF-8 (a lone surrogate), which the database "
              "cannot store; nothing was written")


def _texts(value: Any) -> Iterator[str]:
    """Yield every text in a statement's parameters (one set, or a list of them for executemany), and in JSON."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, Mapping):
        for key, item in value.items():
            yield from _texts(key)
            yield from _texts(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _texts(item)


def _refuse_unstorable(_conn: Any, _cursor: Any, _statement: str, parameters: Any, _context: Any,
                       _executemany: bool) -> None:
    if any(unstorable(text) for text in _texts(parameters)):
        raise InputError(UNSTORABLE)


def _unwrapped(context: Any) -> BaseException | None:
    """Raise the backstop's own InputError, not the StatementError SQLAlchemy wraps a bind's failure in."""
    error = context.original_exception
    return error if isinstance(error, InputError) else None


def checked_json(value: Any) -> str:
    """Serialise a JSON column's value (as SQLAlchemy would), refusing unstorable text inside it."""
    if any(unstorable(text) for text in _texts(value)):
        raise InputError(UNSTORABLE)
    return json.dumps(value)


def sqlite_file(url: URL) -> Path | None:
    """Return the file of a SQLite URL, plain or URI (`file:/path?mode=ro`), or None for a database in memory."""
    database = url.database or ""
    if database.startswith("file:"):
        database = unquote(database.removeprefix("file:").split("?", 1)[0])
        if url.query.get("mode") == "memory":
            return None
    return Path(database) if database and database != ":memory:" else None


def read_only_url(url: URL) -> bool:
    """Tell whether a SQLite URL asks for a read-only database (`mode=ro` or `immutable=1`)."""
    return url.query.get("mode") == "ro" or url.query.get("immutable") in ("1", "true")


def _read_only_error(error: Exception) -> bool:
    text = str(error).lower()
    return "readonly" in text or "read-only" in text or "unable to open database" in text


def _sqlite_connect(dialect: Any, _record: Any, cargs: list[Any], cparams: dict[str, Any]) -> Any:
    """Open a SQLite file read-write if it can be, else read-only (see the module's docstring)."""
    connection = dialect.loaded_dbapi.connect(*cargs, **cparams)
    if cparams.get("uri") or not cargs or cargs[0] in ("", ":memory:"):
        return connection  # a URI says itself how to open the file
    try:
        connection.execute("SELECT count(*) FROM sqlite_master").fetchone()  # a WAL file needs its -shm to read
        return connection
    except dialect.loaded_dbapi.OperationalError as error:
        connection.close()
        if not _read_only_error(error):
            raise
    path = Path(cargs[0]).resolve()
    wal = path.with_name(path.name + "-wal")
    modes = ["mode=ro"] + (["immutable=1"] if not wal.exists() or wal.stat().st_size == 0 else [])
    for mode in modes:
        connection = dialect.loaded_dbapi.connect(f"file:{quote(str(path))}?{mode}", *cargs[1:],
                                                  **{**cparams, "uri": True})
        try:
            connection.execute("SELECT count(*) FROM sqlite_master").fetchone()
            return connection
        except dialect.loaded_dbapi.OperationalError as error:
            connection.close()
            if not _read_only_error(error) or mode == modes[-1]:
                raise
    raise AssertionError("unreachable")


def _sqlite_pragmas(dbapi_connection: Any, _record: Any, synchronous: str = "FULL") -> None:
    """Set the pragmas of a new connection; `synchronous` is one of SYNCHRONOUS (checked by make_engine)."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    try:
        cursor.execute("PRAGMA journal_mode=WAL")
    except Exception as error:  # a database opened read-only keeps the journal it has
        if not _read_only_error(error):
            raise
    # FULL, not NORMAL: in WAL mode NORMAL may lose the last commits on power loss (docs/adr/0050). NORMAL only
    # where a database need not outlive a power cut (the test suite's scratch files).
    cursor.execute(f"PRAGMA synchronous={synchronous}")
    cursor.close()


def _postgres_durable(dbapi_connection: Any, _record: Any) -> None:
    """Make every commit wait for its WAL flush, whatever the server's or role's default (docs/adr/0050)."""
    cursor = dbapi_connection.cursor()
    cursor.execute("SET synchronous_commit TO on")
    cursor.close()
    dbapi_connection.commit()  # psycopg opens a transaction for the SET: end it so the pool hands out a clean one


def durability_problems(engine: Engine) -> list[str]:
    """Return why an acknowledged write could be lost on power loss with this engine (empty: none known).

    SQLite: the pragma on a pooled connection; PostgreSQL: the server's `fsync` and this session's
    `synchronous_commit`, which only the server's administrator can change for `fsync`."""
    problems = []
    with engine.connect() as connection:
        if engine.dialect.name == "sqlite":
            level = connection.exec_driver_sql("PRAGMA synchronous").scalar()
            if level not in (2, 3):  # FULL or EXTRA
                problems.append(f"SQLite synchronous is {level}, not FULL (2)")
        elif engine.dialect.name == "postgresql":
            fsync = connection.exec_driver_sql("SHOW fsync").scalar()
            commit = connection.exec_driver_sql("SHOW synchronous_commit").scalar()
            if fsync != "on":
                problems.append("the PostgreSQL server runs with fsync=off: a crash can lose or corrupt data")
            if commit not in ("on", "remote_write", "remote_apply"):
                problems.append(f"synchronous_commit is {commit}: a commit may be acknowledged before it is on disk")
    return problems


SYNCHRONOUS = ("FULL", "NORMAL")  # the SQLite levels a setting may choose


def make_engine(url: str, *, echo: bool = False, sqlite_synchronous: str = "full") -> Engine:
    """Create an engine; SQLite files get their folder created and the pragmas set per connection (synchronous
    FULL unless `sqlite_synchronous` says normal)."""
    # hide_parameters: a failing statement's error (logged with its traceback: api/errors.unexpected, jobs/runner.py)
    # never names its parameters (a search's text, records released to one nation, token digests); only echo_sql,
    # an operator's debugging switch, shows them.
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        file = sqlite_file(parsed)
        if file is not None and not read_only_url(parsed) and not file.parent.exists():
            file.parent.mkdir(parents=True, exist_ok=True)
        # Writers wait for each other (SQLite allows one at a time) instead of failing at once: 30 s unless the
        # URL says otherwise (sqlite:///file?timeout=5).
        waits = {} if "timeout" in parsed.query else {"timeout": 30}
        engine = create_engine(url, echo=echo, connect_args=waits, json_serializer=checked_json,
                               hide_parameters=not echo)
        event.listen(engine, "do_connect", _sqlite_connect)
        level = sqlite_synchronous.upper()
        if level not in SYNCHRONOUS:
            raise ValueError(f"SQLite synchronous is one of full, normal, not {sqlite_synchronous!r}")
        event.listen(engine, "connect", lambda connection, record: _sqlite_pragmas(connection, record, level))
    else:
        engine = create_engine(url, echo=echo, pool_pre_ping=True, json_serializer=checked_json,
                               hide_parameters=not echo)
        if parsed.get_backend_name() == "postgresql":
            event.listen(engine, "connect", _postgres_durable)
    event.listen(engine, "before_cursor_execute", _refuse_unstorable)
    event.listen(engine, "handle_error", _unwrapped)
    return engine

"""Engines for SQLite (WAL, foreign keys on) and PostgreSQL from one URL setting.

Every statement's parameters pass one backstop (ADR 0015): a text holding a NUL or a lone surrogate is refused with
an InputError before it reaches the database, so SQLite and PostgreSQL answer alike even where an edge forgot to
check (the edges check first and name the field: api/input_guard.py, the CLI's parameter types, the file formats).
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url

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


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def make_engine(url: str, *, echo: bool = False) -> Engine:
    """Create an engine; SQLite files get their folder created and the pragmas set per connection."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        # Writers wait for each other (SQLite allows one at a time) instead of failing at once: 30 s unless the
        # URL says otherwise (sqlite:///file?timeout=5).
        waits = {} if "timeout" in parsed.query else {"timeout": 30}
        engine = create_engine(url, echo=echo, connect_args=waits, json_serializer=checked_json)
        event.listen(engine, "connect", _sqlite_pragmas)
    else:
        engine = create_engine(url, echo=echo, pool_pre_ping=True, json_serializer=checked_json)
    event.listen(engine, "before_cursor_execute", _refuse_unstorable)
    event.listen(engine, "handle_error", _unwrapped)
    return engine

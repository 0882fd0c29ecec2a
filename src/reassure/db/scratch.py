"""Scratch PostgreSQL schemas: an empty schema of a new name on a database, reached by a URL whose connections use it
as their search path, and dropped with everything in it. The test suite and the benchmarks run each database of theirs
in one, so runs side by side on one PostgreSQL never see each other's rows."""

from __future__ import annotations

import uuid

from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

MARK = "options=-csearch_path%3D"


def create_schema(base: str, prefix: str = "t") -> str:
    """Create an empty schema named `prefix_<12 hex digits>` on `base`'s database; return the URL that uses it."""
    schema = f"{prefix}_{uuid.uuid4().hex[:12]}"
    _run(base, f'CREATE SCHEMA "{schema}"')
    return f"{base}{'&' if '?' in base else '?'}{MARK}{schema}"


def schema_of(url: str) -> str:
    """Return the name of the schema a URL made by `create_schema` uses."""
    if MARK not in url:
        raise ValueError("not a scratch schema's URL")
    return url.rsplit(MARK, 1)[1]


def drop_schema(base: str, url: str) -> None:
    """Drop the schema a URL made by `create_schema` uses, with everything in it (nothing when it is gone)."""
    _run(base, f'DROP SCHEMA IF EXISTS "{schema_of(url)}" CASCADE')


def _run(base: str, statement: str) -> None:
    engine = create_engine(base, poolclass=NullPool)
    try:
        with engine.begin() as connection:
            connection.execute(text(statement))
    finally:
        engine.dispose()

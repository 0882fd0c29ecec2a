"""Scratch PostgreSQL schemas (db/scratch.py), which the tests and the benchmarks run their databases in: a table made
through one schema's URL is in that schema alone, and dropping the schema leaves nothing behind."""

from __future__ import annotations

import os

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

from reassure.db.scratch import create_schema, drop_schema, schema_of
from tests.conftest import PG_ENV


def _scalar(url: str, sql: str, **params: str) -> object:
    engine = create_engine(url, poolclass=NullPool)
    try:
        with engine.begin() as connection:
            result = connection.execute(text(sql), params)
            return result.scalar() if result.returns_rows else None
    finally:
        engine.dispose()


def test_a_scratch_schema_holds_what_its_url_writes_and_is_dropped_whole() -> None:
    base = os.environ.get(PG_ENV)
    if not base:
        pytest.skip(f"PostgreSQL not configured: set {PG_ENV} (CI does)")
    one, two = create_schema(base, "scratch"), create_schema(base, "scratch")
    try:
        assert schema_of(one) != schema_of(two) and schema_of(one).startswith("scratch_")
        _scalar(one, "CREATE TABLE kept (x integer)")
        assert _scalar(one, "SELECT current_schema()") == schema_of(one)
        assert _scalar(base, "SELECT count(*) FROM information_schema.tables WHERE table_name = 'kept' "
                             "AND table_schema = :s", s=schema_of(one)) == 1
        assert _scalar(two, "SELECT to_regclass('kept') IS NULL") is True  # the other schema does not see it
    finally:
        drop_schema(base, one)
        drop_schema(base, two)
    assert _scalar(base, "SELECT count(*) FROM information_schema.schemata WHERE schema_name IN (:a, :b)",
                   a=schema_of(one), b=schema_of(two)) == 0
    drop_schema(base, one)  # dropping again does nothing


def test_a_url_not_made_here_names_no_scratch_schema() -> None:
    with pytest.raises(ValueError, match="scratch"):
        schema_of("postgresql+psycopg://u:p@127.0.0.1/db")

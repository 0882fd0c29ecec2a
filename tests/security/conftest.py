"""Fixtures of the attack tests: the API client of tests/api on the migrated test database (SQLite and PostgreSQL)."""

from __future__ import annotations

import pytest

from tests.api.conftest import Api


@pytest.fixture
def api(db_url: str) -> Api:
    """An API client bound to the migrated test database."""
    return Api(db_url)

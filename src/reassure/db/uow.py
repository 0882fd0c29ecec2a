"""Unit of work: one session, one transaction, committed at the edge (command, request, job)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from reassure.core.markings import Viewer
from reassure.db import access  # noqa: F401  (registers the access filter)
from reassure.db.access import VIEWER_KEY
from reassure.db.engine import make_engine
from reassure.settings import Settings


@lru_cache(maxsize=8)
def _engine_for(url: str, echo: bool) -> Engine:
    return make_engine(url, echo=echo)


def engine_for(settings: Settings) -> Engine:
    """Return the (cached) engine for the settings' database URL."""
    return _engine_for(settings.database_url, settings.echo_sql)


def viewer_for(settings: Settings) -> Viewer:
    """Return the viewer the settings describe."""
    return Viewer(user=settings.user, nation=settings.nation.upper() if settings.nation else None)


@contextmanager
def unit_of_work(settings: Settings, *, viewer: Viewer | None = None) -> Iterator[Session]:
    """Open a session for a viewer; commit when the block ends, roll everything back on any error."""
    factory = sessionmaker(bind=engine_for(settings), expire_on_commit=False)
    with factory() as db:
        db.info[VIEWER_KEY] = viewer or viewer_for(settings)
        try:
            yield db
            db.commit()
        except BaseException:
            db.rollback()
            raise


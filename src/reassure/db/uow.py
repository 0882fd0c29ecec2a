"""Unit of work: one session, one transaction, committed at the edge (command, request, job), for one identity.

There is no session without an identity: reads and writes are filtered by its nation (db/access.py). When an
action refuses an attempt, the attempt is rolled back and its denials are recorded in the audit log in a
transaction of their own, so a refused write leaves a trace and nothing else.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from functools import lru_cache
from typing import TypeVar

from sqlalchemy import Engine, insert
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from reassure.core.errors import Conflict, Denial, IdentityError, ReassureError
from reassure.core.identity import Identity
from reassure.db import access  # noqa: F401  (registers the access filter)
from reassure.db.access import IDENTITY_KEY
from reassure.db.base import Base
from reassure.db.engine import make_engine
from reassure.db.failures import Contended, database_error
from reassure.db.versions import bump
from reassure.settings import Settings

T = TypeVar("T")


@lru_cache(maxsize=8)
def _engine_for(url: str, echo: bool, synchronous: str = "full") -> Engine:
    return make_engine(url, echo=echo, sqlite_synchronous=synchronous)


def engine_for(settings: Settings) -> Engine:
    """Return the (cached) engine for the settings' database URL."""
    return _engine_for(settings.database_url, settings.echo_sql, settings.sqlite_synchronous)


@contextmanager
def unit_of_work(settings: Settings, *, identity: Identity) -> Iterator[Session]:
    """Open a session for an identity; commit when the block ends, roll everything back on any error."""
    if not isinstance(identity, Identity):
        raise IdentityError("no identity: a unit of work needs a stored user")
    factory = sessionmaker(bind=engine_for(settings), expire_on_commit=False)
    with factory() as db:
        db.info[IDENTITY_KEY] = identity
        try:
            yield db
            db.commit()
        except ReassureError as error:
            db.rollback()
            if error.denials:
                write_denials(settings, identity, error.denials)
            raise
        except DBAPIError as error:
            _rollback(db)
            if isinstance(error, IntegrityError) or (known := database_error(error)) is None:
                raise
            raise known from None
        except BaseException:
            _rollback(db)
            raise


def _rollback(db: Session) -> None:
    """Roll back, and go on when the connection is gone (a database that went away cannot roll back)."""
    try:
        db.rollback()
    except DBAPIError:
        db.invalidate()


def retrying(settings: Settings, identity: Identity, work: Callable[[Session], T], *, attempts: int = 4) -> T:
    """Run a write in a unit of work, again from the start when a concurrent writer got there first.

    Two ingests of one feed at once both try to create its source and incidents; the loser's unique key
    clashes. Its transaction is rolled back whole and re-run, and then finds what the winner wrote.
    """
    for attempt in range(1, attempts + 1):
        try:
            with unit_of_work(settings, identity=identity) as db:
                return work(db)
        except (IntegrityError, Contended):
            if attempt == attempts:
                raise Conflict("another write to the same records kept winning the race; nothing was written, "
                               "try again") from None
            time.sleep(0.05 * attempt)
    raise AssertionError("unreachable")


def write_denials(settings: Settings, identity: Identity, denials: list[Denial]) -> None:
    """Record refused attempts in the audit log, each marked like the record it describes."""
    table = Base.metadata.tables["audit_log"]
    now = datetime.now(UTC)
    rows = [{"at": now, "actor": identity.user, "actor_nation": identity.nation, "action": d.action[:80],
             "outcome": "denied", "entity": d.entity[:60], "entity_key": d.key[:200], "details": d.details,
             "rel_to": d.rel_to} for d in denials]
    with engine_for(settings).begin() as connection:
        connection.execute(insert(table), rows)
        bump(connection)  # the audit log changed: cached answers of it are stale (db/versions.py)


@contextmanager
def lookup_session(settings: Settings) -> Iterator[Session]:
    """Open a session with no identity, for resolving one: only system lookups can run in it (db/access.py)."""
    factory = sessionmaker(bind=engine_for(settings), expire_on_commit=False)
    with factory() as db:
        try:
            yield db
            db.commit()
        except DBAPIError as error:
            _rollback(db)
            if isinstance(error, IntegrityError) or (known := database_error(error)) is None:
                raise
            raise known from None
        except BaseException:
            _rollback(db)
            raise


def identify(settings: Settings, resolve: Callable[[Session], T]) -> T:
    """Run an identity resolution (domains/users/service.py) in a lookup session and return what it returns.

    A database that cannot be reached is Unavailable (503, exit 7), one without the users table SchemaMissing
    (saying how to create it): never an identity error, so an outage does not look like bad credentials.
    """
    with lookup_session(settings) as db:
        return resolve(db)

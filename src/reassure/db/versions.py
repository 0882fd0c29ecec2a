"""The data version: one counter in the database, bumped in the same transaction as every write (docs/adr/0052).

Every session that writes (an ORM flush, or an insert, update or delete it executes) adds one to the counter just
before it commits, as its last statement: the new number and the write become visible together, in every server
process, or neither does. A reader that reads the counter and finds the number it last saw knows nothing was
committed since; the API's identity and response caches are keyed by it (services/caller.py, api/cache.py), so no
cached answer outlives a committed write and a revoked token is refused on the very next request.

Taking the counter's row lock last keeps writers from waiting on each other while they still hold other locks (no
deadlock): two writers serialise only on their commits. A database without the counter (an older schema) or one
that cannot be read answers None: then nothing is cached.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import BigInteger, Column, Engine, Integer, Table, event, insert, inspect, select, update
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import ORMExecuteState, Session

from reassure.db.base import Base

WROTE = "reassure_wrote"  # session.info key: this transaction has written (the counter is bumped at commit)

data_version = Table(
    "data_version", Base.metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("version", BigInteger, nullable=False),
)


@event.listens_for(data_version, "after_create")
def _first_row(_table: Any, connection: Any, **_kw: Any) -> None:
    connection.execute(insert(data_version).values(id=1, version=0))


def current_version(engine: Engine) -> int | None:
    """Return the committed data version, or None when it cannot be read (then no cache may answer)."""
    try:
        with engine.connect() as connection:
            found = connection.execute(select(data_version.c.version).where(data_version.c.id == 1)).scalar()
    except DBAPIError:
        return None
    return int(found) if found is not None else None


def bump(connection: Any) -> None:
    """Add one to the data version in the connection's transaction (a write outside any session calls this)."""
    connection.execute(update(data_version).where(data_version.c.id == 1)
                       .values(version=data_version.c.version + 1))


def _versioned(cls: Any) -> bool:
    """Tell whether writes of this mapped class move the data version. A class may say `__unversioned__ = True` when
    no kept answer or identity reads its table (jobs: a running job's progress beat, twice a second, would otherwise
    empty every server's caches while any job runs). A write that also touches any other table still moves it."""
    return not getattr(cls, "__unversioned__", False)


@event.listens_for(Session, "do_orm_execute")
def _note_statement_write(state: ORMExecuteState) -> None:
    if state.is_insert or state.is_update or state.is_delete:
        mappers = state.all_mappers
        if not mappers or any(_versioned(m.class_) for m in mappers):
            state.session.info[WROTE] = True


def _versioned_change(obj: Any) -> bool:
    """Tell whether a changed (dirty) object's flush moves the data version: not when its class is unversioned, nor
    when every attribute changed is one of its class's `__bookkeeping__` columns (a token's or browser session's last
    use, written at most once a minute: no kept answer or identity reads them, and moving the version for them emptied
    every server's caches about once a minute for each token and browser in use)."""
    if not _versioned(type(obj)):
        return False
    quiet = getattr(type(obj), "__bookkeeping__", None)
    if not quiet:
        return True
    changed = {a.key for a in inspect(obj).attrs if a.history.has_changes()}
    return not changed <= quiet


@event.listens_for(Session, "after_flush")
def _note_flush(db: Session, _context: Any) -> None:
    if (any(_versioned(type(o)) for o in (*db.new, *db.deleted))
            or any(_versioned_change(o) for o in db.dirty)):
        db.info[WROTE] = True


@event.listens_for(Session, "before_commit")
def _bump_before_commit(db: Session) -> None:
    db.flush()  # what the commit would flush is written first (marking WROTE), the counter last
    if db.info.get(WROTE):
        bump(db.connection())
        db.info.pop(WROTE, None)


@event.listens_for(Session, "after_rollback")
def _forget_on_rollback(db: Session) -> None:
    db.info.pop(WROTE, None)

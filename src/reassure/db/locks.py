"""Locks for check-then-write rules (ADR 0015): the rule is read in the same transaction as the write it allows, with a
lock that keeps concurrent writers of the same records out until it commits, so they cannot break it.

A status step that must not go back in time, a marking that may only narrow, "the first admin while no account
exists": each reads, decides, then writes. Without a lock two writers both read the old state and both write; with
one, the second waits, then reads what the first committed.

- `lock_for_update(db, record)`: PostgreSQL locks the record's row (`SELECT … FOR UPDATE`: writers of this record
  queue, everyone else goes on) and re-reads it; SQLite, which has one writer at a time anyway, takes the database's
  write lock now (`BEGIN IMMEDIATE`) instead of at the first write, and the record is re-read.
- `serialize(db, topic)`: for a rule over rows that may not exist yet, PostgreSQL takes a transaction-scoped advisory
  lock on the topic; SQLite the write lock.

Both hold until the unit of work commits or rolls back.
"""

from __future__ import annotations

import zlib
from typing import Any

from sqlalchemy import text
from sqlalchemy.exc import InvalidRequestError
from sqlalchemy.orm import Session

from reassure.core.errors import NotFound


def hold_writes(db: Session) -> None:
    """Take the database's write lock for the rest of the transaction (SQLite: BEGIN IMMEDIATE; no-op elsewhere)."""
    connection = db.connection()
    if connection.dialect.name != "sqlite":
        return
    raw: Any = connection.connection.dbapi_connection
    if raw is not None and not raw.in_transaction:  # a transaction that has written holds the lock already
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def lock_for_update(db: Session, record: Any) -> None:
    """Lock a stored record against concurrent writers until the transaction ends, and re-read it (its relations
    load again on next use), so a rule checked now sees what the last writer committed."""
    db.flush()
    sqlite = db.connection().dialect.name == "sqlite"
    if sqlite:
        hold_writes(db)
    db.expire(record)
    try:
        db.refresh(record, with_for_update=None if sqlite else True)
    except InvalidRequestError:  # deleted, or narrowed away from this reader, meanwhile: gone, as hidden ones are
        raise NotFound(f"that {type(record).__name__.lower()} is no longer there (deleted or no longer released "
                       "to you)") from None


def serialize(db: Session, topic: str) -> None:
    """Make writers of one topic (e.g. "users": the first admin) take turns until the transaction ends."""
    connection = db.connection()
    if connection.dialect.name == "sqlite":
        hold_writes(db)
        return
    connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": zlib.crc32(topic.encode())})

"""What a database failure means for the user (ADR 0015): one classification, used by every unit of work, the
identity lookup, the CLI and the API, so an outage never looks like bad credentials.

- cannot be reached (refused, reset, shutting down, starting up, too many connections): `Unavailable`, 503 with
  Retry-After, exit code 7; trying again shortly helps;
- reachable but without the schema (no `users` table, no `alembic_version`): `SchemaMissing`, 503 without
  Retry-After, exit 7, saying how to create it;
- read-only (a read-only SQLite file, directory or URI; a PostgreSQL standby or read-only transaction): reads work,
  a write is `ReadOnlyDatabase`, 503 without Retry-After, exit 7;
- locked past the wait, full, or out of disk: `Unavailable` as before;
- a deadlock or a serialisation failure between concurrent writers: `Contended`, which `db/uow.retrying` re-runs.

Anything else is not classified (None): a bug, answered 500 with a reference.
"""

from __future__ import annotations

from sqlalchemy.exc import DBAPIError, OperationalError

from reassure.core.errors import Conflict, ReadOnlyDatabase, ReassureError, SchemaMissing, Unavailable

# SQLSTATE classes and codes (PostgreSQL): connection exceptions, shutdown and start-up, resources.
UNREACHABLE_STATES = ("57P01", "57P02", "57P03", "53300", "53000")  # and every code of class 08
MISSING_SCHEMA_STATES = ("42P01", "3F000")  # undefined table, invalid schema name
READ_ONLY_STATES = ("25006",)  # read_only_sql_transaction (a standby, or default_transaction_read_only)
CONTENDED_STATES = ("40001", "40P01")  # serialization_failure, deadlock_detected
SCHEMA_ADVICE = ("create it with `reassure db upgrade` (or `reassure demo` with the bundled data), or point --db / "
                 "REASSURE_DATABASE_URL at yours")


class Contended(Conflict):
    """Concurrent writers deadlocked or could not be serialised; the unit of work is re-run whole."""


def sqlstate(error: DBAPIError) -> str | None:
    """Return PostgreSQL's SQLSTATE of a failure (None for SQLite, or a client-side connection failure)."""
    code = getattr(error.orig, "sqlstate", None) or getattr(error.orig, "pgcode", None)
    return str(code) if code else None


def database_error(error: DBAPIError) -> ReassureError | None:
    """Return the error users see for a database failure, or None when it is not a known condition."""
    text = str(error.orig).lower()
    state = sqlstate(error)
    kind = type(error.orig).__name__
    if state is not None:
        if state.startswith("08") or state in UNREACHABLE_STATES:
            return unreachable(kind)
        if state in MISSING_SCHEMA_STATES:
            return SchemaMissing(f"the database has no schema for this version ({kind}): {SCHEMA_ADVICE}")
        if state in READ_ONLY_STATES:
            return read_only()
        if state in CONTENDED_STATES:
            return Contended("another writer held the same records; nothing was written, try again")
        if state == "53100":
            return Unavailable("the database cannot take this now: its disk is full; nothing was written")
        return None
    if "no such table" in text:
        return SchemaMissing(f"the database has no schema for this version ({text}): {SCHEMA_ADVICE}")
    if "readonly database" in text or "read-only" in text:
        return read_only()
    if "locked" in text:
        return Unavailable("the database cannot take this now: it stayed locked by another writer; nothing was "
                           "written, try again")
    if "full" in text or "disk i/o" in text:
        return Unavailable("the database cannot take this now: it is full or its disk failed; nothing was written")
    if "unable to open database" in text:
        return Unavailable("the database file cannot be opened (is its folder there and readable?); nothing was "
                           "written")
    if error.connection_invalidated or (kind in ("OperationalError", "InterfaceError") and _connection_lost(text)):
        return unreachable(kind)
    if isinstance(error, OperationalError):  # the database refused the work for a reason of its own
        return Unavailable(f"the database cannot take this now: it refused the work ({kind}); nothing was written, "
                           "try again")
    return None


def _connection_lost(text: str) -> bool:
    return any(part in text for part in ("connection", "server closed", "could not connect", "terminating",
                                         "the database system is"))


def unreachable(kind: str) -> Unavailable:
    """Return the error of a database that cannot be reached now (the server is down, restarting or full)."""
    return Unavailable(f"the database cannot be reached now ({kind}): try again shortly; nothing was written")


def read_only() -> ReadOnlyDatabase:
    """Return the error of a write to a database opened read-only."""
    return ReadOnlyDatabase("the database is read-only here: reading works, writing does not; nothing was written "
                            "(open it read-write, or ask its administrator)")

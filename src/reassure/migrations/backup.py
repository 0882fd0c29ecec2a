"""A portable logical backup of every table, and its restore (docs/adr/0050).

The file is JSON lines: a header (format, schema revision, tables with their columns and row counts, the SHA-256 of
everything after the header line), then one line per row, `[table index, values...]`, tables in foreign-key order,
rows in primary-key order. Values are plain JSON; dates, times, decimals and bytes are text, read back by the
column's type, so a file taken on SQLite restores on PostgreSQL and back.

A backup reads every table in ONE read transaction (REPEATABLE READ on PostgreSQL; an explicit BEGIN on SQLite,
whose WAL keeps the snapshot while writers commit), so rows written meanwhile are wholly in or wholly out; it is
written to a temporary file beside the target and renamed over it only when complete. A restore checks the header
and the checksum before it writes anything, refuses a file of another schema revision and a database that holds rows
(unless told to replace them), and writes everything in one transaction: nothing is half restored. Rows are copied
as stored, past the access filter: markings, the audit log and users with their password hashes included. The job
queue's own tables (huey's) are not copied: a restored database starts with no job waiting. A row naming a later row
of its own table (a scenario or plan whose base was stored after it) is written with that link empty and the link set
once its table's rows are in: PostgreSQL checks a foreign key at each statement, whatever the order of the file.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

from sqlalchemy import Column, Connection, Engine, Table, func, insert, select, text, update
from sqlalchemy.types import JSON, Date, DateTime, Integer, LargeBinary, Numeric, TypeDecorator, TypeEngine

from reassure.core.errors import Conflict, InputError
from reassure.core.identity import Identity, Role
from reassure.core.markings import Releasability
from reassure.core.public_ids import new_public_id
from reassure.db.versions import data_version
from reassure.domains.audit.models import AuditEntry
from reassure.domains.metadata import Base

FORMAT = "reassure-backup"
VERSION = 1
BATCH = 500
SEEDED = frozenset({"nations", "data_version"})  # filled by the migrations themselves; a restore replaces them

Progress = Callable[[str, int], None]  # (table, rows done in it so far)


@dataclass(frozen=True)
class BackupHeader:
    """What a backup file says of itself: its schema revision, tables, row counts and the checksum of its rows."""

    revision: str
    taken_at: str
    dialect: str
    tables: dict[str, list[str]]
    counts: dict[str, int]
    sha256: str

    @property
    def rows(self) -> int:
        """Return the number of rows in the file."""
        return sum(self.counts.values())


def tables() -> list[Table]:
    """Return every table of the schema in foreign-key order (parents first)."""
    return list(Base.metadata.sorted_tables)


def _kind(column: Column[Any]) -> TypeEngine[Any]:
    kind = column.type
    return kind.impl_instance if isinstance(kind, TypeDecorator) else kind


def _encode(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, bytes | memoryview):
        return base64.b64encode(bytes(value)).decode("ascii")
    return value


def _decoder(column: Column[Any]) -> Callable[[Any], Any]:
    kind = _kind(column)
    if isinstance(kind, DateTime):
        return lambda v: datetime.fromisoformat(v) if isinstance(v, str) else v
    if isinstance(kind, Date):
        return lambda v: date.fromisoformat(v) if isinstance(v, str) else v
    if isinstance(kind, Numeric) and kind.asdecimal:
        return lambda v: Decimal(v) if isinstance(v, str) else v
    if isinstance(kind, LargeBinary):
        return lambda v: base64.b64decode(v) if isinstance(v, str) else v
    if isinstance(kind, JSON):
        return lambda v: v
    return lambda v: v


def _snapshot(connection: Connection) -> None:
    """Start the one read transaction every table is read in."""
    if connection.dialect.name == "sqlite":
        connection.exec_driver_sql("BEGIN")  # pysqlite begins no transaction before a SELECT by itself
    else:
        connection.execute(text("SELECT 1"))  # the isolation level was set on the connection before it began


def take_backup(engine: Engine, target: Path, *, revision: str, progress: Progress | None = None,
                between_tables: Callable[[str], None] | None = None) -> BackupHeader:
    """Write every table's rows to `target` (atomically: a temporary file renamed over it), read in one
    transaction; return the header written. `between_tables` is called after each table is read (tests write
    there, to show the snapshot holds)."""
    target = target.resolve()
    schema = tables()
    counts: dict[str, int] = {}
    digest = hashlib.sha256()
    with tempfile.TemporaryFile("w+b") as rows:
        options = {"isolation_level": "REPEATABLE READ"} if engine.dialect.name == "postgresql" else {}
        with engine.connect().execution_options(**options) as connection:
            _snapshot(connection)
            for index, table in enumerate(schema):
                key = list(table.primary_key.columns) or list(table.columns)
                done = 0
                result = connection.execution_options(yield_per=BATCH).execute(select(table).order_by(*key))
                for row in result:
                    line = (json.dumps([index, *map(_encode, row)], ensure_ascii=False, allow_nan=True)
                            + "\n").encode()
                    digest.update(line)
                    rows.write(line)
                    done += 1
                    if progress is not None and done % BATCH == 0:
                        progress(table.name, done)
                counts[table.name] = done
                if progress is not None:
                    progress(table.name, done)
                if between_tables is not None:
                    between_tables(table.name)
            connection.rollback()
        header = BackupHeader(revision=revision, taken_at=datetime.now(UTC).isoformat(timespec="seconds"),
                              dialect=engine.dialect.name, tables={t.name: [c.name for c in t.columns] for t in schema},
                              counts=counts, sha256=digest.hexdigest())
        rows.seek(0)
        _write_atomically(target, header, rows)
    return header


def _write_atomically(target: Path, header: BackupHeader, rows: IO[bytes]) -> None:
    handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".partial", dir=target.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write((json.dumps({"format": FORMAT, "version": VERSION, **header.__dict__}) + "\n").encode())
            while chunk := rows.read(1 << 20):
                out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, target)
        directory = os.open(target.parent, os.O_RDONLY)
        try:
            os.fsync(directory)  # the rename itself survives a power loss
        finally:
            os.close(directory)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def read_header(source: Path) -> BackupHeader:
    """Read and check a backup's header and checksum (the whole file is read; nothing is written)."""
    with source.open("rb") as handle:
        first = handle.readline()
        try:
            found = json.loads(first)
            if found.get("format") != FORMAT or found.get("version") != VERSION:
                raise ValueError("not a reassure backup of a version this release reads")
            header = BackupHeader(**{k: found[k] for k in BackupHeader.__dataclass_fields__})
        except (ValueError, KeyError, TypeError, AttributeError) as error:
            raise InputError(f"{source}: line 1: not a reassure backup header ({error}); nothing was restored") \
                from None
        digest = hashlib.sha256()
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    if digest.hexdigest() != header.sha256:
        raise InputError(f"{source}: the rows do not match the checksum in the header (the file is damaged or was "
                         "changed); nothing was restored")
    return header


def _rows(source: Path) -> Iterator[list[Any]]:
    with source.open("rb") as handle:
        handle.readline()
        for number, line in enumerate(handle, start=2):
            try:
                row = json.loads(line)
            except ValueError:
                raise InputError(f"{source}: line {number}: not a JSON row; nothing was restored") from None
            if not isinstance(row, list) or not row or not isinstance(row[0], int):
                raise InputError(f"{source}: line {number}: not a row of a table; nothing was restored")
            yield row


OCCUPIED = ("the database already holds data: restore into an empty database (after `reassure db upgrade`), or pass "
            "--replace to replace everything in it; nothing was restored")


def holds_rows(connection: Connection) -> bool:
    """Tell whether any table of the schema holds a row, but those the migrations fill (reference data: a database
    fresh from `reassure db upgrade` holds nothing of its users')."""
    return any(connection.execute(select(func.count()).select_from(t)).scalar_one() for t in tables()
               if t.name not in SEEDED)


def restore_backup(engine: Engine, source: Path, header: BackupHeader, *, replace: bool,
                   progress: Progress | None = None,
                   last_words: Callable[[Connection], None] | None = None) -> dict[str, int]:
    """Write a checked backup's rows into the database in one transaction (its tables emptied first when
    `replace`); `last_words` runs in that transaction after the rows (the restore's audit row). Return rows per
    table."""
    schema = tables()
    if [t.name for t in schema] != list(header.tables):
        raise InputError(f"{source}: its tables are not this schema's; nothing was restored")
    for table in schema:
        if header.tables[table.name] != [c.name for c in table.columns]:
            raise InputError(f"{source}: table {table.name}: its columns are not this schema's; nothing was restored")
    decoders = [[_decoder(c) for c in t.columns] for t in schema]
    names = [[c.name for c in t.columns] for t in schema]
    own = [_own_references(t) for t in schema]
    seen: list[set[Any]] = [set() for _ in schema]  # keys written so far, of the tables naming their own rows
    later: list[tuple[Table, str, Any, str, Any]] = []  # (table, key column, key, column, value) set after the rows
    written = dict.fromkeys(header.tables, 0)
    with engine.begin() as connection:
        if connection.dialect.name == "sqlite":
            connection.exec_driver_sql("BEGIN IMMEDIATE")  # one writer from the check on; nothing else slips in
            connection.exec_driver_sql("PRAGMA defer_foreign_keys=ON")  # a row may name one later in its table
        if holds_rows(connection) and not replace:
            raise Conflict(OCCUPIED)
        before = connection.execute(select(data_version.c.version)).scalar() or 0
        for table in reversed(schema):
            connection.execute(table.delete())
        batch: list[dict[str, Any]] = []
        current = -1
        for row in _rows(source):
            index = row[0]
            if index != current:
                _flush(connection, schema, current, batch)
                if index < current or index >= len(schema):
                    raise InputError(f"{source}: rows out of table order; nothing was restored")
                current, batch = index, []
            values = row[1:]
            if len(values) != len(names[index]):
                raise InputError(f"{source}: a row of {schema[index].name} has {len(values)} values, not "
                                 f"{len(names[index])}; nothing was restored")
            decoded = {n: d(v) for n, d, v in zip(names[index], decoders[index], values, strict=True)}
            if own[index]:  # a row naming one not yet written (a base stored after it): its link is set afterwards
                key_column = own[index][0][0]
                for _, column in own[index]:
                    if decoded[column] is not None and decoded[column] not in seen[index]:
                        later.append((schema[index], key_column, decoded[key_column], column, decoded[column]))
                        decoded[column] = None
                seen[index].add(decoded[key_column])
            batch.append(decoded)
            written[schema[index].name] += 1
            if len(batch) >= BATCH:
                _flush(connection, schema, current, batch)
                batch = []
                if progress is not None:
                    progress(schema[index].name, written[schema[index].name])
        _flush(connection, schema, current, batch)
        for table, key_column, key, column, value in later:
            connection.execute(update(table).where(table.c[key_column] == key).values({column: value}))
        if written != header.counts:
            raise InputError(f"{source}: the rows do not match the counts in the header; nothing was restored")
        if connection.dialect.name == "postgresql":
            _reset_sequences(connection, schema)
        # The data version moves past every number this database has shown (docs/adr/0052): a server's cached
        # answers and token identities are keyed by it, and the backup's older number must not make them fresh again.
        restored = connection.execute(select(data_version.c.version)).scalar() or 0
        connection.execute(data_version.delete())
        connection.execute(insert(data_version).values(id=1, version=max(before, restored) + 1))
        if last_words is not None:
            last_words(connection)
    return written


def _own_references(table: Table) -> list[tuple[str, str]]:
    """Return (key column, column) for each nullable column of `table` naming a row of the same table by its
    single-column key (a scenario's or plan's base)."""
    keys = list(table.primary_key.columns)
    if len(keys) != 1:
        return []
    return [(keys[0].name, fk.parent.name) for fk in table.foreign_keys
            if fk.column.table is table and fk.column is keys[0] and fk.parent.nullable]


def _flush(connection: Connection, schema: list[Table], index: int, batch: list[dict[str, Any]]) -> None:
    if batch:
        connection.execute(insert(schema[index]), batch)


def _reset_sequences(connection: Connection, schema: list[Table]) -> None:
    """Set each serial key's sequence past the largest key restored (the next insert must not collide)."""
    for table in schema:
        keys = list(table.primary_key.columns)
        if len(keys) != 1 or not isinstance(_kind(keys[0]), Integer):
            continue
        sequence = connection.execute(text("SELECT pg_get_serial_sequence(:t, :c)"),
                                      {"t": table.name, "c": keys[0].name}).scalar()
        if sequence:
            largest = connection.execute(select(func.max(keys[0]))).scalar()
            connection.execute(text("SELECT setval(:s, :v, false)"), {"s": sequence, "v": (largest or 0) + 1})


def backup_admin(source: Path, header: BackupHeader, name: str) -> Identity | None:
    """Return the identity of `name` as the backup stores it when they are an active admin there, else None: who
    restores must be able to act on what they restore."""
    if "users" not in header.tables:
        return None
    index, columns = list(header.tables).index("users"), header.tables["users"]
    for row in _rows(source):
        if row[0] == index:
            user = dict(zip(columns, row[1:], strict=True))
            if user.get("name") == name and user.get("active") and Role.ADMIN.value in (user.get("roles") or []):
                return Identity(user=name, nation=str(user["nation"]), roles=frozenset({Role.ADMIN}))
    return None


def audit_restore(identity: Identity, source: Path, header: BackupHeader, *, replaced: bool
                  ) -> Callable[[Connection], None]:
    """Return the step that records the restore in the restored audit log, in the restore's transaction."""
    def write(connection: Connection) -> None:
        connection.execute(insert(AuditEntry).values(
            public_id=new_public_id("aud"), at=datetime.now(UTC), actor=identity.user, actor_nation=identity.nation,
            action="db.restore", outcome="done", entity="Database", entity_key=source.name[:200],
            rel_to=Releasability.to(identity.nation).to_column(),
            details={"revision": header.revision, "taken_at": header.taken_at, "from": header.dialect,
                     "rows": header.rows, "replaced": replaced}))
    return write

"""`reassure db ...`: create or upgrade the database schema; back it up and restore it (docs/adr/0050)."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.markup import escape
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from reassure import migrations as migrate
from reassure.cli.context import caller, console, fail, require_schema, state
from reassure.core.errors import Conflict, Forbidden, InputError
from reassure.core.identity import Role
from reassure.core.markings import Releasability
from reassure.db.uow import engine_for
from reassure.domains.audit.actions import record
from reassure.migrations.backup import (
    OCCUPIED,
    audit_restore,
    backup_admin,
    holds_rows,
    read_header,
    restore_backup,
    tables,
    take_backup,
)

app = typer.Typer(help="Database schema: upgrade to the newest revision, show the current one; back up, restore.",
                  no_args_is_help=True)


@app.command()
def upgrade(ctx: typer.Context, revision: str = typer.Argument("head", help="target revision")) -> None:
    """Create or upgrade the database schema (SQLite file or PostgreSQL URL)."""
    engine = engine_for(state(ctx).settings)
    before = migrate.current_revision(engine)
    migrate.upgrade(engine, revision)
    after = migrate.current_revision(engine)
    url = engine.url.render_as_string(hide_password=True)
    console.print(f"database {url}: {before or 'empty'} → {after}")


@app.command()
def current(ctx: typer.Context) -> None:
    """Show the database's schema revision and the newest one this version ships."""
    engine = engine_for(state(ctx).settings)
    console.print(f"current: {migrate.current_revision(engine) or 'empty'}; newest: {migrate.head_revision()}")


@app.command()
def backup(ctx: typer.Context, file: Path = typer.Argument(..., help="the backup file to write (replaced whole "
                                                           "when complete)", dir_okay=False)) -> None:
    """Write every table (rows, markings, audit log, users) to FILE, read in one transaction (admins only)."""
    require_schema(ctx)
    who = caller(ctx)
    who.identity.require(Role.ADMIN, "take a backup of the database")
    if not file.resolve().parent.is_dir():
        fail(f"{file}: no folder {file.resolve().parent} to write the backup in")
    revision = migrate.head_revision() or ""
    engine = engine_for(state(ctx).settings)
    # Recorded before the read, so the backup holds the row saying who took it.
    who.write(lambda db: record(db, action="db.backup", entity="Database", key=file.name,
                                rel_to=Releasability.to(who.identity.nation).to_column(),
                                details={"revision": revision, "file": str(file.resolve())[:300]}))
    schema = tables()
    with _bar() as bar:
        task = bar.add_task("backup", total=len(schema))
        done: set[str] = set()

        def advance(table: str, rows: int) -> None:
            done.add(table)
            bar.update(task, completed=len(done) - 1, description=f"{table}: {rows} rows")

        header = take_backup(engine, file, revision=revision, progress=advance)
        bar.update(task, completed=len(schema))
    console.print(f"backup of {header.rows} rows in {len(header.counts)} tables at schema {header.revision} "
                  f"written to {escape(str(file))}", highlight=False)


@app.command()
def restore(ctx: typer.Context,
            file: Path = typer.Argument(..., help="a file `reassure db backup` wrote", exists=True, dir_okay=False),
            replace: bool = typer.Option(False, "--replace", help="replace everything the database holds")) -> None:
    """Restore a backup into this database in one transaction (an active admin in the backup; and of this
    database too when it holds data). The database must be at the backup's schema revision (`reassure db upgrade`)."""
    settings = state(ctx).settings
    engine = engine_for(settings)
    header = read_header(file)
    current = migrate.current_revision(engine)
    if header.revision != migrate.head_revision() or current != header.revision:
        raise InputError(f"{file}: a backup of schema {header.revision}; this database is at {current or 'nothing'}"
                         f" and this version at {migrate.head_revision()}: restore with the version that took it, "
                         "into a database at its revision; nothing was restored")
    with engine.connect() as connection:
        occupied = holds_rows(connection)
    here = None
    if occupied:
        if not replace:
            raise Conflict(OCCUPIED)
        here = caller(ctx).identity
        here.require(Role.ADMIN, "replace the database with a backup")
    name = settings.user or (here.user if here is not None else None)
    acting = backup_admin(file, header, name) if name else None
    if acting is None:
        raise Forbidden("name yourself with --user: an active admin in the backup (who can then act on what is "
                        "restored); nothing was restored", action="restore a backup")
    with _bar() as bar:
        task = bar.add_task("restore", total=header.rows)
        counted: dict[str, int] = {}

        def advance(table: str, rows: int) -> None:
            counted[table] = rows
            bar.update(task, completed=sum(counted.values()), description=table)

        written = restore_backup(engine, file, header, replace=replace, progress=advance,
                                 last_words=audit_restore(acting, file, header, replaced=occupied))
        bar.update(task, completed=header.rows)
    console.print(f"restored {sum(written.values())} rows in {len(written)} tables from {escape(str(file))} "
                  f"(taken {header.taken_at} on {header.dialect})", highlight=False)


def _bar() -> Progress:
    return Progress(TextColumn("{task.description}"), BarColumn(), TextColumn("{task.completed}/{task.total}"),
                    TimeElapsedColumn(), console=console, transient=True)

"""`reassure db ...`: create or upgrade the database schema."""

from __future__ import annotations

import typer

from reassure import migrations as migrate
from reassure.cli.context import console, state
from reassure.db.uow import engine_for

app = typer.Typer(help="Database schema: upgrade to the newest revision, show the current one.",
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

"""`reassure audit`: the audit log (admins), newest first: who did what, before and after, and what was refused."""

from __future__ import annotations

import json
from datetime import datetime

import typer
from rich.markup import escape
from rich.table import Table

from reassure.cli.context import console, require_schema, session
from reassure.domains.audit.service import recent


def audit_command(
    ctx: typer.Context,
    limit: int = typer.Option(50, help="show at most this many rows"),
    actor: str | None = typer.Option(None, help="only this user's actions"),
    action: str | None = typer.Option(None, help="only actions starting with this, e.g. pledge. or import"),
    denied: bool = typer.Option(False, "--denied", help="only refused attempts"),
    since: datetime | None = typer.Option(None, formats=["%Y-%m-%d"], help="from this day (YYYY-MM-DD)"),
    as_json: bool = typer.Option(False, "--json", help="print JSON lines instead of a table"),
) -> None:
    """List audit rows released to your nation (admins only)."""
    require_schema(ctx)
    with session(ctx) as db:
        rows = recent(db=db, limit=limit, actor=actor, action=action, outcome="denied" if denied else None,
                      since=since)
    if as_json:
        for r in rows:
            print(json.dumps(r.model_dump(mode="json"), ensure_ascii=False, sort_keys=True))
        return
    table = Table(title=f"Audit log ({len(rows)} newest shown)")
    for column in ("at", "actor", "action", "outcome", "record", "details", "marking"):
        table.add_column(column, overflow="fold")
    for r in rows:
        table.add_row(f"{r.at:%Y-%m-%d %H:%M:%S}", f"{r.actor} ({r.actor_nation or '—'})", r.action,
                      "[red]denied[/red]" if r.outcome == "denied" else r.outcome, escape(f"{r.entity} {r.key}"),
                      escape(json.dumps(r.details, ensure_ascii=False, default=str)[:300]), r.marking)
    console.print(table)

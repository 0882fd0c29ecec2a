"""`reassure followups`: your nation's follow-up tasks (list, assign, done); `reassure renewals`: what lapses, must be
renewed or is stale (docs/adr/0043)."""

from __future__ import annotations

from datetime import date

import typer
from rich.table import Table

from reassure.cli.context import JSON_OPTION, console, identity, plain, print_json, require_schema, run, session, state
from reassure.domains.followups import actions, service
from reassure.domains.preferences.actions import clear_followup_owner, set_followup_owner
from reassure.domains.preferences.schemas import FollowupOwnerRead
from reassure.domains.preferences.service import get_followup_owner
from reassure.services.renewals import renewals

app = typer.Typer(help="Follow-ups: tasks of your nation with an owner, a due date and a state, opened when a rule "
                  "fires, an instrument enters the expiry window, an ask is answered late or a verification fails.",
                  no_args_is_help=True)
owner_app = typer.Typer(help="Who owns the follow-ups opened for your nation (unassigned when nobody is set).",
                        no_args_is_help=True)
app.add_typer(owner_app, name="owner")


@app.command("list")
def list_command(
    ctx: typer.Context,
    state_: str | None = typer.Option(None, "--state", help="open, done or dropped"),
    mine: bool = typer.Option(False, "--mine", help="only yours"),
    overdue: bool = typer.Option(False, "--overdue", help="only open ones past their due date"),
    as_json: bool = JSON_OPTION,
) -> None:
    """List your nation's follow-ups, soonest due first."""
    require_schema(ctx)
    today = date.today()
    with session(ctx) as db:
        rows = service.list_followups(db=db, state=state_, owner=identity(ctx).user if mine else None,
                                      overdue_on=today if overdue else None, today=today)
    if as_json:
        print_json(rows)
        return
    table = Table(title=f"Follow-ups of {identity(ctx).nation} ({len(rows)})")
    for column in ("id", "due", "state", "owner", "task", "follows", "marking"):
        table.add_column(column, overflow="fold")
    for f in rows:
        due = f"{f.due_on:%Y-%m-%d}" + (" OVERDUE" if f.overdue else "")
        table.add_row(f.id, due, f.state, *plain(f.owner or "unassigned", f.title, f"{f.follows_kind} {f.follows_key}"),
                      f.marking)
    console.print(table if rows else "no follow-ups")


@app.command("assign")
def assign_command(ctx: typer.Context, followup: str = typer.Argument(..., help="follow-up id (fup_…)"),
                   owner: str = typer.Argument(..., help="a user of your nation")) -> None:
    """Give an open follow-up to another user of your nation (planners and admins; audited)."""
    require_schema(ctx)
    found = run(ctx, lambda db: actions.assign_followup(followup, owner, db=db))
    console.print(f"{found.id} is now {found.owner}'s", highlight=False)


@app.command("done")
def done_command(ctx: typer.Context, followup: str = typer.Argument(..., help="follow-up id (fup_…)"),
                 note: str = typer.Option("", "--note", help="what was done (or why it is dropped)"),
                 drop: bool = typer.Option(False, "--drop", help="drop it instead: nothing needs doing")) -> None:
    """Close a follow-up as done, or dropped (its owner, or a planner; audited)."""
    require_schema(ctx)
    found = run(ctx, lambda db: actions.close_followup(followup, db=db, state="dropped" if drop else "done",
                                                       note=note))
    console.print(f"{found.id} {found.state}", highlight=False)


def _show_owner(found: FollowupOwnerRead, as_json: bool) -> None:
    if as_json:
        print(found.model_dump_json(indent=1))
    elif found.owner:
        console.print(f"follow-ups of {found.nation} go to {found.owner} ({found.marking})", highlight=False,
                      markup=False)
    else:
        console.print(f"{found.nation} has no follow-up owner: new follow-ups are unassigned", highlight=False)


@owner_app.command("show")
def owner_show_command(ctx: typer.Context, as_json: bool = JSON_OPTION) -> None:
    """Show who owns the follow-ups opened for your nation."""
    require_schema(ctx)
    with session(ctx) as db:
        found = get_followup_owner(db=db)
    _show_owner(found, as_json)


@owner_app.command("set")
def owner_set_command(ctx: typer.Context, user: str = typer.Argument(..., help="an active user of your nation"),
                      as_json: bool = JSON_OPTION) -> None:
    """Make a user of your nation the owner of the follow-ups hooks open (admins and planners; audited)."""
    require_schema(ctx)
    _show_owner(run(ctx, lambda db: set_followup_owner(user, db=db)), as_json)


@owner_app.command("clear")
def owner_clear_command(ctx: typer.Context, as_json: bool = JSON_OPTION) -> None:
    """Remove your nation's follow-up owner: new follow-ups are then unassigned (admins and planners; audited)."""
    require_schema(ctx)
    _show_owner(run(ctx, lambda db: clear_followup_owner(db=db)), as_json)


def renewals_command(
    ctx: typer.Context,
    scenario: str | None = typer.Option(None, "--scenario", help="default: your nation's default scenario"),
    window: int | None = typer.Option(None, "--window", min=0, max=3650, help="days ahead (default: the "
                                      "REASSURE_EXPIRY_WINDOW_DAYS setting, 90)"),
    as_json: bool = JSON_OPTION,
) -> None:
    """List the pledges and legal instruments that lapse or must be renewed within the window, and the claims and
    pledges last known true too long ago (REASSURE_STALE_RECORD_DAYS)."""
    require_schema(ctx)
    settings = state(ctx).settings
    days = settings.expiry_window_days if window is None else window
    with session(ctx) as db:
        found = renewals(db=db, scenario=scenario, window_days=days, stale_days=settings.stale_record_days)
    if as_json:
        print(found.model_dump_json(indent=1))
        return
    table = Table(title=f"Expiring within {days} days of {found.today:%Y-%m-%d} ({len(found.expiring)})")
    for column in ("day", "in", "record", "key", "nation", "what", "renewal", "marking"):
        table.add_column(column, overflow="fold")
    for i in found.expiring:
        table.add_row(f"{i.on:%Y-%m-%d}", f"{i.days} d", i.record, *plain(i.key, i.nation or "—"),
                      "renewal due" if i.what == "renewal" else "lapses", *plain(i.renewal or "—"), i.marking)
    console.print(table if found.expiring else f"nothing lapses or needs renewal within {days} days")
    console.print(f"stale (last known true over {found.stale_days} days ago): {len(found.stale)}"
                  + "".join(f"\n  {i.record} {i.key}: {i.on:%Y-%m-%d}" for i in found.stale), highlight=False,
                  markup=False)

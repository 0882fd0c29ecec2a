"""`reassure alerts`: each nation's alert channels (admins: add, list, remove, test-send), the delivery log, recent
rule state changes, and a run of the rules' evaluation and notifications now."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

import typer
from pydantic import ValidationError
from rich.table import Table

from reassure.cli.context import (
    JSON_OPTION,
    console,
    err_console,
    identity,
    plain,
    print_json,
    require_schema,
    run,
    session,
    state,
)
from reassure.core.errors import InputError
from reassure.domains.alerts import actions, service
from reassure.domains.alerts.schemas import ChannelCreate

if TYPE_CHECKING:
    from reassure.services.notify import Outcome

app = typer.Typer(help="Alerts: where each nation's rule state changes are sent (webhooks, e-mail), and what was sent.",
                  no_args_is_help=True)


def _secret(from_stdin: bool) -> str | None:
    if not from_stdin:
        return None
    line = sys.stdin.readline().rstrip("\n")
    if not line:
        raise InputError("--secret-stdin: no secret on standard input")
    return line


@app.command("add")
def add_command(
    ctx: typer.Context,
    kind: str = typer.Argument(..., help="webhook or email"),
    label: str = typer.Argument(..., help="a name for people, e.g. 'ops room'"),
    target: str = typer.Argument(..., help="the webhook's URL, or e-mail addresses separated by commas"),
    secret_stdin: bool = typer.Option(False, "--secret-stdin", help="webhooks: read the shared signing secret (16+ "
                                      "characters) from standard input; it is never shown back"),
) -> None:
    """Add an alert channel for your nation (admins; audited, the secret never in clear)."""
    require_schema(ctx)
    try:
        request = ChannelCreate(kind=kind.strip().lower(), label=label, target=target,  # type: ignore[arg-type]
                                secret=_secret(secret_stdin))
    except ValidationError as error:
        problems = [f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in error.errors()]
        raise InputError("; ".join(problems)) from None
    channel = run(ctx, lambda db: actions.add_channel(request, db=db))
    console.print(f"added {channel.kind} channel {channel.id} ({channel.label}) for {channel.nation}: rule state "
                  "changes in your nation's view go to it; `reassure alerts test` sends a test", highlight=False)


@app.command("list")
def list_command(
    ctx: typer.Context,
    removed: bool = typer.Option(False, "--removed", help="also list removed channels"),
    as_json: bool = JSON_OPTION,
) -> None:
    """List your nation's alert channels (admins); secrets are only said to be set."""
    require_schema(ctx)
    with session(ctx) as db:
        rows = service.list_channels(db=db, include_removed=removed)
    if as_json:
        print_json(rows)
        return
    table = Table(title=f"Alert channels of {identity(ctx).nation} ({len(rows)})")
    for column in ("id", "kind", "label", "target", "secret", "active", "added by", "added"):
        table.add_column(column, overflow="fold")
    for c in rows:
        table.add_row(c.id, c.kind, *plain(c.label, c.target), "set" if c.secret_set else "—",
                      "yes" if c.active else "removed", c.created_by, f"{c.created_at:%Y-%m-%d %H:%M}")
    console.print(table if rows else "no alert channels: `reassure alerts add webhook|email LABEL TARGET`")


@app.command("remove")
def remove_command(ctx: typer.Context, channel: str = typer.Argument(..., help="channel id (chan_…)")) -> None:
    """Stop sending to a channel (admins; audited; its delivery log is kept)."""
    require_schema(ctx)
    removed = run(ctx, lambda db: actions.remove_channel(channel, db=db))
    console.print(f"removed channel {removed.id} ({removed.label})", highlight=False)


@app.command("test")
def test_command(ctx: typer.Context, channel: str = typer.Argument(..., help="channel id (chan_…)")) -> None:
    """Send a test notification to a channel now (admins), with the usual retries; exit 1 if it is not delivered."""
    from reassure.jobs.alerts import test_send

    require_schema(ctx)
    with console.status("sending a test notification (retrying on failure)…"):
        outcome = test_send(state(ctx).settings, identity(ctx), channel)
    _say(outcome)


@app.command("resend")
def resend_command(ctx: typer.Context,
                   delivery: str = typer.Argument(..., help="a delivery attempt's id (dlv_…, `reassure alerts log`)")
                   ) -> None:
    """Send a delivery that gave up once more (admins; audited), with the usual retries; exit 1 if it is not
    delivered. A delivered one, or one being sent, is not re-sent (exit 6)."""
    from reassure.jobs.alerts import resend

    require_schema(ctx)
    with console.status("re-sending (retrying on failure)…"):
        outcome = resend(state(ctx).settings, identity(ctx), delivery)
    _say(outcome)


@app.command("log")
def log_command(
    ctx: typer.Context,
    limit: int = typer.Option(50, help="show at most this many attempts, newest first"),
    as_json: bool = JSON_OPTION,
) -> None:
    """List delivery attempts to your nation's channels, newest first (admins)."""
    require_schema(ctx)
    with session(ctx) as db:
        rows = service.deliveries(db=db, limit=limit)
    if as_json:
        print_json(rows)
        return
    table = Table(title=f"Alert deliveries ({len(rows)})")
    for column in ("when", "id", "channel", "rule", "change", "attempt", "status", "error"):
        table.add_column(column, overflow="fold")
    for d in rows:
        change = f"{d.from_state} → {d.to_state}" if d.change else "test"
        table.add_row(f"{d.at:%Y-%m-%d %H:%M:%S}", d.id, *plain(d.channel_label, d.rule_name or "—"), change,
                      str(d.attempt), d.status, *plain(d.error or "—"))
    console.print(table if rows else "no deliveries yet")


@app.command("changes")
def changes_command(
    ctx: typer.Context,
    limit: int = typer.Option(20, help="show at most this many, newest first"),
    as_json: bool = JSON_OPTION,
) -> None:
    """List recent rule state changes in your nation's view (what alerts were sent about)."""
    require_schema(ctx)
    with session(ctx) as db:
        rows = service.recent_changes(db=db, limit=limit)
    if as_json:
        print_json(rows)
        return
    table = Table(title=f"Rule state changes ({len(rows)})")
    for column in ("when", "rule", "from → to", "as of", "evaluation", "marking"):
        table.add_column(column, overflow="fold")
    for c in rows:
        table.add_row(f"{c.at:%Y-%m-%d %H:%M}", *plain(c.rule_name), f"{c.from_state} → {c.to_state}",
                      str(c.as_of), c.evaluation, c.marking)
    console.print(table if rows else "no state changes stored yet")


@app.command("run")
def run_command(ctx: typer.Context) -> None:
    """Evaluate the rules as your nation and send its new state changes now (admins; what the job worker does for
    every nation with a channel on its schedule)."""
    from reassure.core.identity import Role
    from reassure.jobs.alerts import evaluate_and_notify

    require_schema(ctx)
    me = identity(ctx)
    me.require(Role.ADMIN, "run the alerts")
    with console.status("evaluating the rules and sending notifications…"):
        result = evaluate_and_notify(state(ctx).settings, [me.nation])
    console.print(f"{result.evaluated.get(me.nation, 0)} rule(s) evaluated as {me.nation}: "
                  f"{len(result.changes.get(me.nation, []))} state change(s); {result.delivered} notification(s) "
                  f"delivered, {result.failed} not delivered (`reassure alerts log`)", highlight=False)


def _say(outcome: Outcome) -> None:
    """Print a send's outcome: delivered (with the HTTP status), else the error on stderr and exit 1."""
    if outcome.delivered:
        console.print("delivered" + (f" (HTTP {outcome.http_status})" if outcome.http_status else ""))
        return
    err_console.print(f"not delivered: {outcome.error}", highlight=False, markup=False)
    raise typer.Exit(1)

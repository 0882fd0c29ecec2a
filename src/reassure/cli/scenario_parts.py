"""Scenario parts: tasks, the command tree, legal status, and a pledge's lifecycle (history, status changes)."""

from __future__ import annotations

from datetime import datetime

import typer
from rich.table import Table
from rich.tree import Tree

from reassure.cli.context import JSON_OPTION, console, plain, print_json, require_schema, run, session
from reassure.domains.command.schemas import CommandNodeRead
from reassure.domains.command.service import command_tree
from reassure.domains.legal.service import list_legal
from reassure.domains.pledges import actions
from reassure.domains.pledges.schemas import PledgeHistory
from reassure.domains.pledges.service import pledge_history
from reassure.domains.tasks.service import list_tasks

pledge_app = typer.Typer(help="One pledge's lifecycle: its dated history, a status change, a withdrawal.",
                         no_args_is_help=True)


def tasks_command(ctx: typer.Context, scenario: str = typer.Option(..., help="scenario name"),
                  as_json: bool = JSON_OPTION) -> None:
    """List a scenario's tasks: capability, where, demand per period, priority, legal needs, command."""
    require_schema(ctx)
    with session(ctx) as db:
        rows = list_tasks(scenario, db=db)
    if as_json:
        print_json(rows)
        return
    table = Table(title=f"Tasks of {scenario} ({len(rows)}) — planning assumptions")
    for column in ("task", "name", "capability", "where", "demand", "priority", "needs", "command", "marking"):
        table.add_column(column, overflow="fold")
    for t in rows:
        demand = str(t.demand[0]) if len(set(t.demand)) == 1 else f"{min(t.demand)}–{max(t.demand)}"
        table.add_row(*plain(t.key, t.name, t.capability, t.location), demand, str(t.priority),
                      ", ".join(t.requires_legal) or "—", *plain(t.command or "—"), t.marking)
    console.print(table)


def command_command(ctx: typer.Context, scenario: str = typer.Option(..., help="scenario name"),
                    as_json: bool = JSON_OPTION) -> None:
    """Show the command tree: HQ → components → sectors → contingents, with OPCON/TACON and lead nations."""
    require_schema(ctx)
    with session(ctx) as db:
        roots = command_tree(scenario, db=db)
    if as_json:
        print_json(roots)
        return
    tree = Tree(f"Command arrangements of {scenario} (planning assumptions)")

    def add(branch: Tree, node: CommandNodeRead) -> None:
        lead = f" · lead {node.lead_nation}" if node.lead_nation else ""
        link = f"{node.relationship} · " if node.relationship else ""
        tasks = f" · tasks {', '.join(node.tasks)}" if node.tasks else ""
        child = branch.add(plain(f"{link}{node.name} ({node.kind}{lead}){tasks} · {node.marking}")[0])
        for c in node.children:
            add(child, c)

    for root in roots:
        add(tree, root)
    console.print(tree)


def legal_command(ctx: typer.Context, scenario: str = typer.Option(..., help="scenario name"),
                  as_json: bool = JSON_OPTION) -> None:
    """Show legal status: each nation's SOFA, MoU and ROE with status, dates, grade and sources."""
    require_schema(ctx)
    with session(ctx) as db:
        rows = list_legal(scenario, db=db)
    if as_json:
        print_json(rows)
        return
    table = Table(title=f"Legal status of {scenario} ({len(rows)})")
    for column in ("nation", "host", "kind", "status", "signed", "in force", "standing", "grade", "sources", "marking"):
        table.add_column(column, overflow="fold")
    for lg in rows:
        table.add_row(lg.nation, lg.host, lg.kind, lg.status, str(lg.signed_on or "—"),
                      f"{lg.in_force_from or '—'} → {lg.in_force_to or 'open'}", lg.standing, lg.grade or "—",
                      *plain(", ".join(lg.sources) or "—"), lg.marking)
    console.print(table)


def _print_history(h: PledgeHistory) -> None:
    steps = " → ".join(f"{s.status} ({s.on_date})" for s in h.steps) or "no dated steps"
    console.print(f"{h.key} in {h.scenario}: {h.status} · {steps} · {h.marking}", highlight=False, markup=False)


@pledge_app.command("history")
def history_command(ctx: typer.Context, scenario: str, key: str, as_json: bool = JSON_OPTION) -> None:
    """Show a pledge's status and dated history."""
    require_schema(ctx)
    with session(ctx) as db:
        history = pledge_history(scenario, key, db=db)
    if as_json:
        print_json([history])
        return
    _print_history(history)


@pledge_app.command("status")
def status_command(
    ctx: typer.Context, scenario: str, key: str,
    status: str = typer.Argument(..., help="announced, offered, confirmed, deployed or withdrawn"),
    on: datetime = typer.Option(..., "--date", formats=["%Y-%m-%d"], help="the day it happened"),
    source: str | None = typer.Option(None, "--source", help="the source that reports it"),
) -> None:
    """Record a pledge's new status on a date (planners; audited)."""
    require_schema(ctx)
    _print_history(run(ctx, lambda db: actions.change_status(scenario, key, status, on.date(), db=db,
                                                              source=source)))


@pledge_app.command("withdraw")
def withdraw_command(
    ctx: typer.Context, scenario: str, key: str,
    on: datetime = typer.Option(..., "--date", formats=["%Y-%m-%d"], help="the day the nation withdrew it"),
    source: str | None = typer.Option(None, "--source", help="the source that reports it"),
) -> None:
    """Record a pledge's withdrawal (planners; audited): plans built from then on leave its units out from the
    period containing that date on (before it they still serve)."""
    require_schema(ctx)
    _print_history(run(ctx, lambda db: actions.withdraw(scenario, key, on.date(), db=db, source=source)))

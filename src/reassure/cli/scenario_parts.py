"""Scenario parts: tasks, phases, the command tree, legal status, and pledges one by one (adding one, its history,
status changes)."""

from __future__ import annotations

from datetime import datetime

import typer
from rich.table import Table
from rich.tree import Tree

from reassure.cli.context import JSON_OPTION, console, plain, print_json, require_schema, run, session
from reassure.domains.command.schemas import CommandNodeRead
from reassure.domains.command.service import command_tree
from reassure.domains.legal.service import list_legal
from reassure.domains.phases.service import list_phases
from reassure.domains.pledges import actions
from reassure.domains.pledges.schemas import PledgeEdit, PledgeHistory
from reassure.domains.pledges.service import find_pledge, pledge_history
from reassure.domains.tasks.service import list_tasks
from reassure.scenario_io.load import load_pledge_row
from reassure.scenario_io.schema import StatusStep

pledge_app = typer.Typer(help="One pledge: add it, show its dated history, edit it, change its status, withdraw it.",
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


def phases_command(ctx: typer.Context, scenario: str = typer.Option(..., help="scenario name"),
                   as_json: bool = JSON_OPTION) -> None:
    """List a scenario's phases: months, demand per task, entry condition and its rule (docs/adr/0044)."""
    require_schema(ctx)
    with session(ctx) as db:
        rows = list_phases(scenario, db=db)
    if as_json:
        print_json(rows)
        return
    table = Table(title=f"Phases of {scenario} ({len(rows)}) — planning assumptions")
    for column in ("phase", "months", "demand", "entry condition", "rule", "marking"):
        table.add_column(column, overflow="fold")
    for p in rows:
        demand = "; ".join(f"{d.task}: {d.text}" for d in p.demand) or "as the tasks state"
        table.add_row(*plain(p.name, f"{p.start_date:%b %Y} – {p.end_date:%b %Y}", demand, p.entry or "—",
                             p.rule or "—"), p.marking)
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
    console.print(f"{h.key} in {h.scenario}: {h.status} · {steps} · {h.marking} · version {h.version}",
                  highlight=False, markup=False)


@pledge_app.command("add")
def add_command(
    ctx: typer.Context, scenario: str,
    key: str = typer.Option(..., help="the pledge's key, new in the scenario, e.g. POL-ENG-1"),
    nation: str = typer.Option(..., help="the pledging nation (alpha-3)"),
    capability: str = typer.Option(..., help="e.g. engineer_company"),
    quantity: str = typer.Option(..., help="units: 2, 2+, 1-3, 1-3~2 (range, best 2) or undisclosed"),
    personnel: int = typer.Option(..., "--personnel", help="personnel per unit"),
    where: str = typer.Option(..., help="where it may serve: inside, adjacent, sea, air (';' between several)"),
    available_from: str = typer.Option(..., "--from", help="first day available (YYYY-MM-DD)"),
    available_to: str = typer.Option(..., "--to", help="last day available (YYYY-MM-DD)"),
    max_tour: int = typer.Option(..., help="longest tour, in the scenario's periods"),
    min_dwell: int = typer.Option(..., help="shortest time at home between tours, in periods"),
    conditions: str = typer.Option("", help="scenario flags it depends on, ';' between several"),
    caveats: str = typer.Option("", help="caveats as stated, ' | ' between several"),
    status: str = typer.Option("announced", help="announced, offered, confirmed, deployed or withdrawn"),
    on: datetime | None = typer.Option(None, "--date", formats=["%Y-%m-%d"],
                                       help="the day it reached that status (its first dated step)"),
    standing: str = typer.Option("assumption", help="verified, unconfirmed or assumption"),
    grade: str = typer.Option("", help="Admiralty grade such as B2 (a reported pledge needs one)"),
    sources: str = typer.Option("", "--source", help="source ids it rests on, ';' between several"),
    marking: str = typer.Option("", help="e.g. 'REL TO FRA, DEU' (default: the scenario's marking)"),
    probability: str = typer.Option("", help="chance it materialises, 0-1 (default 1)"),
    notes: str = typer.Option("", help="free text"),
) -> None:
    """Add one pledge to a scenario (planners; audited): the same checks as an import, every problem named by
    field; nothing is written unless all of it is right."""
    require_schema(ctx)
    entry = load_pledge_row({
        "key": key, "nation": nation, "capability": capability, "quantity": quantity,
        "personnel_per_unit": str(personnel), "where": where, "available_from": available_from,
        "available_to": available_to, "max_tour": str(max_tour), "min_dwell": str(min_dwell),
        "conditions": conditions, "caveats": caveats, "status": status, "standing": standing, "grade": grade,
        "sources": sources, "marking": marking, "probability": probability, "notes": notes})
    if on is not None:
        entry.history = [StatusStep(status=entry.status, date=on.date())]
    added = run(ctx, lambda db: actions.add_pledge(scenario, entry, db=db))
    console.print(f"added {added.key} to {scenario}: {added.nation} {added.capability} × {added.quantity}, "
                  f"{added.status} · {added.marking}", highlight=False, markup=False)


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


@pledge_app.command("edit")
def edit_command(
    ctx: typer.Context, scenario: str, key: str,
    version: int | None = typer.Option(None, min=1, help="the version you read (`pledge history` shows it); a "
                                                          "pledge changed since is refused (default: the current one)"),
    probability: float | None = typer.Option(None, min=0.0, max=1.0, help="chance it materialises, 0-1"),
    notes: str | None = typer.Option(None, help="free text (replaces the notes)"),
    notice: int | None = typer.Option(None, min=0, help="notice to move, in the scenario's periods"),
    max_tour: int | None = typer.Option(None, min=1, help="longest tour, in periods"),
    min_dwell: int | None = typer.Option(None, min=0, help="shortest time at home between tours, in periods"),
    valid_to: datetime | None = typer.Option(None, formats=["%Y-%m-%d"], help="the day the pledge lapses"),
    renew_by: datetime | None = typer.Option(None, formats=["%Y-%m-%d"], help="the day it must be renewed by"),
    renewal: str | None = typer.Option(None, help="what the renewal is"),
) -> None:
    """Change a pledge's probability, notes, notice, rotation, validity or renewal (planners; audited). With
    --version, the edit is refused (exit 5, nothing written) when someone changed the pledge since that version."""
    require_schema(ctx)
    given = {"probability": probability, "notes": notes, "notice": notice, "max_tour": max_tour,
             "min_dwell": min_dwell, "valid_to": valid_to.date() if valid_to else None,
             "renew_by": renew_by.date() if renew_by else None, "renewal": renewal}
    edit = PledgeEdit.model_validate({k: v for k, v in given.items() if v is not None})
    if version is None:
        with session(ctx) as db:
            version = find_pledge(scenario, key, db=db).version
    edited = run(ctx, lambda db: actions.edit_pledge(scenario, key, edit, expected_version=version, db=db))
    console.print(f"edited {edited.key} in {scenario}: version {version} → {edited.version} · {edited.marking}",
                  highlight=False, markup=False)


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

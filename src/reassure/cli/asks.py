"""`reassure asks …`: asks to nations and their answers (docs/adr/0041): list, create by hand, draft from a plan's
force-generation asks, send, record the answer, turn an accepted answer into a pledge."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

import typer
from rich.table import Table

from reassure.cli.context import JSON_OPTION, console, plain, print_json, require_schema, run, session
from reassure.domains.requests import actions
from reassure.domains.requests.schemas import AskRead
from reassure.domains.requests.service import list_asks

app = typer.Typer(help="Asks to nations: drafted → sent → answered → turned into a pledge (ids ask_…).",
                  no_args_is_help=True)
DATE = typer.Option(None, "--date", formats=["%Y-%m-%d"], help="the day it happened (default: today)")
ANSWER_BY = typer.Option(None, "--answer-by", formats=["%Y-%m-%d"],
                         help="the day the answer is due (unanswered after it, or answered later: a follow-up)")


def _ask_id() -> str:
    return typer.Argument(..., metavar="ASK_ID", help="the ask's id as `reassure asks list` prints it (ask_…)")


def _day(on: datetime | None) -> date:
    return on.date() if on is not None else date.today()


def _table(rows: list[AskRead], title: str) -> None:
    table = Table(title=title)
    for column in ("id", "nation", "units", "capability", "window", "closes", "state", "answer by", "answer",
                   "pledge", "marking"):
        table.add_column(column, overflow="fold")
    for a in rows:
        answer = "—" if a.answer is None else f"{a.answer} ({a.accepted} of {a.quantity})" + \
            (f"; conditions: {a.conditions}" if a.conditions else "")
        table.add_row(a.id, *plain(a.nation_name), str(a.quantity), *plain(a.capability_name),
                      f"{a.available_from} – {a.available_to}", *plain("; ".join(a.closes) or "—"), a.state,
                      f"{a.answer_by or '—'}{' LATE' if a.late else ''}",
                      *plain(answer, a.pledge or "—"), a.marking)
    console.print(table)


def _show(rows: list[AskRead], as_json: bool, title: str) -> None:
    if as_json:
        print_json(rows)
    else:
        _table(rows, title)


@app.command("list")
def list_command(ctx: typer.Context, scenario: Annotated[str | None, typer.Option(help="only this scenario")] = None,
                 nation: Annotated[str | None, typer.Option(help="only asks to this nation (code)")] = None,
                 state: Annotated[str | None, typer.Option(help="drafted, sent, answered or pledged")] = None,
                 open_only: Annotated[bool, typer.Option("--open", help="only asks not yet answered")] = False,
                 as_json: bool = JSON_OPTION) -> None:
    """List the asks released to you, by nation."""
    require_schema(ctx)
    with session(ctx) as db:
        rows = list_asks(db=db, scenario=scenario, nation=nation, state=state, open_only=open_only)
    _show(rows, as_json, f"Asks to nations ({len(rows)})")


@app.command("create")
def create_command(
    ctx: typer.Context, scenario: str = typer.Argument(..., help="the scenario the ask serves"),
    nation: str = typer.Option(..., help="the nation asked (code)"),
    capability: str = typer.Option(..., help="the capability asked, e.g. fighter_squadron"),
    quantity: int = typer.Option(..., help="units asked"),
    start: datetime = typer.Option(..., "--from", formats=["%Y-%m-%d"], help="first day wanted"),
    end: datetime = typer.Option(..., "--to", formats=["%Y-%m-%d"], help="last day wanted"),
    task: list[str] = typer.Option([], "--task", help="a task whose gap it would close (repeat)"),
    where: list[str] = typer.Option([], "--where", help="where the units serve (default: the tasks' places)"),
    personnel: int | None = typer.Option(None, help="personnel per unit (default: the nation's pledge's)"),
    max_tour: int | None = typer.Option(None, help="longest tour, in periods (default: the nation's pledge's)"),
    min_dwell: int | None = typer.Option(None, help="shortest dwell, in periods (default: the nation's pledge's)"),
    note: str = typer.Option("", help="a note for people"),
    marking: str | None = typer.Option(None, help="its marking (default: the scenario's)"),
    answer_by: datetime | None = ANSWER_BY,
    on: datetime | None = DATE, as_json: bool = JSON_OPTION,
) -> None:
    """Draft an ask by hand (planners; audited)."""
    require_schema(ctx)
    made = run(ctx, lambda db: actions.create_ask(
        scenario, db=db, nation=nation, capability=capability, quantity=quantity, available_from=start.date(),
        available_to=end.date(), on_date=_day(on), personnel_per_unit=personnel, where=where or None,
        max_tour=max_tour, min_dwell=min_dwell, tasks=task, note=note, marking=marking,
        answer_by=answer_by.date() if answer_by else None))
    _show([made], as_json, "Ask drafted")


@app.command("from-plan")
def from_plan_command(ctx: typer.Context,
                      plan_id: str = typer.Argument(..., metavar="PLAN_ID", help="a stored plan with asks (plan_…)"),
                      marking: str | None = typer.Option(None, help="their marking (default: the plan's)"),
                      answer_by: datetime | None = ANSWER_BY, on: datetime | None = DATE,
                      as_json: bool = JSON_OPTION) -> None:
    """Draft one ask per force-generation ask stored with a plan (planners; audited)."""
    require_schema(ctx)
    made = run(ctx, lambda db: actions.asks_from_plan(plan_id, db=db, on_date=_day(on), marking=marking,
                                                      answer_by=answer_by.date() if answer_by else None))
    _show(made, as_json, f"Asks drafted from plan {plan_id} ({len(made)})")


@app.command("send")
def send_command(ctx: typer.Context, ask_id: str = _ask_id(),
                 source: str | None = typer.Option(None, help="the source of the letter or message that sent it"),
                 on: datetime | None = DATE, as_json: bool = JSON_OPTION) -> None:
    """Record that a drafted ask was sent (planners of the drafting nation; audited)."""
    require_schema(ctx)
    _show([run(ctx, lambda db: actions.send_ask(ask_id, db=db, on_date=_day(on), source=source))], as_json,
          "Ask sent")


@app.command("answer")
def answer_command(
    ctx: typer.Context, ask_id: str = _ask_id(),
    answer: str = typer.Argument(..., help="full, part or declined"),
    accepted: int | None = typer.Option(None, help="units accepted (an answer in part)"),
    conditions: str = typer.Option("", help="the answer's conditions, in the nation's words"),
    publisher: str | None = typer.Option(None, help="who answered (default: the nation's government)"),
    title: str | None = typer.Option(None, help="the answer's title (letter, note verbale)"),
    locator: str | None = typer.Option(None, help="where the answer is kept (file, URL)"),
    reliability: str = typer.Option("B", help="the answer's Admiralty reliability, A to F"),
    on: datetime | None = DATE, as_json: bool = JSON_OPTION,
) -> None:
    """Record a nation's answer to a sent ask, stored as a source (planners of either nation; audited)."""
    require_schema(ctx)
    _show([run(ctx, lambda db: actions.answer_ask(ask_id, db=db, answer=answer, on_date=_day(on), accepted=accepted,
                                                  conditions=conditions, publisher=publisher, title=title,
                                                  locator=locator, reliability=reliability))], as_json,
          "Answer recorded")


@app.command("to-pledge")
def to_pledge_command(ctx: typer.Context, ask_id: str = _ask_id(),
                      pledge: str | None = typer.Option(None, help="add the accepted units to this pledge (key)"),
                      key: str | None = typer.Option(None, help="the new pledge's key (default ASK-<nation>-…)"),
                      on: datetime | None = DATE, as_json: bool = JSON_OPTION) -> None:
    """Turn an accepted answer into a pledge, citing the answer (planners of either nation; audited)."""
    require_schema(ctx)
    _show([run(ctx, lambda db: actions.ask_to_pledge(ask_id, db=db, on_date=_day(on), pledge=pledge, key=key))],
          as_json, "Pledge made from the answer")

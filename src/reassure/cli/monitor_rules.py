"""Indicator and rule commands over the stored incidents: indicator tables, rule checks with evidence, backtests."""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.markup import escape
from rich.panel import Panel
from rich.table import Table

from reassure.cli.context import JSON_OPTION, console, fail, plain, print_json, require_schema, run, session, state
from reassure.core.labels import label
from reassure.core.regions import require_region
from reassure.domains.incidents.indicators import IndicatorRow

if TYPE_CHECKING:

    from reassure.rules.model import Rule
    from reassure.rules.results import Evaluation

# polars, the indicators and the rules are imported inside the commands: the CLI starts faster without them.

rules_app = typer.Typer(help="Exit conditions, political triggers and alerts over the stored incidents.",
                        no_args_is_help=True)
EVERY = {"day": "1d", "week": "1w", "month": "1mo"}
BUNDLED_NOTE = "bundled rule: an illustrative planning assumption, not agreed coalition policy"
# `reassure rules check` exit codes (docs/errors.md): what the check found, the most pressing first.
CHECK_EXIT = {"clear": 0, "trigger_or_alert_met": 10, "exit_condition_met": 11, "unknown": 12}
STATE_SHOWN = {"met": "[bold red]MET[/bold red]", "not_met": "[green]not met[/green]",
               "unknown": "[yellow]UNKNOWN[/yellow]"}

SCENARIO_OPTION = typer.Option(None, "--scenario", help="the scenario whose ceasefire date starts the count of "
                               "violations (default: your nation's default scenario)")


def _day(value: datetime | None) -> date | None:
    return value.date() if value else None


def _num(value: float | int | None, digits: int = 0) -> str:
    if value is None:
        return "—"
    return f"{value:,.{digits}f}"


def _rate(rate: float | None, low: float | None, high: float | None) -> str:
    if rate is None:
        return "—"
    return f"{rate:.1%} [{low or 0:.1%}–{high or 0:.1%}]"


def indicators_command(
    ctx: typer.Context,
    every: str = typer.Option("month", help="period: day, week or month"),
    since: datetime | None = typer.Option(None, formats=["%Y-%m-%d"], help="first day (YYYY-MM-DD)"),
    until: datetime | None = typer.Option(None, formats=["%Y-%m-%d"], help="last day (YYYY-MM-DD)"),
    region: str | None = typer.Option(None, help="only this region, e.g. 'Donetsk Oblast' (any spelling)"),
    min_grade: str | None = typer.Option(None, "--min-grade", help="only reports graded at least this, e.g. B3"),
    last: int = typer.Option(24, help="show only the last N periods (0 = all)"),
    scenario: str | None = SCENARIO_OPTION,
    as_json: bool = JSON_OPTION,
) -> None:
    """Show launched, destroyed, suppressed, neutralized and interception rates (Wilson 95%) per period."""
    from reassure.domains.incidents.indicators import indicator_table
    from reassure.services.situation import ceasefire_args

    require_schema(ctx)
    with session(ctx) as db:
        result = indicator_table(db=db, every=every, start=_day(since), end=_day(until), last=last,
                                 region=require_region(region), min_grade=min_grade,
                                 stale_after_days=state(ctx).settings.stale_after_days,
                                 **ceasefire_args(db=db, scenario=scenario))
    if as_json:
        print_json(result.rows)
        return
    if not result.rows:
        console.print("no incidents visible to you in that range: ingest some first (reassure ingest ...)")
        return
    console.print(render_indicators(result.rows, every))
    if result.staleness is not None and result.staleness.stale:
        console.print(f"[yellow]{escape(result.staleness.describe())}[/yellow]", highlight=False)
    console.print("what the data covers: " + "; ".join(escape(c.describe()) for c in result.coverage),
                  highlight=False)


def render_indicators(rows: list[IndicatorRow], every: str) -> Table:
    """Render indicator rows (from domains/incidents/indicators.py) as a table."""
    table = Table(title=f"Indicators per {every} (air attacks; counts are reported figures)",
                  caption="— = not reported, or no source of that kind covers the period: unknown, never 0; "
                          "partial = the data covers only some days of the period (its counts are for those days; "
                          "compare per day); rate = share of launched weapons destroyed (or neutralized = destroyed "
                          "+ suppressed), over lines reporting both; [Wilson 95% interval, optimistic when outcomes "
                          "correlate]; violations = ceasefire-violation incidents stored")
    for column in ("period", "attacks", "launched", "per day", "vs previous (per day)", "destroyed", "suppressed",
                   "neutralized", "destroyed rate", "neutralized rate", "ceasefire violations"):
        table.add_column(column, justify="left" if column == "period" else "right")
    for r in rows:
        period = f"{r.period_start:%Y-%m-%d}" + (f" partial: {r.air_days} of {r.days} days" if r.partial else "")
        violations = _num(r.violations) + (f" (partial: {r.violation_days} of {r.days} days)"
                                           if r.violations is not None and r.violations_coverage == "partial" else "")
        table.add_row(period, _num(r.attacks), _num(r.launched), _num(r.launched_per_day, 1),
                      "—" if r.launched_change is None else f"{r.launched_change:+.0%}", _num(r.destroyed),
                      _num(r.suppressed), _num(r.neutralized),
                      _rate(r.destroyed_rate, r.destroyed_low, r.destroyed_high),
                      _rate(r.neutralized_rate, r.neutralized_low, r.neutralized_high), violations)
    return table


def _rules(files: list[Path] | None) -> tuple[list[Rule], bool]:
    from reassure.rules import RuleLoadError, load_bundled_rules, load_rules

    try:
        return (load_rules(*files), False) if files else (load_bundled_rules(), True)
    except RuleLoadError as error:
        fail(str(error))
        raise AssertionError("unreachable") from error


@rules_app.command("check")
def rules_check(
    ctx: typer.Context,
    at: datetime | None = typer.Option(None, "--at", formats=["%Y-%m-%d"],
                                       help="evaluate as of this day (default: the latest incident's day)"),
    rules_files: list[Path] | None = typer.Option(None, "--rules", help="rules YAML file or folder (repeatable)"),
    store: bool = typer.Option(False, "--store", help="keep the results (analysts): `reassure rules history`"),
    as_json: bool = typer.Option(False, "--json", help="print JSON: each rule's state (met, not_met, unknown), its "
                                 "conditions, which days each source covers, and the evaluation time"),
    scenario: str | None = SCENARIO_OPTION,
) -> None:
    """Evaluate the bundled rules (or given files) over the stored incidents: met, not met or unknown, with the
    evidence and the days each source covers. Exits 10 when a trigger or alert is met, else 11 when an exit
    condition is met, else 12 when a state is unknown, else 0 (docs/errors.md)."""
    from datetime import UTC

    from reassure.domains.evaluations.actions import store_evaluations
    from reassure.rules.results import outcome
    from reassure.services.situation import rule_states

    require_schema(ctx)
    rules, bundled = _rules(rules_files)
    with session(ctx) as db:
        states = rule_states(rules, db=db, at=_day(at), bundled=bundled, scenario=scenario)
    evaluated_at = datetime.now(UTC)
    evaluations = [state.evaluation for state in states]
    found = outcome(evaluations)
    if as_json:
        print(json.dumps({"evaluated_at": evaluated_at.isoformat(timespec="seconds"), "outcome": found,
                          "exit_code": CHECK_EXIT[found],
                          "rules": [{**e.to_dict(), "bundled": bundled} for e in evaluations]},
                         ensure_ascii=False, indent=1))
    else:
        for rule, evaluation in zip(rules, evaluations, strict=True):
            print_evaluation(rule, evaluation, bundled=bundled)
        console.print(f"outcome: {found.replace('_', ' ')} (exit code {CHECK_EXIT[found]}; the evaluation time is in "
                      "--json)", highlight=False)
    if store:
        stored = run(ctx, lambda db: store_evaluations(evaluations, db=db))
        if not as_json:
            console.print(f"stored {len(stored)} evaluation(s), marked {stored[0].marking if stored else '—'}: "
                          "`reassure rules history`", highlight=False)
    if CHECK_EXIT[found]:
        raise typer.Exit(CHECK_EXIT[found])


@rules_app.command("history")
def rules_history(
    ctx: typer.Context,
    rule_id: str | None = typer.Argument(None, help="only this rule"),
    limit: int = typer.Option(50, help="show at most this many, newest first"),
    as_json: bool = JSON_OPTION,
) -> None:
    """List stored evaluations (newest first): when each rule was met or not, and on what evidence."""
    from reassure.domains.evaluations.service import list_evaluations

    require_schema(ctx)
    with session(ctx) as db:
        rows = list_evaluations(db=db, rule_id=rule_id, limit=limit)
    if as_json:
        print_json(rows)
        return
    table = Table(title=f"Stored rule evaluations ({len(rows)})")
    for column in ("id", "rule", "as of", "state", "evidence", "by", "stored", "marking"):
        table.add_column(column, overflow="fold")
    for e in rows:
        table.add_row(str(e.id), *plain(e.rule_id), str(e.as_of), STATE_SHOWN.get(e.state, e.state),
                      str(len(e.evidence)), e.author, f"{e.created_at:%Y-%m-%d %H:%M}", e.marking)
    console.print(table)


def print_evaluation(rule: Rule, e: Evaluation, *, bundled: bool) -> None:
    """Print one rule's state with its conditions' values, incidents, sources and grades."""
    state = STATE_SHOWN[e.state]
    grade = (f"minimum grade {e.min_grade} ({e.rows_excluded:,} row(s) below it left out)" if e.min_grade
             else "no minimum grade")
    lines = [f"{label('rule_kind', str(e.kind)).upper()} · {state} as of {e.as_of} · conditions combined with "
             f"'{e.logic}' · {e.rows_used:,} incident row(s) used · {grade}"]
    if bundled:
        lines.append(f"[cyan]{BUNDLED_NOTE}[/cyan]")
    lines.append(f"action if met: {e.action}" if e.met else f"action when met: {e.action}")
    console.print(Panel("\n".join(lines), title=f"{e.rule_id} — {e.rule_name}"))
    table = Table(show_lines=True)
    for column in ("condition", "test", "last period", "value", "streak", "state", "incidents", "sources", "grades"):
        table.add_column(column, overflow="fold")
    for c in e.conditions:
        ids = c.incident_ids
        shown = ", ".join(ids[:3]) + (f" … (+{len(ids) - 3})" if len(ids) > 3 else "")
        table.add_row(c.key, c.label + (f"\n[dim]{c.note}[/dim]" if c.note else ""), str(c.last_period or "—"),
                      _value(c.value, c.at_least), f"{c.streak}/{c.consecutive}",
                      STATE_SHOWN[c.state], f"{len(ids)}: {shown}" if ids else "0",
                      ", ".join(f"{k} ×{v}" for k, v in c.sources.items()) or "—",
                      ", ".join(f"{k} ×{v}" for k, v in c.grades.items()) or "—")
    console.print(table)
    if e.coverage:
        console.print("what the data covers: " + "; ".join(escape(c.describe()) for c in e.coverage), highlight=False)


def _value(value: float | None, at_least: float | None) -> str:
    if value is not None:
        return f"{value:.4g}"
    return "—" if at_least is None else f"≥ {at_least:.4g}"


@rules_app.command("backtest")
def rules_backtest(
    ctx: typer.Context,
    rule_id: str = typer.Argument(..., help="rule id, e.g. sanctions-review-mass-attacks"),
    since: datetime | None = typer.Option(None, formats=["%Y-%m-%d"], help="first day (default: first incident)"),
    until: datetime | None = typer.Option(None, formats=["%Y-%m-%d"], help="last day (default: last incident)"),
    rules_files: list[Path] | None = typer.Option(None, "--rules", help="rules YAML file or folder (repeatable)"),
    scenario: str | None = SCENARIO_OPTION,
) -> None:
    """Replay a rule over the stored incidents: when it fired and was released, and the spans it was met."""
    from reassure.rules import rule_by_id
    from reassure.services.situation import backtest_rule

    require_schema(ctx)
    rules, bundled = _rules(rules_files)
    try:
        rule = rule_by_id(rules, rule_id)
    except KeyError as error:
        fail(str(error.args[0]))
        return
    with session(ctx) as db:
        timeline = backtest_rule(rule, db=db, start=_day(since), end=_day(until), scenario=scenario)
    if timeline is None:
        fail("no incidents visible to you: nothing to replay (reassure ingest ...)")
        return
    head = (f"{label('rule_kind', str(timeline.kind)).upper()} · {timeline.start} → {timeline.end}, "
            f"evaluated every {timeline.step}; {'met' if timeline.initially_met else 'not met'} at the start; "
            f"fired {len(timeline.fired)}×, released {len(timeline.released)}×")
    if bundled:
        head += f"\n[cyan]{BUNDLED_NOTE}[/cyan]"
    console.print(Panel(head, title=f"backtest {rule.id} — {rule.name}"))
    keys = [key for key, _ in rule.leaves()]
    table = Table(title="Timeline: state changes (values of each condition's aggregate at that date)")
    for column in ("date", "change", *keys):
        table.add_column(column, justify="left" if column in ("date", "change") else "right")
    for event in timeline.events:
        style = "bold red" if event.change == "fired" else "green"
        table.add_row(str(event.at), f"[{style}]{event.change}[/]",
                      *("—" if event.values.get(k) is None else f"{event.values[k]:.4g}" for k in keys))
    console.print(table if timeline.events else "no state changes in this range")
    spans = "; ".join(f"{s.start} → {s.end or 'still met'}" for s in timeline.spans) or "never met"
    console.print(f"met spans: {spans}")

"""`reassure extract FILE`: read an air-attack report text and show the DESIGN §4 JSON or a table."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import typer
from rich.table import Table

from reassure.cli.context import console, fail
from reassure.core.bounds import day_problem
from reassure.monitoring.extraction import ReportTooLong, extract_report
from reassure.monitoring.report import COUNT_FIELDS, AirAttackReport, Count

_MARK = {"exact": "", "at_least": "≥", "approx": "~", "at_most": "≤"}


def format_count(count: Count | None) -> str:
    """Return a count as a short cell: "112", "≥100", "~40", "≤90", or "—" when unknown."""
    return "—" if count is None else f"{_MARK[count.qualifier]}{count.value}"


def report_table(report: AirAttackReport) -> Table:
    """Return a Rich table of the report's weapons."""
    sides = f"{report.attacker or '?'} → {report.defender or '?'}"
    title = f"{report.date or 'date not stated'} · {sides} · {report.reported_by or 'reporter not stated'}"
    table = Table(title=title)
    table.add_column("category")
    table.add_column("model")
    for name in COUNT_FIELDS:
        table.add_column(name, justify="right")
    for weapon in report.weapons:
        table.add_row(weapon.category, weapon.model or "—", *(format_count(weapon.count(n)) for n in COUNT_FIELDS))
    return table


def extract_command(
    file: Path = typer.Argument(..., help="text file with the report (UTF-8)"),
    json_out: bool = typer.Option(False, "--json", help="print the DESIGN §4 JSON instead of a table"),
    date: str | None = typer.Option(None, "--date", help="date to use when the text gives none (YYYY-MM-DD)"),
    reported_by: str | None = typer.Option(None, "--reported-by", help="who issued the report"),
) -> None:
    """Extract launched/destroyed/suppressed/neutralized/impacted counts from a report text."""
    try:
        text = file.read_text(encoding="utf-8")
    except FileNotFoundError:
        fail(f"{file}: no such file")
        return
    except (OSError, UnicodeDecodeError) as error:
        fail(f"{file}: cannot read it as UTF-8 text ({error})")
        return
    reference = None
    if date is not None:
        try:
            reference = dt.date.fromisoformat(date)
        except ValueError:
            fail(f"--date {date!r} is not a date like 2025-09-04")
            return
        if why := day_problem(reference):
            fail(f"--date: {why}")
            return
    try:
        report = extract_report(text, date=reference, reported_by=reported_by)
    except ReportTooLong as error:
        fail(f"{file}: {error}")
        return
    if json_out:
        typer.echo(report.to_json())
        return
    console.print(report_table(report))
    if not report.weapons:
        console.print("No weapon counts found in the text.")

"""Registry commands: import, export, pledges, sources, claims, scenarios."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.markup import escape
from rich.table import Table
from sqlalchemy.orm import Session

from reassure.cli.context import (
    JSON_OPTION,
    console,
    fail_input,
    plain,
    print_json,
    require_schema,
    run,
    session,
)
from reassure.cli.output import STANDING_STYLE
from reassure.core.text_files import InputFileError
from reassure.domains.pledges.service import list_pledges
from reassure.domains.scenarios.importing import ImportReport, import_document
from reassure.domains.scenarios.service import export_scenario, list_scenarios
from reassure.domains.sources.service import list_claims
from reassure.scenario_io.load import load_document
from reassure.scenario_io.save import write_document
from reassure.services.source_grades import checked_sources


def import_command(
    ctx: typer.Context,
    file: Path = typer.Argument(..., help="scenario YAML, or a CSV/XLSX pledge table"),
    scenario: str | None = typer.Option(None, help="scenario a pledge table belongs to"),
    dry_run: bool = typer.Option(False, "--dry-run", help="validate and show changes, write nothing"),
) -> None:
    """Import a scenario or facts file in one transaction: all of it, or nothing."""
    require_schema(ctx)
    try:
        document = load_document(file)

        def work(db: Session) -> ImportReport:
            report = import_document(document, db=db, origin=str(file), scenario_name=scenario)
            if dry_run:
                db.rollback()
            return report

        report = run(ctx, work)
    except InputFileError as error:
        fail_input(error)
        return
    print_report(report, dry_run=dry_run)


def print_report(report: ImportReport, *, dry_run: bool = False) -> None:
    """Show what an import created, updated, deleted and left alone."""
    table = Table(title=f"{'dry run: ' if dry_run else ''}import of {report.origin}")
    for column in ("entity", "created", "updated", "deleted", "unchanged"):
        table.add_column(column, justify="left" if column == "entity" else "right")
    for entity, counts in sorted(report.counts.items()):
        table.add_row(entity, *(str(counts[k]) for k in ("created", "updated", "deleted", "unchanged")))
    console.print(table)
    verb = "would change" if dry_run else "changed"
    console.print(f"{verb} {report.changes} record(s)" + (" (nothing written)" if dry_run else ""))


def export_command(
    ctx: typer.Context,
    file: Path = typer.Argument(..., help="output: .yaml for the whole scenario, .csv/.xlsx for its pledges"),
    scenario: str = typer.Option(..., help="scenario name"),
    bom: bool = typer.Option(False, "--bom", help="start a CSV with a byte-order mark (for Excel on Windows)"),
) -> None:
    """Export a scenario (only what is released to you) in the format import reads; in a CSV, a text a spreadsheet
    would evaluate starts with an apostrophe (import removes it), in an XLSX it is a text cell."""
    require_schema(ctx)
    with session(ctx) as db:
        document = export_scenario(scenario, db=db)  # NotFound (hidden or absent alike): exit 3
    write_document(document, file, bom=bom)
    console.print(f"wrote {file} ({len(document.get('pledges', []))} pledges)")


def pledges_command(
    ctx: typer.Context,
    scenario: str | None = typer.Option(None, help="only this scenario"),
    nation: str | None = typer.Option(None, help="only this nation (alpha-3)"),
    domain: str | None = typer.Option(None, help="land, sea, air or enabler"),
    as_json: bool = JSON_OPTION,
) -> None:
    """List pledges: nation, domain, capability, size, standing, grade, conditions."""
    require_schema(ctx)
    with session(ctx) as db:
        rows = list_pledges(db=db, scenario=scenario, nation=nation, domain=domain)
    if as_json:
        print_json(rows)
        return
    table = Table(title=f"Pledges ({len(rows)})",
                  caption="standing 'assumption' = planning input, not a report; a range plans on its best estimate "
                          "(else its midpoint), an undisclosed size on a prior: planning assumptions")
    for column in ("scenario", "pledge", "nation", "domain", "capability", "units", "personnel", "where",
                   "status", "p", "standing", "grade", "verification", "conditions", "caveats", "marking"):
        table.add_column(column, overflow="fold", no_wrap=column == "marking")  # a marking is read whole
    for p in rows:
        units = p.quantity if p.planned_basis in ("stated", "at_least") else \
            f"{p.quantity}, planned as {p.planned_units} (planning assumption)"
        table.add_row(*plain(p.scenario, p.key, p.nation, p.domain, p.capability, units),
                      str(p.planned_units * p.personnel_per_unit), ",".join(p.where), p.status, f"{p.probability:.2f}",
                      f"[{STANDING_STYLE.get(p.standing, '')}]{p.standing}[/]", p.grade or "—",
                      *plain(p.verification, ", ".join(p.conditions) or "—", "; ".join(p.caveats) or "—"), p.marking)
    console.print(table)


def sources_command(ctx: typer.Context, as_json: bool = JSON_OPTION) -> None:
    """List sources with their reliability and how many claims cite them."""
    require_schema(ctx)
    with session(ctx) as db:
        rows = checked_sources(db=db)
    if as_json:
        print_json(rows)
        return
    table = Table(title=f"Sources ({len(rows)})")
    for column in ("id", "publisher", "title", "published", "rel.", "claims", "locator", "marking", "grades"):
        table.add_column(column, overflow="fold")
    for s in rows:
        table.add_row(*plain(s.id, s.publisher, s.title), str(s.published or "—"), s.reliability, str(s.claims),
                      *plain(s.locator or "—"), s.marking,
                      f"[yellow]not independent[/yellow] ({escape(s.grade_flag)})" if s.grade_flag else "—")
    console.print(table)


def claims_command(
    ctx: typer.Context,
    standing: str | None = typer.Option(None, help="verified, unconfirmed or assumption"),
    topic: str | None = typer.Option(None, help="e.g. formal_commitments, no_ground_troops"),
    nation: str | None = typer.Option(None, help="alpha-3 code"),
    as_json: bool = JSON_OPTION,
) -> None:
    """List claims with standing, Admiralty grade and sources."""
    require_schema(ctx)
    with session(ctx) as db:
        rows = list_claims(db=db, standing=standing, topic=topic, nation=nation)
    if as_json:
        print_json(rows)
        return
    table = Table(title=f"Claims ({len(rows)})")
    for column in ("reported", "nation", "topic", "statement", "figure", "standing", "grade", "sources"):
        table.add_column(column, overflow="fold")
    for c in rows:
        figure = f"{c.quantity} {c.unit or ''}".strip() if c.quantity else "—"
        table.add_row(str(c.reported_on or "—"), c.nation or "all", *plain(c.topic, c.statement, figure),
                      f"[{STANDING_STYLE.get(c.standing, '')}]{c.standing}[/]", c.grade or "—",
                      *plain(", ".join(c.sources)))
    console.print(table)


def scenarios_command(ctx: typer.Context, as_json: bool = JSON_OPTION) -> None:
    """List scenarios."""
    require_schema(ctx)
    with session(ctx) as db:
        rows = list_scenarios(db=db)
    if as_json:
        print_json(rows)
        return
    table = Table(title="Scenarios")
    for column in ("name", "title", "standing", "horizon", "pledges", "tasks", "flags", "marking"):
        table.add_column(column, overflow="fold")
    for s in rows:
        flags = ", ".join(f"{k}={'on' if v else 'off'}" for k, v in s.flags.items())
        table.add_row(*plain(s.name, s.title), s.standing, f"{s.horizon_start} +{s.periods} {s.period}s",
                      str(s.pledges), str(s.tasks), *plain(flags), s.marking)
    console.print(table)

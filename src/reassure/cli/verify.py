"""`reassure verify add|list`: dated verifications of pledged capabilities (docs/adr/0042)."""

from __future__ import annotations

from datetime import datetime

import typer
from rich.table import Table

from reassure.cli.context import JSON_OPTION, console, fail_input, plain, print_json, require_schema, run, session
from reassure.core.errors import InputError
from reassure.core.labels import label
from reassure.domains.verifications.actions import add_verification
from reassure.domains.verifications.service import list_verifications

app = typer.Typer(help="Verify pledged capabilities (visits, readiness reports, exercises) and list the findings.",
                  no_args_is_help=True)


@app.command("add")
def add_command(
    ctx: typer.Context,
    scenario: str = typer.Argument(..., help="the scenario's name"),
    pledge: str = typer.Argument(..., help="the pledge's key (as `reassure pledges` lists it)"),
    on: datetime = typer.Option(..., "--on", formats=["%Y-%m-%d"], help="the day of the verification (YYYY-MM-DD)"),
    kind: str = typer.Option(..., "--kind", help="visit, readiness_report or exercise"),
    finding: str = typer.Option(..., "--finding", help="verified, shortfall (with --found) or not_verified"),
    source: str = typer.Option(..., "--source", help="who reported it (e.g. 'JFC Brunssum visit team')"),
    grade: str = typer.Option(..., "--grade", help="Admiralty grade of the report, e.g. B2"),
    found: int | None = typer.Option(None, "--found", help="units found ready (a shortfall)"),
    readiness: str | None = typer.Option(None, "--readiness", help="readiness confirmed: very_high, high, medium, low"),
    notice: int | None = typer.Option(None, "--notice", help="notice to move confirmed, in the scenario's periods"),
    notes: str = typer.Option("", "--notes", help="what was seen"),
    marking: str | None = typer.Option(None, "--marking", help="releasability (default: the pledge's; never wider)"),
    as_json: bool = JSON_OPTION,
) -> None:
    """Record a verification of a pledge (analysts; audited; the pledge's standing follows its newest one)."""
    require_schema(ctx)
    try:
        row = run(ctx, lambda db: add_verification(
            scenario, pledge, db=db, on_date=on.date(), kind=kind, finding=finding, source=source, grade=grade,
            found=found, readiness=readiness, notice=notice, notes=notes, marking=marking))
    except InputError as error:
        fail_input(error)
        return
    if as_json:
        print_json([row])
        return
    console.print(f"Recorded: pledge {row.pledge} {label('verification', row.finding)} on {row.on_date} "
                  f"({label('verification', row.kind)}, {row.grade}; {row.marking}).", highlight=False, markup=False)


@app.command("list")
def list_command(
    ctx: typer.Context,
    scenario: str = typer.Argument(..., help="the scenario's name"),
    pledge: str | None = typer.Option(None, "--pledge", help="only this pledge"),
    finding: str | None = typer.Option(None, "--finding", help="only this finding"),
    as_json: bool = JSON_OPTION,
) -> None:
    """List a scenario's verifications you may see, newest first."""
    require_schema(ctx)
    with session(ctx) as db:
        rows = list_verifications(scenario, db=db, pledge=pledge, finding=finding)
    if as_json:
        print_json(rows)
        return
    table = Table(title=f"Verifications ({len(rows)})")
    for column in ("date", "pledge", "kind", "finding", "readiness", "notice", "source", "grade", "by", "marking"):
        table.add_column(column, overflow="fold")
    for v in rows:
        finding_text = label("verification", v.finding) + (f": {v.found} found" if v.found is not None else "")
        table.add_row(str(v.on_date), *plain(v.pledge), label("verification", v.kind), finding_text,
                      label("verification", v.readiness) if v.readiness else "—",
                      "—" if v.notice is None else str(v.notice), *plain(v.source), v.grade,
                      *plain(f"{v.author} ({v.nation or '—'})"), v.marking)
    console.print(table)

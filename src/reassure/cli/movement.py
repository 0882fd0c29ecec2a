"""Freedom-of-movement commands: list the restrictions on the force's movement, and record one (analysts)."""

from __future__ import annotations

from datetime import datetime

import typer
from rich.table import Table

from reassure.cli.context import JSON_OPTION, console, fail, plain, print_json, require_schema, run, session
from reassure.core.labels import label
from reassure.core.markings import MarkingError, parse_marking
from reassure.core.regions import require_region
from reassure.domains.movement.actions import record_movement
from reassure.domains.movement.models import MOVEMENT_KINDS
from reassure.domains.movement.service import list_movements

app = typer.Typer(help="Restrictions on the force's freedom of movement: denied access, checkpoints, airspace "
                  "closures.", no_args_is_help=False)
WHEN = ["%Y-%m-%d", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]


@app.callback(invoke_without_command=True)
def movement_command(
    ctx: typer.Context,
    kind: str | None = typer.Option(None, help=f"one of {', '.join(MOVEMENT_KINDS)}"),
    region: str | None = typer.Option(None, help="region, e.g. 'Odesa Oblast' (any spelling) or UA-51"),
    since: datetime | None = typer.Option(None, formats=["%Y-%m-%d"], help="first day (YYYY-MM-DD)"),
    until: datetime | None = typer.Option(None, formats=["%Y-%m-%d"], help="last day (YYYY-MM-DD)"),
    as_json: bool = JSON_OPTION,
) -> None:
    """List the restrictions you may see, newest first, each with its source, grade and standing."""
    if ctx.invoked_subcommand is not None:
        return
    require_schema(ctx)
    if kind is not None and kind not in MOVEMENT_KINDS:
        fail(f"--kind must be one of {', '.join(MOVEMENT_KINDS)}, got {kind!r}")
    with session(ctx) as db:
        rows = list_movements(db=db, kind=kind, region=require_region(region), start=since.date() if since else None,
                              end=until.date() if until else None)
    if as_json:
        print_json(rows)
        return
    if not rows:
        console.print("no movement restriction is recorded that you may see")
        return
    table = Table(title="freedom of movement")
    for column in ("from", "until", "kind", "region", "tasks", "source", "grade", "standing", "marking"):
        table.add_column(column)
    for r in rows:
        table.add_row(*plain(f"{r.start:%Y-%m-%d %H:%M}", f"{r.end:%Y-%m-%d %H:%M}" if r.end else "in force",
                             label("movement_kind", r.kind), r.region_label, ", ".join(r.tasks) or "—", r.source,
                             r.grade, r.standing, r.marking))
    console.print(table)


@app.command("add")
def movement_add(
    ctx: typer.Context,
    kind: str = typer.Option(..., "--kind", help=f"one of {', '.join(MOVEMENT_KINDS)}"),
    start: datetime = typer.Option(..., "--from", formats=WHEN, help="when it began (YYYY-MM-DD[THH:MM])"),
    end: datetime | None = typer.Option(None, "--until", formats=WHEN, help="when it ended (omit: still in force)"),
    region: str = typer.Option(..., "--region", help="region in any spelling, or its ISO 3166-2:UA code"),
    source: str = typer.Option(..., "--source", help="source id (existing, or new with --publisher)"),
    grade: str = typer.Option(..., "--grade", help="Admiralty grade, e.g. B2"),
    marking: str = typer.Option(..., "--marking", help="PUBLIC or 'REL TO FRA, GBR'; your nation included"),
    publisher: str | None = typer.Option(None, "--publisher", help="publisher, to create a new source"),
    place: str = typer.Option("", "--place", help="where, as the source words it (a crossing, a road)"),
    description: str = typer.Option("", "--description", help="what happened"),
    scenario: str | None = typer.Option(None, "--scenario", help="the scenario whose tasks it affects"),
    tasks: list[str] = typer.Option([], "--task", help="a task it affects (repeat for several)"),
    as_json: bool = JSON_OPTION,
) -> None:
    """Record a restriction on the force's movement (analysts); audited, marked."""
    require_schema(ctx)
    try:
        rel_to = parse_marking(marking).to_column()
    except MarkingError as error:
        fail(str(error))
        return
    read = run(ctx, lambda db: record_movement(db=db, kind=kind, start=start, end=end, region=region, source=source,
                                               grade=grade, rel_to=rel_to, publisher=publisher, place=place,
                                               description=description, scenario=scenario, tasks=list(tasks)))
    if as_json:
        print_json([read])
        return
    console.print(*plain(f"recorded {label('movement_kind', read.kind)} in {read.region_label} from "
                         f"{read.start:%Y-%m-%d %H:%M} ({read.grade}, {read.standing}, {read.marking}): {read.id}"),
                  highlight=False)

"""`reassure sweep SWEEP.yaml` runs a scenario sweep on Dask and `reassure sweeps list|show` reads stored ones
(docs/sweeps.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from reassure.cli.context import JSON_OPTION, caller, console, plain, print_json, require_schema, session
from reassure.core.text_files import read_text
from reassure.domains.sweeps.schemas import SweepDetail
from reassure.domains.sweeps.service import get_sweep, list_sweeps
from reassure.services.sweep_files import read_sweep
from reassure.services.sweeps import DaskExecutor, run_sweep

app = typer.Typer(help="Stored scenario sweeps: list, show (only those released to you), by their ids (sweep_…).",
                  no_args_is_help=True)


def sweep_command(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="the sweep file, YAML or JSON (docs/sweeps.md)")],
    scheduler: Annotated[str | None, typer.Option(
        "--scheduler", help="a Dask scheduler's address, e.g. tcp://10.0.0.5:8786 (default: a local cluster)")] = None,
    workers: Annotated[int, typer.Option("--workers", min=1, max=64,
                                         help="worker processes of the local cluster (without --scheduler)")] = 2,
    as_json: bool = JSON_OPTION,
) -> None:
    """Run a scenario sweep: every variant solved as an independent task on Dask, stored as plans of the sweep, and
    compared side by side with the base (only what your nation reads goes into the problems)."""
    spec = read_sweep(read_text(file), str(file))  # a bad file: every problem by line and field, exit 2
    require_schema(ctx)
    who = caller(ctx)
    where = {"scheduler": scheduler or "local", **({} if scheduler else {"workers": workers})}
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  TextColumn("{task.fields[last]}"), console=console, transient=not console.is_terminal) as bar:
        job = bar.add_task(f"sweep {spec.name}", total=None, last="building the problems")

        def show(done: int, total: int, label: str) -> None:
            bar.update(job, completed=done, total=total, last=f"finished: {label}")

        detail = run_sweep(spec, read=who.read, write=who.write,
                           executor=DaskExecutor(scheduler=scheduler, workers=workers), where=where,
                           on_result=show, file=str(file))
    if as_json:
        print_json([detail])
        return
    show_sweep(detail)


def show_sweep(detail: SweepDetail) -> None:
    """Print a sweep's runs side by side: coverage, loss against the base, the first gap each opens, the asks."""
    table = Table(title=f"Sweep {detail.id} “{detail.name}” of {detail.scenario} ({detail.marking}) — computed "
                        "from planning assumptions", title_justify="left")
    for column in ("run", "coverage", "vs base", "gaps", "short", "opens first", "plan"):
        table.add_column(column, overflow="fold")
    for r in detail.runs:
        table.add_row(*plain(r.label), f"{r.coverage:.1%} (at most {r.bound:.1%})",
                      "—" if r.key == "base" else f"{-r.loss * 100:+.1f} pts",
                      str(r.gaps), f"{r.missing} unit-months", *plain(r.earliest or "—"), r.plan or "—")
    console.print(table)
    if any(r.loss < 0 for r in detail.runs) and detail.runs:
        console.print(f"A run above the base does not mean the change helps: the base's solve stopped short of its "
                      f"best ({detail.runs[0].bound:.1%} at most). Differences smaller than the distance from a run's "
                      "coverage to its 'at most' are within the solver's reach: give the runs more seconds.",
                      highlight=False, markup=False)
    for r in detail.runs:
        if r.asks:
            console.print(f"asks for {r.label}:", highlight=False, markup=False)
            for line in r.asks:
                console.print(f"  {line}", highlight=False, markup=False)
    notes = {r.asks_note for r in detail.runs if r.asks is None and r.asks_note}
    for note in sorted(notes):
        console.print(f"asks: {note}", highlight=False, markup=False)


@app.command("list")
def list_command(ctx: typer.Context, scenario: Annotated[str | None, typer.Option(help="only this scenario")] = None,
                 as_json: bool = JSON_OPTION) -> None:
    """List stored sweeps, newest first."""
    require_schema(ctx)
    with session(ctx) as db:
        rows = list_sweeps(db=db, scenario=scenario)
    if as_json:
        print_json(rows)
        return
    table = Table(title=f"Sweeps ({len(rows)})")
    for column in ("id", "name", "scenario", "runs", "base coverage", "worst", "author", "created", "marking"):
        table.add_column(column, overflow="fold")
    for s in rows:
        table.add_row(s.id, *plain(s.name, s.scenario), str(s.variants + 1),
                      "—" if s.base_coverage is None else f"{s.base_coverage:.1%}", *plain(s.worst or "—"),
                      s.author, f"{s.created_at:%Y-%m-%d %H:%M}", s.marking)
    console.print(table)


@app.command("show")
def show_command(ctx: typer.Context,
                 sweep_id: str = typer.Argument(..., metavar="SWEEP_ID", help="the sweep's id (sweep_…)"),
                 as_json: bool = JSON_OPTION) -> None:
    """Show a stored sweep's runs side by side."""
    require_schema(ctx)
    with session(ctx) as db:
        detail = get_sweep(sweep_id, db=db)
    if as_json:
        print_json([detail])
        return
    show_sweep(detail)

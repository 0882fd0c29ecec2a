"""Monitoring commands: ingest incident feeds and report texts, list incidents; indicators and rules are re-exported."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path

import typer
from rich.markup import escape
from rich.panel import Panel
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from sqlalchemy.orm import Session

from reassure.cli.context import (
    JSON_OPTION,
    console,
    err_console,
    fail,
    fail_input,
    print_json,
    require_schema,
    run,
    session,
)
from reassure.cli.monitor_rules import indicators_command, rules_app
from reassure.cli.output import STANDING_STYLE
from reassure.core.errors import InputError
from reassure.core.markings import MarkingError, parse_marking
from reassure.core.regions import require_region
from reassure.core.text_files import InputFileError
from reassure.domains.incidents import actions
from reassure.domains.incidents.models import INCIDENT_KINDS
from reassure.domains.incidents.schemas import IncidentDetail, IncidentRead
from reassure.domains.incidents.service import get_incident, list_incidents

__all__ = ["incidents_app", "incidents_command", "indicators_command", "ingest_app", "rules_app"]

ingest_app = typer.Typer(help="Ingest incidents: the Air Force attack CSV, UCDP GED events, report texts.",
                         no_args_is_help=True)
MAX_PROBLEMS_SHOWN = 50
MARKING_HELP = "releasability of what is written (required): PUBLIC or 'REL TO FRA, GBR'"


def _rel_to(marking: str | None) -> str:
    if marking is None:
        fail("--marking is required: PUBLIC or 'REL TO FRA, GBR' (nothing is public by default)")
    try:
        return parse_marking(marking).to_column()
    except MarkingError as error:
        fail(str(error))
        raise AssertionError("unreachable") from error


@contextmanager
def _progress(title: str) -> Iterator[Callable[[str, int, int], None]]:
    """Show a progress bar and yield the callback an import reports its stages to."""
    with Progress(TextColumn("{task.description}"), BarColumn(), TextColumn("{task.completed}/{task.total}"),
                  TimeElapsedColumn(), console=console, transient=False) as progress:
        task = progress.add_task(title, total=None)

        def report(stage: str, done: int, total: int) -> None:
            progress.update(task, description=f"{title}: {stage}", completed=done, total=max(total, 1))

        yield report


def _print_result(result: actions.ImportResult) -> None:
    s = result.summary
    table = Table(title=f"import of {s.origin} (source {s.source})")
    table.add_column("what")
    table.add_column("count", justify="right")
    for label, value in (("rows read", s.rows), ("rows rejected", s.bad_rows),
                         ("incidents created", s.incidents_created), ("reports created", s.reports_created),
                         ("…of them added to an incident another source reported", s.reports_attached),
                         ("reports revised (new revision)", s.reports_revised),
                         ("reports unchanged", s.reports_unchanged), ("weapon lines", s.weapon_lines)):
        table.add_row(label, f"{value:,}")
    console.print(table)
    for problem in result.problems[:MAX_PROBLEMS_SHOWN]:
        err_console.print(f"[yellow]skipped[/yellow] {problem}", highlight=False, soft_wrap=True)
    if len(result.problems) > MAX_PROBLEMS_SHOWN:
        err_console.print(f"… and {len(result.problems) - MAX_PROBLEMS_SHOWN} more rejected row(s)")
    if result.problems:
        err_console.print(f"{len(result.problems)} row(s) rejected; the other rows were imported "
                          "(use --strict to import nothing when any row is bad).")
    console.print(f"{s.changes} report(s) written" + ("" if s.changes else " (already up to date)"))


@ingest_app.command("air-attacks")
def ingest_air_attacks(
    ctx: typer.Context,
    file: Path = typer.Argument(..., help="missile_attacks_daily.csv (Massive Missile Attacks on Ukraine)"),
    weapons: Path | None = typer.Option(None, "--weapons", help="weapon reference table missiles_and_uavs.csv"),
    strict: bool = typer.Option(False, "--strict", help="write nothing if any row is bad"),
    marking: str | None = typer.Option(None, "--marking", help=MARKING_HELP),
    dry_run: bool = typer.Option(False, "--dry-run", help="check the file and show what it would write; write "
                                 "nothing (implies --strict)"),
) -> None:
    """Import the Air Force per-attack CSV: one incident per attack window, one weapon line per row."""
    def importer(db: Session, rel_to: str, on_progress: Callable[[str, int, int], None]) -> actions.ImportResult:
        result = actions.import_air_attacks(file, db=db, weapons=weapons, strict=strict or dry_run, rel_to=rel_to,
                                            on_progress=on_progress)
        if dry_run:
            db.rollback()
        return result

    _run_feed(ctx, "air attacks", marking, importer)
    if dry_run:
        console.print("dry run: nothing written", highlight=False)


@ingest_app.command("ucdp")
def ingest_ucdp(
    ctx: typer.Context,
    file: Path = typer.Argument(..., help="UCDP GED CSV (e.g. ucdp_ged_ukraine_2014_2023.csv)"),
    strict: bool = typer.Option(False, "--strict", help="write nothing if any row is bad"),
    marking: str | None = typer.Option(None, "--marking", help=MARKING_HELP),
) -> None:
    """Import UCDP GED events: one incident per event, graded from UCDP's precision and source codes."""
    _run_feed(ctx, "UCDP events", marking, lambda db, rel_to, on_progress: actions.import_ucdp(
        file, db=db, strict=strict, rel_to=rel_to, on_progress=on_progress))


def _run_feed(ctx: typer.Context, label: str, marking: str | None,
              importer: Callable[[Session, str, Callable[[str, int, int], None]], actions.ImportResult]) -> None:
    """Run one feed import in a single transaction with a progress bar; print the result or the errors."""
    require_schema(ctx)
    rel_to = _rel_to(marking)
    try:
        with _progress(label) as on_progress:
            result = run(ctx, lambda db: importer(db, rel_to, on_progress))
    except InputFileError as error:
        fail_input(error)
        return
    _print_result(result)
    if result.summary.changes:  # nothing new (a re-import of the same file): nothing to evaluate again
        _alerts(ctx)


def _alerts(ctx: typer.Context) -> None:
    """Evaluate the rules after an ingest as every nation with an alert channel, and send their state changes
    (jobs/alerts.py); the ingest is kept whatever happens here. Says only what concerns the user's nation."""
    from reassure.cli.context import identity, state
    from reassure.core.errors import ReassureError
    from reassure.jobs.alerts import after_ingest

    nation = identity(ctx).nation
    # The run acts for every nation with a channel; its log lines name their channels and errors, which are not this
    # user's to read: they stay out of this terminal (the delivery log keeps them for each nation's admins).
    quiet = logging.getLogger("reassure.alerts")
    was = quiet.disabled
    quiet.disabled = True
    try:
        with console.status("evaluating the rules after the ingest…"):
            result = after_ingest(state(ctx).settings)
    except ReassureError as error:
        err_console.print(f"the ingest is stored, but the rules were not evaluated after it: {error.message}",
                          highlight=False, markup=False)
        return
    finally:
        quiet.disabled = was
    if nation not in result.evaluated:
        return
    changes = result.changes[nation]
    console.print(f"rules evaluated and stored after the ingest: {len(changes)} state change(s) in {nation}'s view"
                  + (" (`reassure alerts changes`)" if changes else ""), highlight=False)


@ingest_app.command("report")
def ingest_report(
    ctx: typer.Context,
    file: Path = typer.Argument(..., help="report text (English or Ukrainian)"),
    source: str | None = typer.Option(None, "--source", help="source id (existing, or new with --publisher)"),
    publisher: str | None = typer.Option(None, "--publisher", help="publisher, to create a new source"),
    on_date: datetime | None = typer.Option(None, "--date", formats=["%Y-%m-%d"],
                                            help="attack date when the text gives none"),
    grade: str | None = typer.Option(None, "--grade", help="Admiralty grade, e.g. B2 (default: the source's "
                                     "reliability, credibility 3)"),
    reported_by: str | None = typer.Option(None, "--reported-by", help="who the text reports for"),
    marking: str | None = typer.Option(None, "--marking", help=MARKING_HELP),
) -> None:
    """Extract an air-attack report from a text and store it verbatim as one source's account of an incident."""
    require_schema(ctx)
    rel_to = _rel_to(marking)
    try:
        text = file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        fail(f"{file}: cannot read the text: {error}")
        return
    try:
        def work(db: Session) -> tuple[actions.ImportResult, list[IncidentDetail]]:
            result = actions.ingest_report(text, db=db, name=str(file), source_id=source, publisher=publisher,
                                           on_date=on_date.date() if on_date else None, grade=grade,
                                           reported_by=reported_by, rel_to=rel_to)
            return result, [get_incident(key, db=db) for key in dict.fromkeys(result.summary.incident_keys)]

        result, details = run(ctx, work)
    except InputFileError as error:
        fail_input(error)
        return
    _print_result(result)
    for detail in details:
        print_detail(detail, raw=False)
    if result.summary.changes:
        _alerts(ctx)


incidents_app = typer.Typer(help="List incidents, show one with every report side by side, relink a report, "
                            "review or comment on an incident.",
                            no_args_is_help=False)


@incidents_app.callback(invoke_without_command=True)
def incidents_command(
    ctx: typer.Context,
    kind: str | None = typer.Option(None, help="air_attack, ceasefire_violation or other"),
    since: datetime | None = typer.Option(None, formats=["%Y-%m-%d"], help="first day (YYYY-MM-DD)"),
    until: datetime | None = typer.Option(None, formats=["%Y-%m-%d"], help="last day (YYYY-MM-DD)"),
    region: str | None = typer.Option(None, help="region, e.g. 'Donetsk Oblast' (any spelling)"),
    limit: int = typer.Option(30, help="show at most this many, newest first (0 = all)"),
    key: str | None = typer.Option(None, "--key", help="show one incident with every report side by side"),
    raw: bool = typer.Option(False, "--raw", help="with --key: print each report's raw text"),
    as_json: bool = JSON_OPTION,
) -> None:
    """List incidents (newest first) with sources, grade and figures, or show one with all its reports."""
    if ctx.invoked_subcommand is not None:
        return
    require_schema(ctx)
    if kind is not None and kind not in INCIDENT_KINDS:
        fail(f"--kind must be one of {', '.join(INCIDENT_KINDS)}, got {kind!r}")
    with session(ctx) as db:
        if key:
            detail = get_incident(key, db=db)  # NotFound (hidden or absent alike): exit 3
            if as_json:
                print_json([detail])
            else:
                print_detail(detail, raw=raw)
            return
        rows = list_incidents(db=db, kind=kind, start=_day(since), end=_day(until),
                              region=require_region(region), limit=limit or None)
    if as_json:
        print_json(rows)
        return
    print_incidents(rows)


@incidents_app.command("relink")
def relink_command(
    ctx: typer.Context,
    report: str = typer.Argument(..., help="the report as SOURCE:REFERENCE (the `id` `reassure incidents --key KEY` "
                                 "shows, e.g. file-night:night.txt)"),
    to: str | None = typer.Option(None, "--to", help="the key of the incident the report is about"),
    new: bool = typer.Option(False, "--new", help="make a new incident of the report's own window"),
) -> None:
    """Correct which incident a report is about (analysts; audited); re-imports keep the correction."""
    require_schema(ctx)
    try:
        result = run(ctx, lambda db: actions.relink_report(report, db=db, to=to, new=new))
    except InputError as error:
        fail_input(error)
        return
    where = f"a new incident {result.after}" if result.created else f"incident {result.after}"
    if result.moved:
        console.print(f"Moved {result.moved} report(s) of {result.report} from {', '.join(result.before)} to {where}; "
                      "pinned there, so a re-import keeps it.", highlight=False, markup=False)
    else:
        console.print(f"{result.report} is already on {where}; pinned there.", highlight=False, markup=False)


@incidents_app.command("review")
def review_command(
    ctx: typer.Context,
    key: str = typer.Argument(..., help="the incident's key (as `reassure incidents` lists it)"),
    standing: str = typer.Option(..., "--standing", help="verified, unconfirmed or conflicting"),
    reason: str = typer.Option(..., "--reason", help="why (shown with the review)"),
    marking: str | None = typer.Option(None, "--marking", help=MARKING_HELP),
) -> None:
    """Record an analyst's standing of an incident with the reason (audited; shown beside the sources' standing)."""
    require_schema(ctx)
    rel_to = _rel_to(marking)
    try:
        review = run(ctx, lambda db: actions.review_incident(key, db=db, standing=standing, text=reason,
                                                             rel_to=rel_to))
    except InputError as error:
        fail_input(error)
        return
    console.print(f"Reviewed incident {key} as {review.standing} ({review.marking}).", highlight=False, markup=False)


@incidents_app.command("comment")
def comment_command(
    ctx: typer.Context,
    key: str = typer.Argument(..., help="the incident's key (as `reassure incidents` lists it)"),
    text: str = typer.Argument(..., help="the comment"),
    marking: str | None = typer.Option(None, "--marking", help=MARKING_HELP),
) -> None:
    """Comment on an incident (analysts; audited; shown on the incident with its author, nation and time)."""
    require_schema(ctx)
    rel_to = _rel_to(marking)
    try:
        review = run(ctx, lambda db: actions.review_incident(key, db=db, text=text, rel_to=rel_to))
    except InputError as error:
        fail_input(error)
        return
    console.print(f"Commented on incident {key} ({review.marking}).", highlight=False, markup=False)


def _day(value: datetime | None) -> date | None:
    return value.date() if value else None


def _n(value: int | None) -> str:
    return "—" if value is None else f"{value:,}"


def print_incidents(rows: list[IncidentRead]) -> None:
    """Print incidents as a table (the key names one in `reassure incidents --key KEY`)."""
    table = Table(title=f"Incidents ({len(rows)} shown, newest first)",
                  caption="figures from each incident's preferred report (best grade, then latest revision)")
    table.add_column("key / kind", overflow="fold", min_width=22, ratio=3)
    table.add_column("start", min_width=10, ratio=1)
    table.add_column("region", overflow="fold", ratio=1)
    for column in ("launched", "destroyed", "suppr.", "fatal."):
        table.add_column(column, justify="right", min_width=len(column))
    table.add_column("sources", overflow="fold", ratio=2)
    for r in rows:
        fmt = "%Y-%m-%d %H:%M" if r.timed else "%Y-%m-%d"
        table.add_row(f"{r.key}\n[dim]{r.kind}[/dim]", r.start.strftime(fmt), r.region or "—", _n(r.launched),
                      _n(r.destroyed), _n(r.suppressed), _n(r.fatalities),
                      f"{', '.join(r.sources)} · {r.grade or '—'} · "
                      f"[{STANDING_STYLE.get(r.standing, '')}]{r.standing}[/] · {r.marking}")
    console.print(table)


def print_detail(d: IncidentDetail, *, raw: bool) -> None:
    """Print one incident and its reports side by side; conflicting figures are shown, never merged."""
    where = d.region or (f"{d.latitude:.3f}, {d.longitude:.3f}" if d.latitude is not None and d.longitude is not None
                         else "—")
    console.print(Panel(f"{d.kind} · {d.start:%Y-%m-%d %H:%M} → {d.end:%Y-%m-%d %H:%M} · {escape(where)}\n"
                        f"{escape(d.description)}\nsides: {escape(d.attacker or '—')} / {escape(d.defender or '—')} · "
                        f"{d.reports} report(s) from {escape(', '.join(d.sources))} · "
                        f"[{STANDING_STYLE.get(d.standing, '')}]{d.standing}[/]: {escape(d.standing_reason)} · "
                        f"{d.marking}\n[dim]{escape(d.tolerance)}[/dim]",
                        title=f"incident {escape(d.key)}"))
    if d.figures:
        compared = Table(title="Figures two or more independent sources state")
        for column in ("figure", "verdict", "values"):
            compared.add_column(column, overflow="fold")
        for f in d.figures:
            compared.add_row(f.figure, f.verdict, ", ".join(f"{v.source} {v.shown}" for v in f.values))
        console.print(compared)
    heads = [f"{a.source} r{a.revision}{' *' if a.preferred else ''}" for a in d.accounts]
    reports = Table(title="Reports (* = preferred: best grade, then latest revision)")
    for column in ("report", "id (to relink)", "publisher", "grade", "standing", "window", "fatalities"):
        reports.add_column(column, overflow="fold")
    for head, a in zip(heads, d.accounts, strict=True):
        fatal = _n(a.fatalities_best) + (f" ({a.fatalities_low}–{a.fatalities_high})"
                                         if a.fatalities_low is not None else "")
        reports.add_row(head, a.id, a.publisher, a.grade or "—", a.standing,
                        f"{a.window_start:%Y-%m-%d %H:%M} → {a.window_end:%Y-%m-%d %H:%M}", fatal)
    console.print(reports)
    lines = sorted({(w.category, w.model or "") for a in d.accounts for w in a.weapons})
    if lines:
        figures = Table(title="Figures side by side (≥ at least, ~ about, ≤ at most)")
        figures.add_column("weapon")
        figures.add_column("count")
        for head in heads:
            figures.add_column(head, justify="right")
        for category, model in lines:
            for field in ("launched", "destroyed", "suppressed", "neutralized", "impacted"):
                cells = []
                for a in d.accounts:
                    found = [getattr(w, field) for w in a.weapons if (w.category, w.model or "") == (category, model)]
                    cells.append(" + ".join(str(f) for f in found if f is not None) or "·")
                if any(c != "·" for c in cells):
                    figures.add_row(f"{category} {model}".strip(), field, *cells)
        console.print(figures)
    for r in d.reviews:
        said = f"reviewed as {r.standing}: " if r.standing else "comment: "
        console.print(f"{r.at:%Y-%m-%d %H:%M} UTC {r.author} ({r.nation or 'nation not recorded'}) {said}{r.text} "
                      f"· {r.marking}", highlight=False, markup=False)
    if raw:
        for head, a in zip(heads, d.accounts, strict=True):
            console.print(Panel(a.raw_text, title=f"raw text: {head}"), highlight=False)

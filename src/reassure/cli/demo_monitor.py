"""The monitoring part of `reassure demo`: incidents on real data when it is at hand, else the bundled facts."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from rich.markup import escape
from rich.progress import BarColumn, Progress, TaskID, TextColumn, TimeElapsedColumn
from rich.table import Table
from sqlalchemy.orm import Session

from reassure.cli.context import console, plain
from reassure.cli.monitor_rules import STATE_SHOWN, render_indicators
from reassure.core.markings import PUBLIC
from reassure.domains.incidents import actions
from reassure.services.briefing import launches_takeaway

if TYPE_CHECKING:
    from reassure.services.situation import SituationPicture

AIR_ATTACKS = ("ua-air-attacks", "missile_attacks_daily.csv")
WEAPONS = ("ua-air-attacks", "missiles_and_uavs.csv")
UCDP = ("ucdp-ged-ukraine", "ucdp_ged_ukraine_2014_2023.csv")


def find_data(explicit: Path | None) -> Path | None:
    """Return the public data folder: the one given, else ../shared/data beside the current folder."""
    if explicit is not None:
        return explicit
    for candidate in (Path.cwd().parent / "shared" / "data", Path.cwd() / "shared" / "data"):
        if (candidate / AIR_ATTACKS[0]).is_dir():
            return candidate
    return None


def ingest_demo_incidents(data: Path | None, *, db: Session) -> str:
    """Ingest the seed-attack accounts, and the real feeds when a data folder is given; say what was used."""
    actions.load_bundled_accounts(db=db)
    if data is None:
        return "bundled facts only (no public data folder found; pass --data DIR)"
    feeds = [(AIR_ATTACKS, "air attacks"), (UCDP, "UCDP events")]
    with Progress(TextColumn("{task.description}"), BarColumn(), TextColumn("{task.completed}/{task.total} rows"),
                  TimeElapsedColumn(), console=console) as progress:
        for parts, label in feeds:
            path = data.joinpath(*parts)
            if not path.is_file():
                continue
            task = progress.add_task(f"ingest {label}", total=None)

            def advance(_stage: str, done: int, total: int, task: TaskID = task) -> None:
                progress.update(task, completed=done, total=total)

            if parts is AIR_ATTACKS:
                weapons = data.joinpath(*WEAPONS)
                actions.import_air_attacks(path, db=db, rel_to=PUBLIC, weapons=weapons if weapons.is_file() else None,
                                           on_progress=advance)
            else:
                actions.import_ucdp(path, db=db, rel_to=PUBLIC, on_progress=advance)
    return f"public data from {data}"


def print_monitoring(origin: str, picture: SituationPicture) -> None:
    """Print the attack the brief would show (chosen as services/situation.choose_attacks does) with its accounts,
    recent indicators, and the rules' states."""
    console.rule("[bold]Security situation[/bold]")
    console.print(f"data: {origin}", highlight=False)
    if picture.attack_choice:
        console.print(f"accounts side by side of {picture.attack_choice}", highlight=False, markup=False)
    for detail in picture.attacks:
        table = Table(title=f"Attack {escape(detail.key)}: "
                            f"{'corroborated by' if detail.corroborated else 'one source of'} "
                            f"{len(detail.sources)} sources, figures side by side")
        for column in ("source", "grade", "standing", "weapon", "launched", "destroyed", "suppressed",
                       "neutralized", "preferred"):
            table.add_column(column)
        for report in detail.accounts:
            for w in report.weapons:
                table.add_row(*plain(report.source), report.grade or "—", report.standing,
                              *plain(w.model or w.category),
                              *(str(f) if f else "—" for f in (w.launched, w.destroyed, w.suppressed, w.neutralized)),
                              "yes" if report.preferred else "")
        console.print(table)
    if picture.indicators:
        console.print(render_indicators(picture.indicators, picture.every))
        if (launches := launches_takeaway(picture)) is not None:
            console.print(launches, highlight=False)
    else:
        console.print("indicators: no incidents visible to you, so no data (not a quiet period)")
    rules = Table(title="Exit conditions and triggers (bundled rules are planning assumptions, not agreed policy)")
    for column in ("rule", "kind", "state", "as of", "action"):
        rules.add_column(column, overflow="fold")
    for state in picture.rules:
        shown = STATE_SHOWN[state.state]
        unknown = [f"{c.key}: unknown" for c in state.evaluation.conditions if c.state == "unknown"]
        if unknown:
            shown += "\n[dim]" + escape("; ".join(unknown)) + "[/dim]"
        rules.add_row(f"{escape(state.rule_id)}\n[dim]{escape(state.rule_name)}[/dim]", state.kind, shown,
                      str(state.as_of), escape(state.action))
    console.print(rules)
    if picture.staleness is not None and picture.staleness.stale:
        console.print(f"[yellow]{escape(picture.staleness.describe())}[/yellow]", highlight=False)
    console.print("what the data covers: " + "; ".join(escape(c.describe()) for c in picture.coverage),
                  highlight=False)


def situation_for_demo(*, db: Session, stale_after_days: int = 14) -> SituationPicture:
    """Return the demo's picture over six months, with the attack the brief would show: the newest attack night the
    reader sees accounts of from two or more sources (services/situation.choose_attacks), not a fixed night."""
    from reassure.services.situation import situation_picture  # polars and the rules load only when needed

    return situation_picture(db=db, choose=True, every="month", last=6, stale_after_days=stale_after_days)

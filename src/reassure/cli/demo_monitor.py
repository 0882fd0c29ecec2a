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
from reassure.core.labels import label
from reassure.services.briefing import launches_takeaway
from reassure.services.demo import RowProgress, ingest_demo_incidents

if TYPE_CHECKING:
    from reassure.services.situation import SituationPicture

def ingest_with_progress(data: Path | None, *, db: Session) -> str:
    """Ingest the demo's incidents (services/demo.py), with a bar per real feed; return what was used."""
    if data is None:
        return ingest_demo_incidents(None, db=db)
    with Progress(TextColumn("{task.description}"), BarColumn(), TextColumn("{task.completed}/{task.total} rows"),
                  TimeElapsedColumn(), console=console) as progress:

        def on_feed(label: str) -> RowProgress:
            task = progress.add_task(f"ingest {label}", total=None)

            def advance(_stage: str, done: int, total: int, task: TaskID = task) -> None:
                progress.update(task, completed=done, total=total)

            return advance

        return ingest_demo_incidents(data, db=db, on_feed=on_feed)


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
        unknown = [f"{c.words}: unknown" for c in state.evaluation.conditions if c.state == "unknown"]
        if unknown:
            shown += "\n[dim]" + escape("; ".join(unknown)) + "[/dim]"
        rules.add_row(f"{escape(state.rule_id)}\n[dim]{escape(state.rule_name)}[/dim]",
                      label("rule_kind", state.kind), shown,
                      str(state.as_of), escape(state.action))
    console.print(rules)
    if picture.staleness is not None and picture.staleness.stale:
        console.print(f"[yellow]{escape(picture.staleness.describe())}[/yellow]", highlight=False)
    console.print("what the data covers: " + "; ".join(escape(c.describe()) for c in picture.coverage),
                  highlight=False)

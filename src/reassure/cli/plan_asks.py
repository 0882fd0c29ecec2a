"""How `reassure plan asks` runs and prints: progress while it asks and re-solves, then the asks in words, a table."""

from __future__ import annotations

from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from reassure.cli.context import console
from reassure.core.labels import capability_label
from reassure.core.nations import nation_label
from reassure.planner.analysis.ask_text import ask_lines
from reassure.planner.analysis.asks import AskProgress, FairShares
from reassure.planner.instance import Asks, Plan, Problem
from reassure.planner.period_labels import period_label, span_label


def solve_asks(problem: Problem, target: float, fair_shares: str, rounds: int, seconds: float,
               seed: int) -> tuple[Plan, Asks]:
    """Solve the base plan and ask, with a Rich progress bar over the rounds."""
    from reassure.services.asks import asks_for

    mode: FairShares = "strict" if fair_shares == "strict" else "prefer" if fair_shares == "prefer" else "ignore"
    with Progress(TextColumn("{task.description}"), BarColumn(), TimeElapsedColumn(), console=console,
                  transient=True) as bar:
        job = bar.add_task("solving the plan as pledged", total=1.0)

        def show(event: AskProgress) -> None:
            what = {"base": "solved the plan as pledged", "select": "choosing units to ask for",
                    "verify": "re-solved with the asked units", "done": "done"}.get(event.stage, event.stage)
            bar.update(job, completed=event.share,
                       description=f"round {event.round}: {what}, coverage {event.coverage:.1%}")

        return asks_for(problem, target, fair_shares=mode, seconds=seconds, rounds=rounds, seed=seed, callback=show)


def print_asks(problem: Problem, base: Plan, report: Asks) -> None:
    """Print the asks in words, then one row per ask (computed from planning assumptions)."""
    console.rule("[bold]Force-generation asks[/bold] — [cyan]computed from planning assumptions[/cyan]")
    for line in ask_lines(report, problem.horizon):
        console.print(line, highlight=False, markup=False)
    table = Table(title=f"Asks ({report.units_asked} units, fair shares: {report.fair_shares})")
    for column in ("capability", "nation", "units", "from", "personnel each", "pledged / fair share", "closes",
                   "adds"):
        table.add_column(column, overflow="fold")
    for a in report.asks:
        above = " (asks take it above)" if a.above_fair_share else ""
        share = "—" if a.fair_share is None else f"{a.pledged_share or 0:.1%} / {a.fair_share:.1%}{above}"
        closes = "; ".join(f"{s.task} {span_label(problem.horizon, s.periods[0], s.periods[-1])}" for s in a.closes)
        table.add_row(capability_label(a.capability), nation_label(a.nation), str(a.count),
                      period_label(problem.horizon, a.start), str(a.personnel), share, closes or "—",
                      f"{a.adds:.1%}")
    console.print(table)
    console.print(f"plan as pledged: {base.coverage:.1%} (bound {base.bound:.1%}); re-solved with the asked units: "
                  f"{report.coverage:.1%} (bound {report.bound:.1%}) after {report.rounds} round(s), "
                  f"{report.seconds:.1f} s.", highlight=False)

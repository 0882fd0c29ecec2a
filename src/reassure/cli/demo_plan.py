"""The planning part of `reassure demo`: can the pledges sustain the force, where are the gaps, and without the US?"""

from __future__ import annotations

from rich.progress import BarColumn, Progress, TaskID, TextColumn, TimeElapsedColumn
from rich.table import Table

from reassure.cli.context import console
from reassure.planner.baseline import greedy_plan
from reassure.planner.instance import Gap, Plan, Problem
from reassure.planner.robustness import robustness
from reassure.planner.solve import Progress as SolveProgress
from reassure.planner.solve import solve
from reassure.planner.sustainability import burden_shares, required_pools
from reassure.planner.whatif import FlagChange, WhatIf, replan

ASSUMED = "[cyan]computed from planning assumptions[/cyan]"


def plan_demo(problem: Problem, *, seconds: float, seed: int = 1) -> None:
    """Solve the scenario, print coverage, gaps and burden, then replan without the US backstop."""
    console.rule("[bold]Rotation plan[/bold] — " + ASSUMED)
    with _progress() as (progress, task):
        def show(event: SolveProgress) -> None:
            progress.update(task, completed=min(event.seconds, event.time_limit), total=event.time_limit,
                            description=f"solving: coverage {event.coverage:.1%}, bound {event.bound:.1%}")

        plan = solve(problem, time_limit=seconds, seed=seed, callback=show)
        progress.update(task, completed=seconds, description="solved")
    greedy = greedy_plan(problem)
    print_plan(plan, greedy)
    print_pools(problem)
    print_gaps(plan.gaps)
    print_burden(problem, plan)
    with _progress() as (progress, task):
        progress.update(task, total=seconds, description="re-planning without the US backstop")
        result = replan(problem, plan, [FlagChange(flag="us_backstop", value=False)], time_limit=seconds,
                        seed=seed, callback=lambda e: progress.update(task, completed=min(e.seconds, seconds)))
    print_whatif(plan, result)
    print_robustness(problem, plan)


class _progress:
    """A one-bar Rich progress display for a solver run."""

    def __enter__(self) -> tuple[Progress, TaskID]:
        self.progress = Progress(TextColumn("{task.description}"), BarColumn(), TimeElapsedColumn(), console=console)
        self.progress.__enter__()
        return self.progress, self.progress.add_task("solving", total=1.0)

    def __exit__(self, *exc: object) -> None:
        self.progress.__exit__(None, None, None)


def print_plan(plan: Plan, greedy: Plan) -> None:
    """Compare the optimised plan with the greedy baseline a staff officer would draw up."""
    table = Table(title="Can the pledges sustain the required force? (36 months)")
    for column in ("plan", "status", "coverage", "proven bound", "tours", "gaps", "seconds"):
        table.add_column(column, justify="left" if column in ("plan", "status") else "right")
    table.add_row("optimised (CP-SAT)", plan.status, f"{plan.coverage:.1%}", f"{plan.bound:.1%}",
                  str(plan.tours_count), str(len(plan.gaps)), f"{plan.solve_seconds:.1f}")
    table.add_row("greedy baseline", greedy.status, f"{greedy.coverage:.1%}", "—", str(greedy.tours_count),
                  str(len(greedy.gaps)), f"{greedy.solve_seconds:.1f}")
    console.print(table)
    console.print("coverage = priority-weighted share of demanded unit-months filled; the proven bound is the "
                  "most any plan could reach with these pledges.")


def print_pools(problem: Problem) -> None:
    """Show tasks whose pledged pool is too small to sustain their peak demand at the rotation multiplier."""
    short = [p for p in required_pools(problem) if p.shortfall]
    table = Table(title=f"Rotation pools too small to sustain demand ({len(short)} tasks)")
    for column in ("task", "capability", "peak demand", "multiplier", "pool needed", "pool pledged", "short"):
        table.add_column(column, justify="left" if column in ("task", "capability") else "right")
    for p in sorted(short, key=lambda p: -(p.shortfall or 0)):
        table.add_row(p.task, p.capability, str(p.peak_demand), f"{p.multiplier:.1f}" if p.multiplier else "—",
                      str(p.required_pool), str(p.available_pool), str(p.shortfall))
    console.print(table)


def print_gaps(gaps: list[Gap], limit: int = 8) -> None:
    """Print the largest gaps with the reason the rules give."""
    worst = sorted(gaps, key=lambda g: -(g.missing * len(g.periods)))[:limit]
    table = Table(title=f"Largest gaps and why ({len(worst)} of {len(gaps)})")
    table.add_column("task")
    table.add_column("short", justify="right")
    table.add_column("reason", overflow="fold")
    for gap in worst:
        table.add_row(gap.task, f"{gap.missing} × {len(gap.periods)} mo", gap.reason)
    console.print(table)


def print_burden(problem: Problem, plan: Plan, limit: int = 10) -> None:
    """Print the nations carrying most of the force, against their GDP-based fair share."""
    shares = sorted(burden_shares(problem, plan.tours), key=lambda b: -b.share)[:limit]
    table = Table(title="Burden: share of deployed personnel-months vs GDP-based fair share (top 10)")
    for column in ("nation", "personnel-months", "share", "fair share", "difference"):
        table.add_column(column, justify="left" if column == "nation" else "right")
    for b in shares:
        fair = "—" if b.fair_share is None else f"{b.fair_share:.1%}"
        delta = "—" if b.delta is None else f"{b.delta:+.1%}"
        table.add_row(b.nation, f"{b.personnel_periods:,}", f"{b.share:.1%}", fair, delta)
    console.print(table)


def print_whatif(base: Plan, result: WhatIf) -> None:
    """Print coverage and tours side by side, with and without the US backstop, and the gaps it opens."""
    c = result.comparison
    table = Table(title="What if the US backstop is absent? (units conditional on it drop out)")
    for column in ("", "coverage", "gaps", "unit-months short", "tours"):
        table.add_column(column, justify="left" if not column else "right")
    table.add_row("with US backstop", f"{c.base_coverage:.1%}", str(c.base_gaps), str(c.base_missing),
                  str(c.base_tours))
    table.add_row("without", f"{c.new_coverage:.1%}", str(c.new_gaps), str(c.new_missing), str(c.new_tours))
    console.print(table)
    console.print(f"re-plan keeps {c.kept} tours, changes {c.changed}, adds {c.added}, removes {c.removed}.")
    before = {(g.task, t) for g in base.gaps for t in g.periods}
    opened: dict[str, list[Gap]] = {}
    for gap in result.plan.gaps:
        if any((gap.task, t) not in before for t in gap.periods):
            opened.setdefault(gap.task, []).append(gap)
    if not opened:
        return
    table = Table(title="Where the force falls short without the US backstop (new or wider gaps)")
    table.add_column("task")
    table.add_column("unit-months short", justify="right")
    table.add_column("main reason (first gap)", overflow="fold")
    for task, gaps in sorted(opened.items(), key=lambda kv: -sum(g.missing * len(g.periods) for g in kv[1])):
        reason = gaps[0].reason.split(": ", 1)[-1]
        table.add_row(task, str(sum(g.missing * len(g.periods) for g in gaps)),
                      reason if len(reason) < 300 else reason[:297] + "…")
    console.print(table)


def print_robustness(problem: Problem, plan: Plan) -> None:
    """Print the coverage distribution when each pledged unit may fail to materialise."""
    report = robustness(problem, plan.tours, samples=10_000, seed=1, top=5)
    console.print(f"Robustness (10,000 samples, each unit fails with 1 − its assumed probability): mean coverage "
                  f"{report.mean:.1%}, 5th percentile {report.p5:.1%} (plan as drawn {report.plan_coverage:.1%}).")
    console.print("units whose loss hurts most: " + ", ".join(
        f"{u.unit} (p={u.probability:.2f}, −{u.drop_if_lost:.1%})" for u in report.critical))

"""The planning part of `reassure demo`: can the pledges sustain the force, where are the gaps, and without the US?"""

from __future__ import annotations

from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from reassure.cli.context import console
from reassure.cli.plan_asks import print_asks
from reassure.core.labels import capability_label
from reassure.planner.analysis.asks import AskProgress
from reassure.planner.analysis.robustness import in_words
from reassure.planner.distance import distance_words
from reassure.planner.instance import Asks, Gap, Plan, Problem
from reassure.planner.solver.solve import Progress as SolveProgress
from reassure.services.demo import demo_asks
from reassure.services.planning import PlanReview, WhatIfPicture, solve_and_review

ASSUMED = "[cyan]computed from planning assumptions[/cyan]"


def plan_demo(problem: Problem, *, marking: str, seconds: float, seed: int = 1) -> PlanReview:
    """Solve the scenario and re-plan it without the US backstop (with progress), then print the picture."""
    console.rule("[bold]Rotation plan[/bold] — " + ASSUMED)
    with Progress(TextColumn("{task.description}"), BarColumn(), TimeElapsedColumn(), console=console) as progress:
        solving = progress.add_task("solving", total=seconds)
        replanning = progress.add_task("re-planning without the US backstop", total=seconds, start=False)

        def on_solve(event: SolveProgress) -> None:
            progress.update(solving, completed=min(event.seconds, event.time_limit), total=event.time_limit,
                            description=f"solving: coverage {event.coverage:.1%}, bound {event.bound:.1%}")

        def on_whatif(event: SolveProgress) -> None:
            progress.start_task(replanning)
            progress.update(solving, completed=seconds, description="solved")
            progress.update(replanning, completed=min(event.seconds, seconds))

        picture = solve_and_review(problem, marking=marking, seconds=seconds, seed=seed, on_solve=on_solve,
                                   on_whatif=on_whatif)
        progress.update(solving, completed=seconds, description="solved")
        progress.update(replanning, completed=seconds, description="re-planned without the US backstop")
    print_picture(picture)
    return picture


def print_picture(picture: PlanReview) -> None:
    """Print the planning picture: plan against baseline, short pools, gaps, burden, what-if, robustness."""
    print_plan(picture.plan, picture.greedy)
    print_pools(picture)
    print_gaps(picture.worst_gaps, len(picture.plan.gaps))
    print_burden(picture)
    if picture.whatif is not None:
        print_whatif(picture.whatif, picture.plan)
    print_robustness(picture)


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
                  "most any plan could reach with these pledges: the plan is "
                  f"{distance_words(plan.coverage, plan.bound)}.", highlight=False)


def print_pools(picture: PlanReview) -> None:
    """Show tasks whose pledged pool is too small to sustain their peak demand at the rotation multiplier."""
    short = picture.short_pools
    table = Table(title=f"Rotation pools too small to sustain demand ({len(short)} tasks)")
    for column in ("task", "capability", "peak demand", "multiplier", "pool needed", "pool pledged", "short"):
        table.add_column(column, justify="left" if column in ("task", "capability") else "right")
    for p in short:
        table.add_row(p.task, capability_label(p.capability), str(p.peak_demand),
                      f"{p.multiplier:.1f}" if p.multiplier else "—",
                      str(p.required_pool), str(p.available_pool), str(p.shortfall))
    console.print(table)


def print_gaps(worst: tuple[Gap, ...], total: int) -> None:
    """Print the largest gaps with the reason the rules give."""
    table = Table(title=f"Largest gaps and why ({len(worst)} of {total})")
    table.add_column("task")
    table.add_column("short", justify="right")
    table.add_column("reason", overflow="fold")
    for gap in worst:
        table.add_row(gap.task, f"{gap.missing} × {len(gap.periods)} mo", gap.reason)
    console.print(table)


def print_burden(picture: PlanReview) -> None:
    """Print the nations carrying most of the force, against their GDP-based fair share."""
    table = Table(title="Burden: share of deployed personnel-months vs GDP-based fair share "
                        f"(top {len(picture.burden)})")
    for column in ("nation", "personnel-months", "share", "fair share", "difference"):
        table.add_column(column, justify="left" if column == "nation" else "right")
    for b in picture.burden:
        fair = "—" if b.fair_share is None else f"{b.fair_share:.1%}"
        delta = "—" if b.delta is None else f"{b.delta:+.1%}"
        table.add_row(b.nation, f"{b.personnel_periods:,}", f"{b.share:.1%}", fair, delta)
    console.print(table)


def print_whatif(whatif: WhatIfPicture, base: Plan) -> None:
    """Print coverage, bound and tours side by side, with and without the US backstop, and the gaps it opens."""
    c = whatif.comparison
    table = Table(title="What if the US backstop is absent? (units conditional on it drop out)")
    for column in ("", "coverage", "proven bound", "gaps", "unit-months short", "tours"):
        table.add_column(column, justify="left" if not column else "right")
    table.add_row("with US backstop", f"{c.base_coverage:.1%}", f"{base.bound:.1%}", str(c.base_gaps),
                  str(c.base_missing), str(c.base_tours))
    table.add_row("without", f"{c.new_coverage:.1%}", f"{whatif.plan.bound:.1%}", str(c.new_gaps),
                  str(c.new_missing), str(c.new_tours))
    console.print(table)
    console.print(f"without the US backstop the re-plan is {distance_words(whatif.plan.coverage, whatif.plan.bound)}.",
                  highlight=False)
    console.print(f"re-plan keeps {c.kept} tours, changes {c.changed}, adds {c.added}, removes {c.removed}.")
    if not whatif.opened:
        return
    table = Table(title="Where the force falls short without the US backstop (new or wider gaps)")
    table.add_column("task")
    table.add_column("unit-months short", justify="right")
    table.add_column("main reason (first gap)", overflow="fold")
    for opened in whatif.opened:
        reason = opened.reason
        table.add_row(opened.task, str(opened.unit_months), reason if len(reason) < 300 else reason[:297] + "…")
    console.print(table)


def print_robustness(picture: PlanReview) -> None:
    """Print the coverage distribution when each pledged unit may fail to materialise."""
    report = picture.robustness
    if report is None:
        return
    console.print(f"Robustness ({report.samples:,} samples, each unit fails with 1 − its assumed probability, "
                  f"ranges and undisclosed sizes drawn, whole nations withdrawn): mean "
                  f"coverage {report.mean:.1%}, 5th percentile {report.p5:.1%} (plan as drawn "
                  f"{report.plan_coverage:.1%}).")
    for sentence in in_words(report)[1:]:
        console.print(sentence, highlight=False, markup=False)
    console.print("units whose loss hurts most: " + ", ".join(
        f"{u.unit} (p={u.probability:.2f}, −{u.drop_if_lost:.1%})" for u in report.critical))


def ask_demo(whatif: WhatIfPicture, target: float, seconds: float) -> Asks:
    """Ask for the units that would restore the no-backstop re-plan to the plan's coverage with the backstop (with
    progress), print them and return them (verified by re-solving; computed from planning assumptions)."""
    with Progress(TextColumn("{task.description}"), BarColumn(), TimeElapsedColumn(), console=console) as progress:
        job = progress.add_task("asking for the units that would restore the backstop's coverage", total=1.0)

        def show(event: AskProgress) -> None:
            progress.update(job, completed=event.share,
                            description=f"force-generation asks, round {event.round}: coverage {event.coverage:.1%}")

        asks = demo_asks(whatif, target, seconds=seconds, callback=show)
        progress.update(job, completed=1.0, description="force-generation asks verified by re-solving")
    print_asks(whatif.problem, whatif.plan, asks)
    return asks

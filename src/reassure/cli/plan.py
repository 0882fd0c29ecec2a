"""`reassure plan …`: solve, validate, baseline, what-if and robustness on planner JSON files."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from reassure.cli.context import console
from reassure.cli.plan_render import load_json, plan_error, show_comparison, show_opened, show_plan, write_plan
from reassure.planner.analysis.robustness import robustness as run_robustness
from reassure.planner.analysis.whatif import Change, parse_flag, parse_surge, parse_verified_only, parse_withdraw
from reassure.planner.hard_rules.validate import validate as run_validate
from reassure.planner.instance import Plan, Problem
from reassure.planner.solver.baseline import greedy_plan
from reassure.planner.solver.solve import Progress as SolveProgress
from reassure.planner.solver.solve import solve as run_solve

app = typer.Typer(help="Plan rotations: solve, validate, compare with the greedy baseline, what-if, robustness.")

TimeLimit = Annotated[float, typer.Option("--time-limit", min=0.1, help="Solver time limit in seconds.")]
Seed = Annotated[int, typer.Option("--seed", help="Random seed (solver and sampling).")]
Workers = Annotated[
    int | None,
    typer.Option(
        "--workers",
        min=1,
        help="Solver workers: CP-SAT threads, and parts of a large problem planned side by side (default: CPU count).",
    ),
]
Out = Annotated[Path | None, typer.Option("--out", help="Write the plan JSON here.")]


def _solve_with_progress(problem: Problem, time_limit: float, seed: int, workers: int | None) -> Plan:
    """Solve with a Rich progress bar driven by the solver's progress callback."""
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TimeElapsedColumn(),
        TextColumn("{task.fields[info]}"),
        console=console,
        transient=True,
    ) as bar:
        job = bar.add_task("solving", total=time_limit, info="")

        def show(p: SolveProgress) -> None:
            info = f"part {p.part + 1}/{p.parts} {p.stage}  coverage {p.coverage:.1%}  bound {p.bound:.1%}"
            bar.update(job, completed=min(p.seconds, time_limit), info=info)

        return run_solve(problem, time_limit=time_limit, seed=seed, workers=workers, callback=show)


@app.command()
def solve(
    ctx: typer.Context,
    problem: Annotated[Path | None, typer.Argument(help="Problem JSON (DESIGN §3); or give --scenario.")] = None,
    scenario: Annotated[str | None, typer.Option("--scenario", help="Solve this stored scenario's problem.")] = None,
    store: Annotated[bool, typer.Option("--store", help="Keep the plan in the database (with --scenario).")] = False,
    label: Annotated[str, typer.Option("--label", help="A name for the stored plan.")] = "",
    time_limit: TimeLimit = 10.0,
    seed: Seed = 0,
    workers: Workers = None,
    out: Out = None,
) -> None:
    """Solve a problem with CP-SAT and print coverage, bound and gaps with reasons; --store keeps it."""
    if (problem is None) == (scenario is None):
        raise plan_error("give a problem JSON file or --scenario NAME (one of them)")
    if store and scenario is None:
        raise plan_error("--store needs --scenario: a stored plan keeps the scenario it was built from")
    if scenario is not None:
        from reassure.cli.context import require_schema, session
        from reassure.domains.planning.problem import problem_and_marking, problem_json

        require_schema(ctx)
        with session(ctx) as db:
            prob, rel_to = problem_and_marking(scenario, db=db)
        snapshot = problem_json(prob)
    else:
        assert problem is not None
        prob = load_json(problem, Problem)
    plan = _solve_with_progress(prob, time_limit, seed, workers)
    show_plan(plan, "plan")
    write_plan(plan, out)
    if store:
        from reassure.cli.context import run
        from reassure.domains.plans.actions import store_plan

        settings = {"method": "cp-sat", "time_limit": time_limit, "seed": seed, "workers": workers}
        stored = run(ctx, lambda db: store_plan(db=db, scenario=scenario or "", problem=snapshot, plan=plan,
                                                rel_to=rel_to, settings=settings, label=label))
        console.print(f"stored as plan {stored.id} ({stored.marking}): `reassure plans show {stored.id}`")


@app.command()
def validate(
    problem: Annotated[Path, typer.Argument(help="Problem JSON.")],
    plan: Annotated[Path, typer.Argument(help="Plan JSON.")],
) -> None:
    """Check a plan against every hard rule; exit 1 and list each violation if it breaks any."""
    prob, pl = load_json(problem, Problem), load_json(plan, Plan)
    report = run_validate(prob, pl)
    if report.valid:
        console.print(f"valid: coverage {report.coverage:.1%}, {report.tours_count} tours")
        return
    for v in report.violations:
        console.print(f"[red]{v.rule}[/red]: {escape(v.message)}", highlight=False)
    console.print(f"invalid: {len(report.violations)} violation(s)")
    raise typer.Exit(code=1)


@app.command()
def baseline(problem: Annotated[Path, typer.Argument(help="Problem JSON.")], out: Out = None) -> None:
    """Build the greedy (staff-officer) plan and print it like `solve`."""
    plan = greedy_plan(load_json(problem, Problem))
    show_plan(plan, "greedy baseline")
    write_plan(plan, out)


VERIFIED_ONLY_HELP = "count only verified pledges (a shortfall on the units found)"


@app.command()
def whatif(
    problem: Annotated[Path, typer.Argument(help="Problem JSON.")],
    plan: Annotated[Path | None, typer.Option("--plan", help="Base plan JSON (solved first if omitted).")] = None,
    withdraw: Annotated[list[str] | None, typer.Option("--withdraw", help="NATION@PERIOD or PLEDGE@PERIOD")] = None,
    flag: Annotated[list[str] | None, typer.Option("--flag", help="FLAG=true|false[@PERIOD]")] = None,
    surge: Annotated[list[str] | None, typer.Option("--surge", help="TASK:FROM-TO:+N")] = None,
    verified_only: Annotated[bool, typer.Option("--verified-only", help=VERIFIED_ONLY_HELP)] = False,
    time_limit: TimeLimit = 10.0,
    seed: Seed = 0,
    workers: Workers = None,
    out: Out = None,
) -> None:
    """Re-plan after scenario changes and print a side-by-side comparison with the base plan."""
    prob = load_json(problem, Problem)
    base = load_json(plan, Plan) if plan is not None else None
    changes = parse_changes(withdraw, flag, surge, verified_only)
    if base is None:
        base = _solve_with_progress(prob, time_limit, seed, workers)
    from reassure.services.planning import whatif_picture

    picture = whatif_picture(prob, base, changes, seconds=time_limit, seed=seed, workers=workers)
    show_comparison(picture.comparison)
    show_opened(picture.opened)
    show_plan(picture.plan, "re-plan")
    write_plan(picture.plan, out)


def parse_changes(withdraw: list[str] | None, flag: list[str] | None, surge: list[str] | None,
                  verified_only: bool = False) -> list[Change]:
    """Read --withdraw, --flag, --surge and --verified-only into what-if changes, or exit 2 naming the bad one (at
    least one needed)."""
    changes: list[Change] = []
    try:
        changes += [parse_withdraw(x) for x in withdraw or []]
        changes += [parse_flag(x) for x in flag or []]
        changes += [parse_surge(x) for x in surge or []]
        changes += [parse_verified_only()] if verified_only else []
    except ValueError as exc:
        raise plan_error(str(exc)) from exc
    if not changes:
        raise plan_error("give at least one of --withdraw, --flag, --surge, --verified-only")
    return changes


@app.command()
def robustness(
    problem: Annotated[Path, typer.Argument(help="Problem JSON.")],
    plan: Annotated[Path, typer.Argument(help="Plan JSON.")],
    samples: Annotated[int, typer.Option("--samples", min=1, help="Monte Carlo samples.")] = 10_000,
    seed: Seed = 0,
) -> None:
    """Sample pledge sizes (ranges, undisclosed priors), unit, nation and legal failures; report the coverage
    distribution and the nations, pledges and units whose loss hurts most."""
    report = run_robustness(load_json(problem, Problem), load_json(plan, Plan).tours, samples=samples, seed=seed)
    console.print(
        f"coverage as planned {report.plan_coverage:.1%}; over {report.samples} samples (seed {report.seed}): "
        f"mean {report.mean:.1%}, percentiles 5/10/25/50/75/90/95: {report.p5:.1%} / {report.p10:.1%} / "
        f"{report.p25:.1%} / {report.p50:.1%} / {report.p75:.1%} / {report.p90:.1%} / {report.p95:.1%}, "
        f"min {report.minimum:.1%}, max {report.maximum:.1%}",
        highlight=False,
    )
    for line in report.assumptions + report.sampled_legal:
        console.print(f"assumed: {line}", highlight=False, markup=False)
    peak = max((b.count for b in report.histogram), default=0) or 1
    for b in report.histogram:
        if b.count:
            console.print(f"{b.low:5.0%}–{b.high:4.0%} {'█' * max(1, round(40 * b.count / peak))} {b.count}")
    nations = Table("nation", "p(keeps its units)", "coverage lost if it withdraws", "expected loss",
                    title="nations whose withdrawal hurts most")
    for n in report.nations:
        nations.add_row(n.name, f"{n.probability:.2f}", f"{n.drop_if_lost:.2%}", f"{n.expected_loss:.2%}")
    console.print(nations)
    pledges = Table("pledge", "planned", "coverage lost if lost", "lost at the low end", "basis",
                    title="pledges whose loss or shortfall hurts most")
    for p in report.pledges:
        pledges.add_row(f"{p.label} ({p.pledge})", str(p.planned), f"{p.drop_if_lost:.2%}",
                        f"{p.drop_at_low:.2%} (at {p.low})" if p.low < p.planned else "—",
                        "planning assumption" if p.basis in ("range", "prior") else p.basis)
    console.print(pledges)
    table = Table("unit", "p", "coverage lost if it fails", "expected loss", title="units whose loss hurts most")
    for u in report.critical:
        table.add_row(u.unit, f"{u.probability:.2f}", f"{u.drop_if_lost:.2%}", f"{u.expected_loss:.2%}")
    console.print(table)


@app.command()
def asks(
    ctx: typer.Context,
    problem: Annotated[Path | None, typer.Argument(help="Problem JSON (DESIGN §3); or give --scenario.")] = None,
    scenario: Annotated[str | None, typer.Option("--scenario", help="Ask for this stored scenario's problem.")] = None,
    target: Annotated[str, typer.Option("--target", help="Coverage to reach: 95%, 95 or 0.95.")] = "95%",
    flag: Annotated[list[str] | None, typer.Option("--flag", help="FLAG=true|false from the start, e.g. "
                                                   "us_backstop=false")] = None,
    fair_shares: Annotated[str, typer.Option("--fair-shares", help="strict: no nation is asked past its fair share; "
                                             "prefer: nations below it first; ignore.")] = "strict",
    rounds: Annotated[int, typer.Option("--rounds", min=1, max=20, help="Most rounds of asking and re-solving.")] = 4,
    store: Annotated[bool, typer.Option("--store", help="Keep the plan with its asks (with --scenario).")] = False,
    label: Annotated[str, typer.Option("--label", help="A name for the stored plan.")] = "",
    time_limit: Annotated[float, typer.Option("--time-limit", min=0.5, help="Seconds for each solve (the base plan "
                                              "and each re-solve with the asked units).")] = 10.0,
    seed: Seed = 0,
    out: Out = None,
) -> None:
    """Propose the fewest additional units (capability, nation, from which month) that lift the plan to --target,
    within the nations' personnel caps and fair shares; verified by re-solving with them added."""
    from reassure.cli.plan_asks import print_asks, solve_asks

    if (problem is None) == (scenario is None):
        raise plan_error("give a problem JSON file or --scenario NAME (one of them)")
    if store and scenario is None:
        raise plan_error("--store needs --scenario: a stored plan keeps the scenario it was built from")
    if fair_shares not in ("strict", "prefer", "ignore"):
        raise plan_error(f"--fair-shares is strict, prefer or ignore, not {fair_shares!r}")
    flags: dict[str, bool] = {}
    for text in flag or []:
        try:
            change = parse_flag(text)
        except ValueError as exc:
            raise plan_error(str(exc)) from exc
        if change.period:
            raise plan_error(f"--flag {text}: asks take flags from the start (no @PERIOD)")
        flags[change.flag] = change.value
    rel_to = "PUBLIC"
    if scenario is not None:
        from reassure.cli.context import require_schema, session
        from reassure.domains.planning.problem import problem_and_marking

        require_schema(ctx)
        with session(ctx) as db:
            prob, rel_to = problem_and_marking(scenario, db=db)
    else:
        assert problem is not None
        prob = load_json(problem, Problem)
    from reassure.services.asks import parse_target, with_flags

    wanted = parse_target(target)
    prob = with_flags(prob, flags)
    plan, report = solve_asks(prob, wanted, fair_shares, rounds, time_limit, seed)
    print_asks(prob, plan, report)
    plan = plan.model_copy(update={"asks": report})
    write_plan(plan, out)
    if store:
        from reassure.cli.context import run
        from reassure.domains.planning.problem import problem_json
        from reassure.domains.plans.actions import store_plan

        settings = {"method": "cp-sat", "time_limit": time_limit, "seed": seed, "flags": flags,
                    "asks": {"target": wanted, "fair_shares": fair_shares, "rounds": rounds}}
        snapshot = problem_json(prob)
        stored = run(ctx, lambda db: store_plan(db=db, scenario=scenario or "", problem=snapshot, plan=plan,
                                                rel_to=rel_to, settings=settings,
                                                label=label or f"asks for {wanted:.1%}"))
        console.print(f"stored with its asks as plan {stored.id} ({stored.marking}): `reassure plans show {stored.id}`",
                      highlight=False)

"""`reassure plans …`: stored plans: list, show, diff two, re-check one against its stored problem."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from reassure.cli.context import JSON_OPTION, console, plain, print_json, require_schema, session
from reassure.domains.plans.service import diff_plans, get_plan, get_stored, list_plans, plan_asks, revalidate

app = typer.Typer(help="Stored plans: list, show, diff, validate (only those released to you), by their ids (plan_…).",
                  no_args_is_help=True)
# A plan's public id as `plans list` prints it; any other text, an old number included, is not found (exit 3).
def _plan_id() -> str:
    return typer.Argument(..., metavar="PLAN_ID", help="the plan's id as `reassure plans list` prints it (plan_…)")


@app.command("list")
def list_command(ctx: typer.Context, scenario: Annotated[str | None, typer.Option(help="only this scenario")] = None,
                 as_json: bool = JSON_OPTION) -> None:
    """List stored plans, newest first."""
    require_schema(ctx)
    with session(ctx) as db:
        rows = list_plans(db=db, scenario=scenario)
    if as_json:
        print_json(rows)
        return
    table = Table(title=f"Stored plans ({len(rows)}) — computed from planning assumptions")
    for column in ("id", "scenario", "label", "base", "status", "coverage", "bound", "tours", "gaps", "author",
                   "created", "marking"):
        table.add_column(column, overflow="fold")
    for p in rows:
        table.add_row(str(p.id), *plain(p.scenario, p.label or "—"), str(p.base or "—"), p.status,
                      f"{p.coverage:.1%}", f"{p.bound:.1%}", str(p.tours), str(p.gaps), p.author,
                      f"{p.created_at:%Y-%m-%d %H:%M}", p.marking)
    console.print(table)


@app.command("show")
def show_command(ctx: typer.Context, plan_id: str = _plan_id(), as_json: bool = JSON_OPTION) -> None:
    """Show a stored plan: its settings, results and gaps with their reasons."""
    require_schema(ctx)
    with session(ctx) as db:
        detail = get_plan(plan_id, db=db)
        asks = plan_asks(plan_id, db=db)
    if as_json:
        print_json([detail])
        return
    console.print(f"plan {detail.id} of {detail.scenario} ({detail.marking}): {detail.status}, coverage "
                  f"{detail.coverage:.1%}, proven bound {detail.bound:.1%}, {detail.tours} tours, {detail.gaps} gaps; "
                  f"by {detail.author} at {detail.created_at:%Y-%m-%d %H:%M}; settings {detail.settings}",
                  highlight=False, markup=False)
    for gap in detail.plan.get("gaps", [])[:20]:
        console.print(f"  {gap['task']}: short {gap['missing']} in periods {gap['periods'][0]}–{gap['periods'][-1]}: "
                      f"{gap['reason']}", highlight=False, markup=False)
    if asks is not None:
        console.print("force-generation asks (planning assumptions, verified by re-solving with the units added):")
        for line in asks.lines:
            console.print(f"  {line}", highlight=False, markup=False)


@app.command("diff")
def diff_command(ctx: typer.Context, a: str = typer.Argument(..., metavar="A", help="the first plan's id (plan_…)"),
                 b: str = typer.Argument(..., metavar="B", help="the second plan's id (plan_…)"),
                 as_json: bool = JSON_OPTION) -> None:
    """Compare two stored plans: coverage, tours kept, changed, added and removed, shortfall by task."""
    require_schema(ctx)
    with session(ctx) as db:
        d = diff_plans(a, b, db=db)
    if as_json:
        print_json([d])
        return
    console.print(f"coverage {d.coverage_a:.1%} → {d.coverage_b:.1%}; tours kept {d.tours_kept}, added "
                  f"{len(d.tours_added)}, removed {len(d.tours_removed)}; units whose tours changed: "
                  f"{len(d.tours_changed)}", highlight=False)
    table = Table(title="Unit-periods short by task")
    for column in ("task", f"plan {d.a}", f"plan {d.b}"):
        table.add_column(column)
    for task in sorted(set(d.short_by_task_a) | set(d.short_by_task_b)):
        table.add_row(*plain(task), str(d.short_by_task_a.get(task, 0)), str(d.short_by_task_b.get(task, 0)))
    console.print(table)


@app.command("validate")
def validate_command(ctx: typer.Context, plan_id: str = _plan_id()) -> None:
    """Re-check a stored plan against every hard rule of its stored problem (exit 1 listing each violation)."""
    require_schema(ctx)
    with session(ctx) as db:
        report = revalidate(plan_id, db=db)
    if report.valid:
        console.print(f"plan {plan_id} is valid against its stored problem: coverage {report.coverage:.1%}, "
                      f"{report.tours_count} tours")
        return
    for v in report.violations:
        console.print(f"{v.rule}: {v.message}", highlight=False, markup=False)
    raise typer.Exit(1)


@app.command("whatif")
def whatif_command(
    ctx: typer.Context,
    plan_id: str = _plan_id(),
    withdraw: Annotated[list[str] | None, typer.Option("--withdraw", help="NATION@PERIOD or PLEDGE@PERIOD")] = None,
    flag: Annotated[list[str] | None, typer.Option("--flag", help="FLAG=true|false[@PERIOD]")] = None,
    surge: Annotated[list[str] | None, typer.Option("--surge", help="TASK:FROM-TO:+N")] = None,
    verified_only: Annotated[bool, typer.Option("--verified-only",
                                                help="count only verified pledges (a shortfall on the units found)")
                             ] = False,
    store: Annotated[bool, typer.Option("--store", help="keep the re-plan, linked to its base")] = False,
    time_limit: Annotated[float, typer.Option("--time-limit", min=0.1)] = 10.0,
    seed: Annotated[int, typer.Option("--seed")] = 0,
) -> None:
    """Re-plan a stored plan after changes (keeping tours under way); --store keeps it linked to its base."""
    from reassure.cli.context import run
    from reassure.cli.plan import parse_changes
    from reassure.cli.plan_render import show_comparison, show_opened, show_plan
    from reassure.domains.planning.problem import problem_json
    from reassure.domains.plans.actions import store_plan
    from reassure.planner.instance import Plan, Problem
    from reassure.services.planning import whatif_picture

    require_schema(ctx)
    with session(ctx) as db:
        base = get_plan(plan_id, db=db)
    changes = parse_changes(withdraw, flag, surge, verified_only)
    result = whatif_picture(Problem.model_validate(base.problem), Plan.model_validate(base.plan), changes,
                            seconds=time_limit, seed=seed)
    show_comparison(result.comparison)
    show_opened(result.opened)
    show_plan(result.plan, "re-plan")
    if store:
        settings = {"method": "what-if", "time_limit": time_limit, "seed": seed,
                    "changes": [*(withdraw or []), *(flag or []), *(surge or []),
                                *(["verified_only"] if verified_only else [])]}
        problem = problem_json(result.problem)
        stored = run(ctx, lambda db: store_plan(db=db, scenario=base.scenario, problem=problem, plan=result.plan,
                                                rel_to=get_stored(plan_id, db=db).rel_to, settings=settings,
                                                label=f"what-if on {base.id}", base=base.id))
        console.print(f"stored as plan {stored.id} ({stored.marking}), what-if on plan {base.id}")

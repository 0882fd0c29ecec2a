"""`reassure plan build`: the planner problem (DESIGN §3 JSON) of a stored scenario."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from reassure.cli.context import console, require_schema, session
from reassure.domains.planning.problem import build_problem, problem_json
from reassure.planner.analysis.robustness import assumed_sizes


def build_command(
    ctx: typer.Context,
    scenario: str = typer.Option(..., help="scenario name"),
    out: Path | None = typer.Option(None, "--out", help="write the problem JSON here (default: print it)"),
) -> None:
    """Build the planner problem of a scenario from the database (only what is released to you)."""
    require_schema(ctx)
    with session(ctx) as db:
        problem = build_problem(scenario, db=db)  # NotFound (hidden or absent alike): exit 3
    text = json.dumps(problem_json(problem), indent=2)
    if out is None:
        print(text)
        return
    out.write_text(text + "\n", encoding="utf-8")
    console.print(f"wrote {out}: {len(problem.units)} units of {len(problem.nations)} nations, "
                  f"{len(problem.tasks)} tasks, {problem.horizon.periods} {problem.horizon.period}s")
    for line in assumed_sizes(problem):
        console.print(f"planning assumption: {line}", highlight=False, markup=False)

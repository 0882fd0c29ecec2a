"""The planning picture: can the pledges sustain the force, where are the gaps and why, who carries the burden,
what changes without the US backstop (or any other what-if), and how robust the plan is.

Everything here is computed from planning assumptions (the scenario's pledges and demands), and says so.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from reassure.core.errors import InputError
from reassure.core.errors import Problem as InputProblem
from reassure.planner.analysis.robustness import RobustnessReport, robustness
from reassure.planner.analysis.sustainability import BurdenShare, TaskPool, burden_shares, required_pools
from reassure.planner.analysis.whatif import Change, Comparison, FlagChange, replan
from reassure.planner.instance import Gap, Plan, Problem
from reassure.planner.solver.baseline import greedy_plan
from reassure.planner.solver.runtime import CancelToken
from reassure.planner.solver.solve import Progress, solve

ProgressCallback = Callable[[Progress], None]
NO_US_BACKSTOP: tuple[Change, ...] = (FlagChange(flag="us_backstop", value=False),)


@dataclass(frozen=True)
class OpenedGap:
    """A task's gaps that a what-if opened or widened: unit-months short, and the rules' reason for the first."""

    task: str
    unit_months: int
    reason: str
    gaps: tuple[Gap, ...]


@dataclass(frozen=True)
class WhatIfPicture:
    """A what-if next to its base: the side-by-side figures, the new plan and where it falls shorter."""

    changes: tuple[Change, ...]
    problem: Problem  # the changed problem the re-plan solved
    comparison: Comparison
    plan: Plan
    opened: tuple[OpenedGap, ...]


@dataclass(frozen=True)
class PlanReview:
    """Everything the planning part of a brief or dashboard shows (all of it computed from assumptions)."""

    plan: Plan
    greedy: Plan
    short_pools: tuple[TaskPool, ...]  # largest shortfall first
    worst_gaps: tuple[Gap, ...]  # most unit-months short first
    burden: tuple[BurdenShare, ...]  # largest share first
    whatif: WhatIfPicture | None
    robustness: RobustnessReport | None
    marking: str  # the problem's ('PUBLIC' or 'REL TO …'): the most restrictive of every record it rests on


def unit_months(gaps: Sequence[Gap]) -> int:
    """Return the unit-periods short over some gaps."""
    return sum(g.missing * len(g.periods) for g in gaps)


def opened_gaps(base: Plan, new: Plan) -> list[OpenedGap]:
    """Return, per task, the gaps of `new` covering a (task, period) that `base` did not miss, most short first."""
    before = {(g.task, t) for g in base.gaps for t in g.periods}
    opened: dict[str, list[Gap]] = {}
    for gap in new.gaps:
        if any((gap.task, t) not in before for t in gap.periods):
            opened.setdefault(gap.task, []).append(gap)
    out = [OpenedGap(task=task, unit_months=unit_months(gaps), reason=gaps[0].reason.split(": ", 1)[-1],
                     gaps=tuple(gaps)) for task, gaps in opened.items()]
    return sorted(out, key=lambda o: (-o.unit_months, o.task))


def whatif_picture(problem: Problem, base: Plan, changes: Sequence[Change], *, seconds: float, seed: int = 1,
                   workers: int | None = None, callback: ProgressCallback | None = None,
                   cancel: CancelToken | None = None) -> WhatIfPicture:
    """Re-plan a base plan under some changes and say what they cost; a change the problem cannot take (a nation
    or task it does not have, a period outside the horizon) is an InputError."""
    try:
        result = replan(problem, base, list(changes), time_limit=seconds, seed=seed, workers=workers,
                        callback=callback, cancel=cancel)
    except ValueError as exc:
        raise InputError([InputProblem("", "", "what-if", str(exc))]) from exc
    return WhatIfPicture(changes=tuple(changes), problem=result.problem, comparison=result.comparison,
                         plan=result.plan, opened=tuple(opened_gaps(base, result.plan)))


def solve_and_review(problem: Problem, *, marking: str, seconds: float, seed: int = 1, gaps: int = 8,
                     burden: int = 10, whatif: Sequence[Change] | None = NO_US_BACKSTOP, samples: int = 10_000,
                     on_solve: ProgressCallback | None = None, on_whatif: ProgressCallback | None = None,
                     cancel: CancelToken | None = None) -> PlanReview:
    """Solve, compare with the greedy baseline, list short pools, the worst gaps and the burden, run a what-if
    (none when `whatif` is None or empty) and sample robustness (none when `samples` is 0); a cancelled token
    raises Cancelled."""
    plan = solve(problem, time_limit=seconds, seed=seed, callback=on_solve, cancel=cancel)
    shares = sorted(burden_shares(problem, plan.tours), key=lambda b: (-b.share, b.nation))[:burden]
    short = sorted((p for p in required_pools(problem) if p.shortfall), key=lambda p: (-(p.shortfall or 0), p.task))
    worst = sorted(plan.gaps, key=lambda g: (-(g.missing * len(g.periods)), g.task))[:gaps]
    what = whatif_picture(problem, plan, whatif, seconds=seconds, seed=seed, callback=on_whatif,
                          cancel=cancel) if whatif else None
    report = robustness(problem, plan.tours, samples=samples, seed=seed, top=5) if samples else None
    return PlanReview(plan=plan, greedy=greedy_plan(problem), short_pools=tuple(short), worst_gaps=tuple(worst),
                       burden=tuple(shares), whatif=what, robustness=report,
                       marking=marking)

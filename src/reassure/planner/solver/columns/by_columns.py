"""Solve one part by columns: generate schedules, tighten the bound, then dive and polish for plans.

Column generation gives the LP bound of the schedule formulation (proven, and far tighter than what
CP-SAT's own LP reaches on large parts) and a pool of schedules. Where the LP is solved the integer
master over the pool usually closes the part outright. Otherwise subgradient steps lower the bound
where the LP stopped, and the rest of the time goes to dives from the LP at different thresholds,
each rounded and polished by local search (which settles within a second even on the largest parts):
the best of several dives beats one long dive, and any dive beats rounding the LP as it stands.
"""

from __future__ import annotations

import math
import time
from collections.abc import Sequence
from dataclasses import dataclass

from reassure.planner.hard_rules.repair import repair
from reassure.planner.hard_rules.score import score
from reassure.planner.hard_rules.validate import check_tours
from reassure.planner.index import Instance
from reassure.planner.instance import Tour
from reassure.planner.solver.columns.generation import ColumnGeneration
from reassure.planner.solver.columns.master import best_combination
from reassure.planner.solver.columns.rounding import rounded_plan
from reassure.planner.solver.runtime import CancelToken, check

GENERATE_SHARE = 0.6  # of the time, for column generation
TIGHTEN_SHARE = 0.08  # of the time, for subgradient steps on the bound where the LP is not solved
MASTER_SHARE = 0.5  # of the time left after generation, for the integer master when the LP is solved
DIVE_SHARE = 0.12  # of the time at most, per dive: then every unit the LP uses is fixed at once
POLISH_SHARE = 0.04  # of the time at most, for the local search after each dive
# Successive dives: the LP share from which a step fixes a unit, and the share of free units it fixes at least.
DIVES = ((0.55, 0.15), (0.6, 0.2), (0.5, 0.1), (0.7, 0.25), (0.45, 0.1), (0.65, 0.3))


@dataclass
class ColumnOutcome:
    """The part's best plan and the bound column generation proved."""

    tours: list[Tour]
    bound: float  # upper bound on the part's covered weight


def solve_by_columns(
    inst: Instance,
    start: Sequence[Tour],
    seconds: float,
    workers: int = 1,
    seed: int = 0,
    within: Instance | None = None,
    cancel: CancelToken | None = None,
) -> ColumnOutcome:
    """Return the best valid plan found from a valid start plan, with the LP bound.

    The bound holds for `inst`; plans are made `within` it (the same part with caps reduced by what
    other parts deploy, so that the whole plan stays valid), where the start plan must be valid.
    """
    deadline = time.perf_counter() + seconds
    target = within or inst
    generation = ColumnGeneration(inst, start)
    pool = generation.grow(GENERATE_SHARE * seconds)
    check(cancel)
    best = list(start)
    best_score = score(target, best)

    def bound() -> int:
        return math.floor(min(pool.bound, float(inst.demand_weight())) + 1e-6)

    def consider(tours: list[Tour] | None) -> None:
        nonlocal best, best_score
        if tours is None:
            return
        tours = repair(target, tours)  # rounding and local search plan unit by unit (hard_rules/repair.py)
        if check_tours(target, tours):
            return
        s = score(target, tours)
        if s.better_than(best_score):
            best, best_score = tours, s

    def closed() -> bool:
        """Tell if the part is proven optimal or too little time is left for a dive and its polish."""
        least = 0.5 * (DIVE_SHARE + POLISH_SHARE) * seconds
        return best_score.covered_weight >= bound() or deadline - time.perf_counter() < max(0.05, least)

    consider(rounded_plan(target, pool, 0.0, seed))  # instant: a better hint for the master
    if pool.converged:
        left = MASTER_SHARE * (deadline - time.perf_counter())
        consider(best_combination(target, pool, best, left, workers, seed, bound(), cancel=cancel).tours)
    else:
        generation.tighten(min(TIGHTEN_SHARE * seconds, deadline - time.perf_counter()))
    for n, (fix_from, step) in enumerate(DIVES):  # a dive repeated from the same LP ends the same way
        check(cancel)
        if closed() or pool.a is None:
            break  # the time left flows to the parts planned after this one
        dived = generation.dive(min(DIVE_SHARE * seconds, deadline - time.perf_counter()), fix_from, step)
        polish = min(POLISH_SHARE * seconds, deadline - time.perf_counter())
        consider(rounded_plan(target, dived, max(0.0, polish), seed + n))
    return ColumnOutcome(best, float(bound()))

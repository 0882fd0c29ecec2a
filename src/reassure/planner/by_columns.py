"""Solve one part by columns: generate schedules, then keep the best of the integer master and the rounded LP.

Column generation gives the LP bound of the schedule formulation (proven, and far tighter than what
CP-SAT's own LP reaches on large parts) and a pool of schedules. Where the LP is solved the integer
master over the pool usually closes the part outright; where it is not, rounding the LP solution and
polishing it by local search beats the greedy start by a wide margin.
"""

from __future__ import annotations

import math
import time
from collections.abc import Sequence
from dataclasses import dataclass

from reassure.planner.columns import generate_columns
from reassure.planner.index import Instance
from reassure.planner.instance import Tour
from reassure.planner.master import best_combination
from reassure.planner.rounding import rounded_plan
from reassure.planner.score import score
from reassure.planner.validate import check_tours

GENERATE_SHARE = 0.7  # of the time, for column generation
DIVE_FROM = 0.8  # of the generation time: an LP not solved by then dives for the rest
MASTER_SHARE = 0.5  # of the time left after generation, for the integer master when the LP is solved
MASTER_SHARE_OPEN = 0.15  # ... and when it is not: rounding does better there
SEQUENTIAL_SHARE = 0.6  # of the time left after the master, for the sequential rounding


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
) -> ColumnOutcome:
    """Return the best valid plan found from a valid start plan, with the LP bound.

    The bound holds for `inst`; plans are made `within` it (the same part with caps reduced by what
    other parts deploy, so that the whole plan stays valid), where the start plan must be valid.
    """
    deadline = time.perf_counter() + seconds
    target = within or inst
    pool = generate_columns(inst, start, GENERATE_SHARE * seconds, dive_from=DIVE_FROM)
    bound = math.floor(min(pool.bound, float(inst.demand_weight())) + 1e-6)
    best = list(start)
    best_score = score(target, best)

    def consider(tours: list[Tour] | None) -> None:
        nonlocal best, best_score
        if tours is None or check_tours(target, tours):
            return
        s = score(target, tours)
        if s.better_than(best_score):
            best, best_score = tours, s

    consider(rounded_plan(target, pool, 0.0, seed))  # instant: a better hint for the master
    share = MASTER_SHARE if pool.converged else MASTER_SHARE_OPEN
    master = best_combination(target, pool, best, share * (deadline - time.perf_counter()), workers, seed, bound)
    consider(master.tours)
    # Two ways to round the LP: they win on different parts; the sequential one more often.
    for share, sequential in ((SEQUENTIAL_SHARE, True), (1.0, False)):
        left = (deadline - time.perf_counter()) * share
        if best_score.covered_weight >= bound or left <= 0.05:
            break
        consider(rounded_plan(target, pool, left, seed, sequential))
    return ColumnOutcome(best, float(bound))

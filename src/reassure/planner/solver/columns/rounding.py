"""A plan from the column-generation LP: round it, make it valid, fill its gaps and polish it.

Units go in order of their largest LP share, each taking the schedule of its LP support that adds
most coverage to those placed before it (a dive's fixings first, as they are); tours are then
trimmed back under the personnel caps, the greedy baseline fills the shortfalls around them, and the
best-response local search improves the result. Even an LP not yet solved to optimality places
units where the coverage is scarce far better than greedy does.
"""

from __future__ import annotations

import numpy as np

from reassure.planner.hard_rules.validate import check_tours
from reassure.planner.index import Instance
from reassure.planner.instance import Tour
from reassure.planner.solver.baseline import greedy_tours
from reassure.planner.solver.columns.generation import Pool, schedule_tours
from reassure.planner.solver.decompose import trim_to_caps
from reassure.planner.solver.improve import improve


def _sequential(inst: Instance, pool: Pool) -> dict[int, int]:
    """Return, per unit row, the LP-used schedule that adds most coverage to those placed before it.

    Units go in order of their largest LP share, so the LP's firm choices come first.
    """
    n = inst.periods
    prio = np.array([t.priority for t in inst.tasks], dtype=np.float64)
    demand = np.array(inst.demand, dtype=np.int64).reshape(len(inst.tasks), n)
    count = np.zeros_like(demand)
    support: dict[int, list[int]] = {}
    for j, (row, share) in enumerate(zip(pool.unit_row, pool.share, strict=True)):
        if share > 1e-6:
            support.setdefault(row, []).append(j)
    order = sorted(support, key=lambda r: -max(pool.share[j] for j in support[r]))
    out = {}
    for row, j in pool.fixed.items():  # a dive's fixings come first, as they are
        out[row] = j
        for k, s, e in pool.schedule[j]:
            count[k, s : e + 1] += 1
    for row in (r for r in order if r not in pool.fixed):
        best, pick = 0.0, -1
        for j in support[row]:
            gain = 1e-3 * pool.share[j]
            for k, s, e in pool.schedule[j]:
                gain += float(prio[k] * (count[k, s : e + 1] < demand[k, s : e + 1]).sum())
            if gain > best:
                best, pick = gain, j
        if pick >= 0:
            out[row] = pick
            for k, s, e in pool.schedule[pick]:
                count[k, s : e + 1] += 1
    return out


def rounded_plan(inst: Instance, pool: Pool, seconds: float, seed: int = 0) -> list[Tour] | None:
    """Return a valid plan rounded from the pool's LP solution and improved, or None if there is none."""
    if pool.a is None or not pool.share:
        return None
    picks = _sequential(inst, pool)
    frozen = {f.unit for f in inst.problem.frozen}
    tours: list[Tour] = []
    for row, j in sorted(picks.items()):
        u = int(pool.a.unit[row])
        if inst.units[u].id in frozen:
            continue  # the greedy fill puts frozen tours back as given
        tours += schedule_tours(inst, u, pool.schedule[j])
    filled = greedy_tours(inst, sorted(trim_to_caps(inst, tours), key=lambda r: (r.start, r.unit)))
    if check_tours(inst, filled):
        return None
    return improve(inst, filled, seconds, seed=seed)

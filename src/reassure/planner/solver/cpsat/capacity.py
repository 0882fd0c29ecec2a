"""A proven upper bound on covered weight from how many periods units can serve in any time window.

A unit with max_tour L and min_dwell D serves at most q×L + min(r, L) periods of any n consecutive
periods (n = q(L + D) + r) inside its window. Per part, covered cells of a set of tasks within an
interval of periods cannot exceed the sum of that over the units that may serve those tasks. The
largest weight meeting these rows (for the part's tasks together and each task alone, over a grid
of intervals) bounds the part's coverage; CP-SAT proves it on a small aggregate model.
"""

from __future__ import annotations

import time
from collections.abc import Sequence

import numpy as np
from ortools.sat.python import cp_model

from reassure.planner.hard_rules.compat import reachable_demand, windows
from reassure.planner.index import Instance
from reassure.planner.solver.decompose import Part

STEP = 3  # interval ends lie on this grid of periods (and the horizon's ends)


def capacity_bounds(inst: Instance, plist: Sequence[Part], seconds: float, workers: int = 1) -> list[float]:
    """Return an upper bound on each part's covered weight, sharing the time by part size."""
    end = time.perf_counter() + seconds
    win = windows(inst)
    out = []
    for i, part in enumerate(plist):
        total = sum(p.size for p in plist[i:]) or 1
        budget = (end - time.perf_counter()) * part.size / total
        out.append(part_bound(inst, part, win, budget, workers))
    return out


def part_bound(
    inst: Instance, part: Part, win: dict[tuple[int, int], tuple[int, int]], seconds: float, workers: int = 1
) -> float:
    """Return an upper bound on the part's covered weight (its demand weight if none is proven)."""
    began = time.perf_counter()
    n = inst.periods
    grid = sorted({0, n, *range(0, n, STEP)})
    tasks = [k for k in part.tasks if inst.tasks[k].priority > 0]
    total = sum(inst.tasks[k].priority * sum(inst.demand[k]) for k in part.tasks)
    if not tasks:
        return float(total)
    reach = reachable_demand(inst, win)  # cells no plan can man under the coupling rules count for nothing
    model = cp_model.CpModel()
    prefix: dict[int, list[cp_model.IntVar]] = {}
    objective = []
    for k in tasks:
        avail = [0] * n
        for u in part.units:
            w = win.get((u, k))
            if w is not None:
                for t in range(w[0], w[1] + 1):
                    avail[t] += 1
        cells = [model.new_int_var(0, min(reach[k][t], avail[t]), "") for t in range(n)]
        run = [model.new_int_var(0, sum(min(reach[k][t], avail[t]) for t in range(n)), "") for _ in grid]
        for j, g in enumerate(grid):
            if j == 0:
                model.add(run[0] == 0)
            else:
                model.add(run[j] == run[j - 1] + sum(cells[grid[j - 1] : g]))
        prefix[k] = run
        objective.append(inst.tasks[k].priority * run[-1])
    groups: list[list[int]] = [tasks] + ([[k] for k in tasks] if len(tasks) > 1 else [])
    edge = np.array(grid)
    s, e = edge[:, None, None], edge[None, :, None]  # periods s … e - 1 of each interval
    for group in groups:
        spans = []
        for u in part.units:
            ws = [win[(u, k)] for k in group if (u, k) in win]
            if ws:
                unit = inst.units[u]
                spans.append((min(w[0] for w in ws), max(w[1] for w in ws), unit.max_tour, unit.min_dwell))
        if not spans:
            continue
        lo, hi, length, dwell = (np.array(c)[None, None, :] for c in zip(*spans, strict=True))
        q, r = np.divmod(np.maximum(np.minimum(e, hi + 1) - np.maximum(s, lo), 0), length + dwell)
        cap = (q * length + np.minimum(r, length)).sum(axis=2)
        for a in range(len(grid)):
            for b in range(a + 1, len(grid)):
                model.add(sum(prefix[k][b] - prefix[k][a] for k in group) <= int(cap[a, b]))
    model.maximize(sum(objective))
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(0.05, seconds - (time.perf_counter() - began))
    solver.parameters.num_workers = workers
    status = solver.solve(model)
    if status == cp_model.OPTIMAL:
        return float(solver.objective_value)
    if status == cp_model.FEASIBLE:
        return float(min(total, solver.best_objective_bound))
    return float(total)

"""The integer master: at most one pooled schedule per unit, the best covered weight, then fewest tours.

Price and branch: the schedules in column generation's last LP (plus those of a valid hint plan, so the hint
is feasible) become 0/1 variables in a small CP-SAT model with the coverage and personnel-cap rows;
units with frozen tours may only take schedules that keep them. Stage 1 maximises covered weight;
stage 2 keeps it and minimises the number of tours.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass

from ortools.sat.python import cp_model

from reassure.planner.index import Instance
from reassure.planner.instance import Tour
from reassure.planner.solver.columns.generation import Pool, Schedule, schedule_tours, schedules_by_unit
from reassure.planner.solver.runtime import CancelToken, check

COVERAGE_SHARE = 0.8  # of the time, for stage 1


@dataclass
class MasterResult:
    """The tours chosen, the covered weight they reach, and whether each stage was proven optimal."""

    tours: list[Tour]
    covered: int
    bound: float  # CP-SAT's bound on stage 1 over the pool only (not a bound on the problem)
    optimal: bool


def _schedules_of(inst: Instance, pool: Pool, hint: Sequence[Tour]) -> tuple[list[tuple[int, Schedule]], int]:
    """Return (unit index, schedule) per column, the hint's first; and how many the hint gave."""
    assert pool.a is not None
    columns = sorted(schedules_by_unit(inst, hint).items())
    seen = set(columns)
    first = len(columns)
    for j in pool.active or range(len(pool.schedule)):
        key = (int(pool.a.unit[pool.unit_row[j]]), pool.schedule[j])
        if key not in seen:
            seen.add(key)
            columns.append(key)
    return columns, first


def _keeps_frozen(schedule: Schedule, frozen: set[tuple[int, int, int]]) -> bool:
    return frozen <= set(schedule)


def best_combination(
    inst: Instance,
    pool: Pool,
    hint: Sequence[Tour],
    seconds: float,
    workers: int = 1,
    seed: int = 0,
    bound: float | None = None,
    cancel: CancelToken | None = None,
) -> MasterResult:
    """Choose at most one schedule per unit from the pool and the hint, within the caps and frozen tours.

    A known upper bound on covered weight lets CP-SAT stop as soon as it reaches it.
    """
    began = time.perf_counter()
    columns, hinted = _schedules_of(inst, pool, hint)
    frozen: dict[int, set[tuple[int, int, int]]] = {}
    for f in inst.problem.frozen:
        u = inst.unit_index[f.unit]
        frozen.setdefault(u, set()).add((inst.task_index[f.task], f.start, f.end))
    model = cp_model.CpModel()
    y: list[cp_model.IntVar] = []
    keep: list[int] = []
    for j, (u, schedule) in enumerate(columns):
        if u in frozen and not _keeps_frozen(schedule, frozen[u]):
            continue
        keep.append(j)
        y.append(model.new_bool_var(""))
    per_unit: dict[int, list[cp_model.IntVar]] = {}
    cells: dict[tuple[int, int], list[cp_model.IntVar]] = {}
    load: dict[tuple[str, int], list[tuple[cp_model.IntVar, int]]] = {}
    tours_of_var: list[int] = []
    for var, j in zip(y, keep, strict=True):
        u, schedule = columns[j]
        unit = inst.units[u]
        per_unit.setdefault(u, []).append(var)
        tours_of_var.append(len(schedule))
        capped = inst.caps.get(unit.nation) is not None
        for k, start, end in schedule:
            for t in range(start, end + 1):
                cells.setdefault((k, t), []).append(var)
                if capped:
                    load.setdefault((unit.nation, t), []).append((var, unit.personnel))
    for u, vs in per_unit.items():
        model.add_at_most_one(vs) if u not in frozen else model.add_exactly_one(vs)
    hinted_count: dict[tuple[int, int], int] = {}
    for j in range(hinted):
        for k, start, end in columns[j][1]:
            for t in range(start, end + 1):
                hinted_count[(k, t)] = hinted_count.get((k, t), 0) + 1
    weights = []
    covered = []
    for (k, t), vs in cells.items():
        need, priority = inst.demand[k][t], inst.tasks[k].priority
        if need <= 0 or priority <= 0:
            continue
        c = model.new_int_var(0, min(need, len(vs)), "")
        model.add(c <= sum(vs))
        model.add_hint(c, min(need, len(vs), hinted_count.get((k, t), 0)))
        covered.append(c)
        weights.append(priority)
    for (code, t), terms in load.items():
        room = inst.cap_left(code, t)
        assert room is not None
        if sum(w for _v, w in terms) > room:
            model.add(cp_model.LinearExpr.weighted_sum([v for v, _w in terms], [w for _v, w in terms]) <= room)
    for var, j in zip(y, keep, strict=True):
        model.add_hint(var, 1 if j < hinted else 0)
    coverage = cp_model.LinearExpr.weighted_sum(covered, weights)
    if bound is not None:
        model.add(coverage <= int(bound))
    model.maximize(coverage)
    solver = cp_model.CpSolver()
    if cancel is not None:  # a cancelled job stops this search at once (the hook is a no-op once it has ended)
        cancel.on_cancel(solver.stop_search)
    solver.parameters.num_workers = workers
    solver.parameters.random_seed = seed
    solver.parameters.max_presolve_iterations = 1  # full presolve of this set-packing model takes seconds
    solver.parameters.max_time_in_seconds = max(0.05, COVERAGE_SHARE * seconds)
    status = solver.solve(model)
    check(cancel)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return MasterResult(list(hint), -1, float("inf"), False)
    best = round(solver.objective_value)
    bound = solver.best_objective_bound
    optimal = status == cp_model.OPTIMAL
    values = [solver.value(v) for v in y]
    # Stage 2: the same covered weight with as few tours as possible.
    left = min(seconds - (time.perf_counter() - began), (1 - COVERAGE_SHARE) * seconds)
    if left > 0.05:
        model.clear_hints()
        for var, val in zip(y, values, strict=True):
            model.add_hint(var, val)
        for c in covered:
            model.add_hint(c, solver.value(c))
        model.add(coverage >= best)
        model.minimize(cp_model.LinearExpr.weighted_sum(y, tours_of_var))
        solver.parameters.max_time_in_seconds = left
        status2 = solver.solve(model)
        check(cancel)
        if status2 in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            values = [solver.value(v) for v in y]
            optimal = optimal and status2 == cp_model.OPTIMAL
        else:
            optimal = False
    tours = []
    for val, j in zip(values, keep, strict=True):
        if val:
            tours += schedule_tours(inst, *columns[j])
    tours.sort(key=lambda r: (r.unit, r.start, r.task))
    return MasterResult(tours, best, bound, optimal)


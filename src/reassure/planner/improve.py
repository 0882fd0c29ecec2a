"""Local search by best response: re-plan one unit at a time, optimally, against everyone else's tours.

For each unit in turn its tours are taken out and its best schedule is found by dynamic programming
(rhythm.best_schedules) where a cell is worth its task's priority only while the task is short,
cells that would break the nation's personnel cap are forbidden, and a tiny cost per period and per
tour prefers fewer, shorter tours. A unit moves only if the coverage gained is strictly positive or
it keeps coverage with fewer tours, so coverage never drops. Units with frozen tours stay put.
"""

from __future__ import annotations

import time
from collections.abc import Sequence

import numpy as np

from reassure.planner.index import Instance
from reassure.planner.instance import Tour
from reassure.planner.rhythm import NEG, Slots, best_schedules, slots

PERIOD_COST = 1e-6  # per deployed period: never worth a unit of coverage
TOUR_COST = 1e-4  # per tour: prefer fewer tours at equal coverage


def improve(
    inst: Instance, tours: Sequence[Tour], seconds: float, sweeps: int = 20, coverage_only: bool = False
) -> list[Tour]:
    """Return a plan at least as good as `tours` (which must be valid), improved unit by unit.

    With `coverage_only` a unit moves only for more coverage, never merely to save tours (what-if
    re-planning keeps the previous plan's tours where coverage allows).
    """
    began = time.perf_counter()
    a = slots(inst)
    if a is None:
        return list(tours)
    frozen_units = {f.unit for f in inst.problem.frozen}
    movable = [i for i, u in enumerate(a.unit) if inst.units[u].id not in frozen_units]
    row_of = {inst.units[u].id: i for i, u in enumerate(a.unit)}
    periods = inst.periods
    prio = np.array([t.priority for t in inst.tasks], dtype=np.float64)
    demand = np.array(inst.demand, dtype=np.int64).reshape(len(inst.tasks), periods)
    count = np.zeros_like(demand)
    load: dict[str, np.ndarray] = {n: np.array(inst.reserved.get(n, [0] * periods)) for n in inst.units_by_nation}
    plan: dict[int, list[Tour]] = {}
    fixed: list[Tour] = []
    can_move = set(movable)
    for t in tours:
        i = row_of.get(t.unit)
        if i is None or i not in can_move:
            fixed.append(t)
        else:
            plan.setdefault(i, []).append(t)
        _apply(inst, count, load, t, +1)
    for _ in range(sweeps):
        moved = False
        for i in movable:
            if time.perf_counter() - began > seconds:
                return _collect(fixed, plan)
            moved |= _respond(inst, a, i, plan, count, load, prio, demand, coverage_only)
        if not moved:
            break
    return _collect(fixed, plan)


def _collect(fixed: list[Tour], plan: dict[int, list[Tour]]) -> list[Tour]:
    out = list(fixed) + [t for lst in plan.values() for t in lst]
    return sorted(out, key=lambda r: (r.unit, r.start, r.task))


def _apply(inst: Instance, count: np.ndarray, load: dict[str, np.ndarray], t: Tour, sign: int) -> None:
    k = inst.task_index[t.task]
    unit = inst.units[inst.unit_index[t.unit]]
    count[k, t.start : t.end + 1] += sign
    load[unit.nation][t.start : t.end + 1] += sign * unit.personnel


def _respond(
    inst: Instance,
    a: Slots,
    i: int,
    plan: dict[int, list[Tour]],
    count: np.ndarray,
    load: dict[str, np.ndarray],
    prio: np.ndarray,
    demand: np.ndarray,
    coverage_only: bool,
) -> bool:
    """Replace unit row i's tours by its best response if that is strictly better; tell whether it moved."""
    one = a.take(np.array([i]))
    unit = inst.units[int(one.unit[0])]
    current = plan.get(i, [])
    for t in current:
        _apply(inst, count, load, t, -1)
    tasks = one.task[0]
    k = np.maximum(tasks, 0)
    value = np.where(count[k] < demand[k], prio[k][:, None], 0.0) - PERIOD_COST
    cap = inst.caps.get(unit.nation)
    if cap is not None:
        full = load[unit.nation] + unit.personnel > cap
        value[:, full] = NEG
    value[tasks < 0] = 0.0
    gain, chosen = best_schedules(one, value[None, :, :], inst.periods, TOUR_COST)
    slot_of = {int(k): s for s, k in enumerate(tasks) if k >= 0}
    now = sum(value[slot_of[inst.task_index[t.task]], t.start : t.end + 1].sum() for t in current)
    now -= TOUR_COST * len(current)
    moved = gain[0] > now + (0.5 if coverage_only else TOUR_COST / 2)
    if moved:
        current = [
            Tour(unit=unit.id, task=inst.tasks[int(tasks[s])].id, start=start, end=end) for s, start, end in chosen[0]
        ]
        plan[i] = current
    for t in current:
        _apply(inst, count, load, t, +1)
    return bool(moved)

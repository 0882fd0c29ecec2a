"""Local search by best response: re-plan one unit at a time, optimally, against everyone else's tours.

For each unit in turn its tours are taken out and its best schedule is found by dynamic programming
(rhythm.best_schedules) where a cell is worth its task's priority only while the task is short,
cells that would break the nation's personnel cap are forbidden, and a tiny cost per period and per
tour prefers fewer, shorter tours. A unit moves only if coverage rises or, at equal coverage, it
needs fewer tours, so coverage never drops. When no single unit can improve, the units around a
shortfall are all taken out and put back one by one (ruin and recreate), kept only if no worse.
Units with frozen tours stay put. Where tasks couple their units (lead nation, min_nations, max_share, command
chain: hard_rules/repair.py) a move that breaks one of those rules on the tasks it touches is undone, and so is a
ruin and recreate that breaks one anywhere, so a valid plan stays valid.
"""

from __future__ import annotations

import random
import time
from collections.abc import Sequence

import numpy as np

from reassure.planner.hard_rules.repair import coupled, offences
from reassure.planner.index import Instance
from reassure.planner.instance import Tour
from reassure.planner.solver.rhythm import NEG, Slots, best_schedules, slots

PERIOD_COST = 1e-6  # per deployed period: never worth a unit of coverage
TOUR_COST = 1e-4  # per tour: prefer fewer tours at equal coverage
PATIENCE = 100  # ruin-and-recreate attempts without improvement before giving up


class _Search:
    """The plan being improved, with coverage counts and personnel loads kept up to date."""

    def __init__(self, inst: Instance, a: Slots, tours: Sequence[Tour], coverage_only: bool) -> None:
        self.inst, self.a, self.coverage_only = inst, a, coverage_only
        frozen_units = {f.unit for f in inst.problem.frozen}
        self.movable = [i for i, u in enumerate(a.unit) if inst.units[u].id not in frozen_units]
        row_of = {inst.units[u].id: i for i, u in enumerate(a.unit)}
        n = inst.periods
        self.prio = np.array([t.priority for t in inst.tasks], dtype=np.float64)
        self.demand = np.array(inst.demand, dtype=np.int64).reshape(len(inst.tasks), n)
        self.count = np.zeros_like(self.demand)
        self.load = {c: np.array(inst.reserved.get(c, [0] * n)) for c in inst.units_by_nation}
        self.plan: dict[int, list[Tour]] = {}
        self.fixed: list[Tour] = []
        can_move = set(self.movable)
        for t in tours:
            i = row_of.get(t.unit)
            if i is None or i not in can_move:
                self.fixed.append(t)
            else:
                self.plan.setdefault(i, []).append(t)
            self.apply(t, +1)
        self.coupled = coupled(inst)
        self.related: dict[str, set[str]] = {}  # task id -> the task ids whose coupling rules a change there touches
        if self.coupled:
            for k, task in enumerate(inst.tasks):
                near = {task.id, *(inst.tasks[c].id for c in inst.children.get(k, ()))}
                if task.parent is not None:
                    near.add(task.parent)
                self.related[task.id] = near
        self.rows_of_task: dict[int, list[int]] = {}
        for i in self.movable:
            for k in a.task[i]:
                if k >= 0:
                    self.rows_of_task.setdefault(int(k), []).append(i)

    def tours(self) -> list[Tour]:
        out = self.fixed + [t for lst in self.plan.values() for t in lst]
        return sorted(out, key=lambda r: (r.unit, r.start, r.task))

    def covered(self) -> float:
        return float((np.minimum(self.count, self.demand) * self.prio[:, None]).sum())

    def apply(self, t: Tour, sign: int) -> None:
        k = self.inst.task_index[t.task]
        unit = self.inst.units[self.inst.unit_index[t.unit]]
        self.count[k, t.start : t.end + 1] += sign
        self.load[unit.nation][t.start : t.end + 1] += sign * unit.personnel

    def respond(self, i: int, force: bool = False) -> bool:
        """Give unit row i its best response if strictly better (always if `force`); tell if it moved."""
        one = self.a.take(np.array([i]))
        unit = self.inst.units[int(one.unit[0])]
        current = self.plan.get(i, [])
        for t in current:
            self.apply(t, -1)
        tasks = one.task[0]
        k = np.maximum(tasks, 0)
        value = np.where(self.count[k] < self.demand[k], self.prio[k][:, None], 0.0) - PERIOD_COST
        cap = self.inst.caps.get(unit.nation)
        if cap is not None:
            value[:, self.load[unit.nation] + unit.personnel > cap] = NEG
        value[tasks < 0] = 0.0
        gain, chosen = best_schedules(one, value[None, :, :], self.inst.periods, TOUR_COST)
        slot_of = {int(x): s for s, x in enumerate(tasks) if x >= 0}
        now = sum(value[slot_of[self.inst.task_index[t.task]], t.start : t.end + 1].sum() for t in current)
        now -= TOUR_COST * len(current)
        moved = force or gain[0] > now + (0.5 if self.coverage_only else TOUR_COST / 2)
        if moved:
            task_id = self.inst.tasks
            old = current
            current = [Tour(unit=unit.id, task=task_id[int(tasks[s])].id, start=a, end=b) for s, a, b in chosen[0]]
            self.plan[i] = current
            if self.coupled and not force:
                touched = {x for t in (*old, *current) for x in self.related.get(t.task, {t.task})}
                after = self.offending(touched)
                if after and after > self.offending(touched, replace=(i, old)):
                    self.plan[i], current, moved = old, old, False
        for t in current:
            self.apply(t, +1)
        return bool(moved)

    def offending(self, tasks: set[str] | None = None, replace: tuple[int, list[Tour]] | None = None) -> int:
        """Count the cells breaking a coupling rule among the tasks given (all if None), unit row i's tours replaced."""
        plan = dict(self.plan)
        if replace is not None:
            plan[replace[0]] = replace[1]
        tours = self.fixed + [t for lst in plan.values() for t in lst]
        if tasks is not None:
            tours = [t for t in tours if t.task in tasks]
        return len(offences(self.inst, tours))

    def ruin_and_recreate(self, rng: random.Random) -> bool:
        """Re-plan every unit that could serve around one shortfall; undo if worse; tell if better."""
        short = np.argwhere(self.count < self.demand)
        if not len(short):
            return False
        k, t = (int(x) for x in short[rng.randrange(len(short))])
        rows = self.rows_of_task.get(k, [])
        if not rows:
            return False
        reach = int(self.a.length.max()) + int(self.a.dwell.max())
        victims = [i for i in rows if any(abs(x.start - t) <= reach for x in self.plan.get(i, []))]
        victims = victims or rows[:]
        rng.shuffle(victims)
        before = (self.covered(), -sum(len(self.plan.get(i, [])) for i in victims))
        saved = {i: list(self.plan.get(i, [])) for i in victims}
        for i in victims:
            for x in self.plan.pop(i, []):
                self.apply(x, -1)
        for i in victims:
            self.respond(i, force=True)
        after = (self.covered(), -sum(len(self.plan.get(i, [])) for i in victims))
        if self.coupled and self.offending():
            after = (-1.0, 0)  # a ruin and recreate that breaks a coupling rule is undone
        if after < before:
            for i in victims:
                for x in self.plan.pop(i, []):
                    self.apply(x, -1)
            for i, lst in saved.items():
                self.plan[i] = lst
                for x in lst:
                    self.apply(x, +1)
        return after > before


def improve(
    inst: Instance,
    tours: Sequence[Tour],
    seconds: float,
    sweeps: int = 20,
    coverage_only: bool = False,
    seed: int = 0,
) -> list[Tour]:
    """Return a plan at least as good as `tours` (which must be valid), improved unit by unit.

    With `coverage_only` a unit moves only for more coverage, never merely to save tours (what-if
    re-planning keeps the previous plan's tours where coverage allows); ruin and recreate is off then.
    """
    began = time.perf_counter()
    a = slots(inst)
    if a is None:
        return list(tours)
    search = _Search(inst, a, tours, coverage_only)
    for _ in range(sweeps):
        moved = False
        for i in search.movable:
            if time.perf_counter() - began > seconds:
                return search.tours()
            moved |= search.respond(i)
        if not moved:
            break
    rng = random.Random(seed)
    idle = 0
    while not coverage_only and idle < PATIENCE and time.perf_counter() - began < seconds:
        idle = 0 if search.ruin_and_recreate(rng) else idle + 1
    return search.tours()

"""Greedy baseline: what a staff officer with a spreadsheet would do, and a unit-by-unit fill.

Take frozen tours as given, keep any suggested tours that still fit, then walk the tasks from the
highest priority down and, period by period, fill each shortfall with the compatible unit available
longest, deploying it for a full tour (max_tour, or as long as its window, dwell and caps allow).
Where tasks couple their units (lead nation, min_nations, max_share, command chain: hard_rules/repair.py), a
unit of the lead nation, then of a nation not yet on the task, goes first; the plan is then repaired and the
cells the repair emptied are refilled, without the units it took out there, a few times.

The fill (`fill_tours`) goes the other way round: unit by unit, from the units with the fewest places
to serve, each takes in time order the tour that covers the most uncovered priority-weighted demand,
as long as its rules allow (cut back to the last period that still covers something). On scarce,
capped problems it beats the task-by-task walk by several points (issue 23); the solver starts from
the better of the two (`start_tours`).
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field

from reassure.planner.hard_rules.compat import reachable_demand, windows
from reassure.planner.hard_rules.repair import coupled, repair
from reassure.planner.index import Instance
from reassure.planner.instance import Plan, Problem, Tour
from reassure.planner.solver.result import frozen_conflicts, infeasible_plan, make_plan


@dataclass
class Schedule:
    """Tours placed so far with the bookkeeping needed to place more without breaking rules."""

    inst: Instance
    window: dict[tuple[int, int], tuple[int, int]]
    tours: list[Tour] = field(default_factory=list)
    blocked: list[list[bool]] = field(init=False)
    load: dict[str, list[int]] = field(init=False)
    count: list[list[int]] = field(init=False)
    banned: set[tuple[int, int, int]] = field(default_factory=set)  # (unit, task, period) a repair took out

    def __post_init__(self) -> None:
        n = self.inst.periods
        self.blocked = [[False] * n for _ in self.inst.units]
        self.load = {code: list(self.inst.reserved.get(code, [0] * n)) for code in self.inst.units_by_nation}
        self.count = [[0] * n for _ in self.inst.tasks]

    def room(self, u: int, k: int, t: int) -> bool:
        """Tell whether unit u could be on task k in period t given what is already placed."""
        w = self.window.get((u, k))
        if w is None or not w[0] <= t <= w[1] or self.blocked[u][t] or (u, k, t) in self.banned:
            return False
        unit = self.inst.units[u]
        cap = self.inst.caps.get(unit.nation)
        return cap is None or self.load[unit.nation][t] + unit.personnel <= cap

    def fits(self, u: int, k: int, start: int, end: int) -> bool:
        """Tell whether a whole tour fits: window, length, overlap, dwell and personnel cap."""
        if end - start + 1 > self.inst.units[u].max_tour:
            return False
        return all(self.room(u, k, t) for t in range(start, end + 1))

    def place(self, u: int, k: int, start: int, end: int) -> None:
        """Add a tour and block the unit for it and the dwell on both sides."""
        unit = self.inst.units[u]
        self.tours.append(Tour(unit=unit.id, task=self.inst.tasks[k].id, start=start, end=end))
        n = self.inst.periods
        for t in range(max(0, start - unit.min_dwell), min(n - 1, end + unit.min_dwell) + 1):
            self.blocked[u][t] = True
        for t in range(start, end + 1):
            self.load[unit.nation][t] += unit.personnel
            self.count[k][t] += 1

    def reach(self, u: int, k: int, t: int) -> int:
        """Return the last period of the longest tour of u on k starting at t (t-1 if none)."""
        end = t - 1
        limit = min(t + self.inst.units[u].max_tour, self.inst.periods) - 1
        while end < limit and self.room(u, k, end + 1):
            end += 1
        return end


REFILLS = 3  # rounds of repair and refill where tasks couple their units


def greedy_tours(inst: Instance, keep: Sequence[Tour] = ()) -> list[Tour]:
    """Return frozen tours, the kept tours that still fit (tried in the order given), and greedy fill.

    The result respects every hard rule, the rules coupling a task's units included.
    """
    win = windows(inst)
    if not coupled(inst):
        return _fill(inst, win, keep, set())
    banned: set[tuple[int, int, int]] = set()
    tours = _fill(inst, win, keep, banned)
    for _ in range(REFILLS):
        fixed = repair(inst, tours)
        before = _cells(inst, tours)
        lost = before - _cells(inst, fixed)
        if not lost:
            return fixed
        banned |= lost
        tours = _fill(inst, win, fixed, banned)
    return repair(inst, tours)


def _cells(inst: Instance, tours: Sequence[Tour]) -> set[tuple[int, int, int]]:
    return {(inst.unit_index[r.unit], inst.task_index[r.task], t) for r in tours for t in r.periods()}


def _fill(
    inst: Instance, win: dict[tuple[int, int], tuple[int, int]], keep: Sequence[Tour], banned: set[tuple[int, int, int]]
) -> list[Tour]:
    sched = _kept(inst, win, keep, banned)
    on: dict[tuple[int, int], set[str]] = {}  # nations on each cell, for tasks that couple their units
    mixing = coupled(inst)
    if mixing:
        for r in sched.tours:
            for t in r.periods():
                on.setdefault((inst.task_index[r.task], t), set()).add(inst.units[inst.unit_index[r.unit]].nation)
    candidates: dict[int, list[int]] = {}
    for u, k in sched.window:
        candidates.setdefault(k, []).append(u)
    for units in candidates.values():
        units.sort(key=lambda u: inst.units[u].id)
    order = sorted(range(len(inst.tasks)), key=lambda k: (-inst.tasks[k].priority, inst.tasks[k].id))
    for k in order:
        for t in range(inst.periods):
            while sched.count[k][t] < inst.demand[k][t]:
                # The unit available longest, then the longest tour; ties go to the first id.
                best: tuple[int, ...] | None = None
                for u in candidates.get(k, ()):
                    if not sched.room(u, k, t):
                        continue
                    rank = (*_mix(inst, on, k, t, u), inst.units[u].available_to, sched.reach(u, k, t), u)
                    if best is None or rank[:-1] > best[:-1]:
                        best = rank
                if best is None:
                    break
                sched.place(best[-1], k, t, best[-2])
                if mixing:
                    for p in range(t, best[-2] + 1):
                        on.setdefault((k, p), set()).add(inst.units[best[-1]].nation)
    sched.tours.sort(key=lambda r: (r.unit, r.start, r.task))
    return sched.tours


def _mix(inst: Instance, on: dict[tuple[int, int], set[str]], k: int, t: int, u: int) -> tuple[int, ...]:
    """Rank a unit for a task that couples its units: the lead nation first, then a nation not yet on the cell."""
    task = inst.tasks[k]
    if task.lead is None and task.min_nations is None and task.max_share is None:
        return ()
    nation = inst.units[u].nation
    here = on.get((k, t), set())
    return (int(task.lead == nation and nation not in here), int(nation not in here))


def fill_tours(inst: Instance, keep: Sequence[Tour] = ()) -> list[Tour]:
    """Return frozen tours, the kept tours that still fit, then the unit-by-unit longest-useful-tour fill."""
    best: list[Tour] | None = None
    best_weight = -1
    window = windows(inst)
    eligible: dict[int, list[int]] = {}
    for u, k in window:
        eligible.setdefault(u, []).append(k)
    fewest = sorted(eligible, key=lambda u: (len(eligible[u]), inst.units[u].available_to, inst.units[u].id))
    longest = sorted(eligible, key=lambda u: (-inst.units[u].available_to, inst.units[u].id))
    for order in (fewest, longest):
        sched = _kept(inst, window, keep)
        for u in order:
            _fill_unit(sched, u, sorted(eligible[u]))
        weight = _weight(inst, sched)
        if weight > best_weight:
            best, best_weight = sched.tours, weight
    tours = list(best or [])
    tours.sort(key=lambda r: (r.unit, r.start, r.task))
    # Where tasks couple their units (lead nation, min_nations, max_share, command chain) the fill is repaired like
    # the walk, so the better of the two is chosen among plans that keep every hard rule.
    return repair(inst, tours) if coupled(inst) else tours


def start_tours(inst: Instance, keep: Sequence[Tour] = ()) -> tuple[list[Tour], str]:
    """Return the better of the greedy walk and the fill (by covered weight, then fewer tours) and its name."""
    walk = greedy_tours(inst, keep)
    fill = fill_tours(inst, keep)
    a = (_weight_of(inst, walk), -len(walk))
    b = (_weight_of(inst, fill), -len(fill))
    return (fill, "fill") if b > a else (walk, "greedy")


def _kept(
    inst: Instance,
    window: dict[tuple[int, int], tuple[int, int]],
    keep: Sequence[Tour],
    banned: set[tuple[int, int, int]] | None = None,
) -> Schedule:
    """Return a schedule holding the frozen tours, then the kept tours that still fit (tried in the order given)."""
    sched = Schedule(inst, window, banned=set() if banned is None else banned)
    for f in inst.problem.frozen:
        sched.place(inst.unit_index[f.unit], inst.task_index[f.task], f.start, f.end)
    frozen = {f.key() for f in inst.problem.frozen}
    for tour in keep:
        u, k = inst.unit_index.get(tour.unit), inst.task_index.get(tour.task)
        if tour.key() in frozen or u is None or k is None:
            continue
        if 0 <= tour.start <= tour.end < inst.periods and sched.fits(u, k, tour.start, tour.end):
            sched.place(u, k, tour.start, tour.end)
    return sched


def _fill_unit(sched: Schedule, u: int, tasks: Sequence[int]) -> None:
    """Give unit u, in time order, the tours that cover the most uncovered weight, each as long as useful."""
    inst = sched.inst
    unit = inst.units[u]
    lo = min(sched.window[(u, k)][0] for k in tasks)
    hi = max(sched.window[(u, k)][1] for k in tasks)
    t = lo
    while t <= hi:
        best: tuple[int, int, int, int] | None = None  # (gain, -length, task, end)
        for k in tasks:
            if not sched.room(u, k, t) or sched.count[k][t] >= inst.demand[k][t]:
                continue
            end = sched.reach(u, k, t)
            prio = inst.tasks[k].priority
            gain, last = 0, t
            for s in range(t, end + 1):
                if sched.count[k][s] < inst.demand[k][s]:
                    gain += prio
                    last = s
            rank = (gain, -(last - t), -k, last)
            if gain > 0 and (best is None or rank > best):
                best = rank
        if best is None:
            t += 1
            continue
        k, end = -best[2], best[3]
        sched.place(u, k, t, end)
        t = end + unit.min_dwell + 1


def _weight(inst: Instance, sched: Schedule) -> int:
    return _covered(inst, sched.count)


def _weight_of(inst: Instance, tours: Sequence[Tour]) -> int:
    count = [[0] * inst.periods for _ in inst.tasks]
    for r in tours:
        k = inst.task_index[r.task]
        for t in range(r.start, r.end + 1):
            count[k][t] += 1
    return _covered(inst, count)


def _covered(inst: Instance, count: Sequence[Sequence[int]]) -> int:
    """Return the priority-weighted demand a count of units per (task, period) covers."""
    return sum(
        inst.tasks[k].priority * sum(min(c, d) for c, d in zip(count[k], inst.demand[k], strict=True))
        for k in range(len(inst.tasks))
    )


def cell_bound(inst: Instance) -> int:
    """Return a cheap upper bound on covered weight: each cell capped by its compatible units (and worth nothing where
    the coupling rules leave it unmanned whatever the plan: hard_rules/compat.reachable_demand)."""
    win = windows(inst)
    avail = [[0] * inst.periods for _ in inst.tasks]
    for (_u, k), (lo, hi) in win.items():
        for t in range(lo, hi + 1):
            avail[k][t] += 1
    reach = reachable_demand(inst, win)
    return sum(
        task.priority * sum(min(d, a) for d, a in zip(reach[k], avail[k], strict=True))
        for k, task in enumerate(inst.tasks)
    )


def greedy_plan(problem: Problem, keep: Sequence[Tour] = ()) -> Plan:
    """Return the greedy baseline as a plan (status feasible, bound from a per-cell relaxation)."""
    began = time.perf_counter()
    inst = Instance(problem)
    conflicts = frozen_conflicts(inst)
    if conflicts:
        return infeasible_plan(inst, conflicts, time.perf_counter() - began)
    weight = inst.demand_weight()
    bound = cell_bound(inst) / weight if weight else 1.0
    tours = greedy_tours(inst, keep)
    return make_plan(inst, tours, "feasible", bound, time.perf_counter() - began)

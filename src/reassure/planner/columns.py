"""Column generation over unit schedules: the LP bound of the schedule formulation and a pool of schedules.

Master LP (GLOP): maximise Σ priority × covered[k, t] with covered <= demand and covered <= the
schedules on task k at t; each unit takes at most one schedule (a share of it, in the LP); each capped
nation's personnel per period stays within what its cap leaves. Pricing is each unit's best schedule
under the duals (rhythm.best_schedules: window, legal start, max_tour and min_dwell exact).

Every pricing round gives a Lagrangian bound, an upper bound on covered weight at any duals >= 0; when
no schedule prices out, it meets the LP value. Besides the LP duals, each round prices at points
between them and the best-bound duals so far (Wentges smoothing at several weights): more and steadier
columns per LP solve, which damps the oscillation that makes plain column generation tail off. Frozen tours are
relaxed for the bound; the integer master (master.py) keeps only schedules that hold them.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from ortools.linear_solver import pywraplp

from reassure.planner.index import Instance
from reassure.planner.instance import Tour
from reassure.planner.rhythm import NEG, Slots, best_schedules, slots

SMOOTHING = (0.2, 0.4, 0.6, 0.8, 0.9)  # weights of the best-bound duals in the extra pricing points
EPS = 1e-6  # reduced cost a schedule must beat to enter
DIVE_FIX = 0.4  # LP share from which a dive fixes a unit to a schedule
KEEP_PER_UNIT, KEEP_EXTRA = 20, 800  # columns the master LP may hold before it is cut back to half

Schedule = tuple[tuple[int, int, int], ...]  # (task index, start, end) per tour
SlotTour = tuple[int, int, int]  # (slot, start, end): one tour as rhythm.best_schedules gives it


def schedules_by_unit(inst: Instance, tours: Sequence[Tour]) -> dict[int, Schedule]:
    """Return each unit's tours (by unit index) as one schedule in time order."""
    out: dict[int, list[tuple[int, int, int]]] = {}
    for tour in tours:
        out.setdefault(inst.unit_index[tour.unit], []).append((inst.task_index[tour.task], tour.start, tour.end))
    return {u: tuple(sorted(lst, key=lambda x: x[1])) for u, lst in out.items()}


def schedule_tours(inst: Instance, unit: int, schedule: Schedule) -> list[Tour]:
    """Return the tours of one unit's schedule."""
    unit_id = inst.units[unit].id
    return [Tour(unit=unit_id, task=inst.tasks[k].id, start=s, end=e) for k, s, e in schedule]


@dataclass
class Pool:
    """Schedules generated per unit, the last LP solution and the bounds proven."""

    a: Slots | None
    unit_row: list[int] = field(default_factory=list)  # per column: row in `a`
    schedule: list[Schedule] = field(default_factory=list)  # per column
    share: list[float] = field(default_factory=list)  # per column: value in the last LP solution
    lp: float = 0.0  # LP value of the restricted master (a lower bound on the LP optimum)
    bound: float = float("inf")  # proven upper bound on covered weight (Lagrangian)
    rounds: int = 0
    converged: bool = False
    active: list[int] = field(default_factory=list)  # columns in the master LP when it stopped
    fixed: dict[int, int] = field(default_factory=dict)  # unit row -> column the dive fixed it to


class _Master:
    """The restricted master LP, grown one column at a time."""

    def __init__(self, a: Slots, prio: np.ndarray, demand: np.ndarray, left: np.ndarray) -> None:
        """Set up cover, unit and cap rows; `left` is the personnel each capped nation may add per period."""
        self.solver = pywraplp.Solver.CreateSolver("GLOP")
        inf = self.solver.infinity()
        objective = self.solver.Objective()
        objective.SetMaximization()
        self.cover: dict[tuple[int, int], pywraplp.Constraint] = {}
        for k, t in zip(*np.nonzero((demand > 0) & (prio[:, None] > 0)), strict=True):
            c = self.solver.NumVar(0.0, float(demand[k, t]), "")
            objective.SetCoefficient(c, float(prio[k]))
            row = self.solver.Constraint(-inf, 0.0)
            row.SetCoefficient(c, 1.0)
            self.cover[(int(k), int(t))] = row
        self.convex = [self.solver.Constraint(-inf, 1.0) for _ in range(len(a.unit))]
        self.caps: dict[tuple[int, int], pywraplp.Constraint] = {}
        for n, t in np.ndindex(*left.shape):
            self.caps[(n, t)] = self.solver.Constraint(-inf, float(left[n, t]))
        self.vars: list[pywraplp.Variable] = []

    def add(self, row: int, schedule: Schedule, nation: int, personnel: float) -> None:
        """Add one unit's schedule as a column."""
        x = self.solver.NumVar(0.0, self.solver.infinity(), "")
        self.convex[row].SetCoefficient(x, 1.0)
        for k, start, end in schedule:
            for t in range(start, end + 1):
                cover = self.cover.get((k, t))
                if cover is not None:
                    cover.SetCoefficient(x, -1.0)
                if nation >= 0:
                    self.caps[(nation, t)].SetCoefficient(x, personnel)
        self.vars.append(x)

    def solve(self, tasks: int, periods: int, nations: int) -> tuple[float, np.ndarray, np.ndarray, np.ndarray]:
        """Solve; return the value and the duals of cover rows (tasks × periods), caps and units."""
        self.solver.Solve()
        lam = np.zeros((tasks, periods))
        for (k, t), row in self.cover.items():
            lam[k, t] = abs(row.dual_value())
        mu = np.zeros((nations, periods))
        for (n, t), row in self.caps.items():
            mu[n, t] = abs(row.dual_value())
        sigma = np.array([abs(row.dual_value()) for row in self.convex])
        return float(self.solver.Objective().Value()), lam, mu, sigma

    def shares(self) -> list[float]:
        """Return each column's value in the last solution."""
        return [x.solution_value() for x in self.vars]

    def forbid(self, position: int) -> None:
        """Keep one column out of every later solution."""
        self.vars[position].SetUb(0.0)


def _fix_settled(pool: Pool, active: list[int], master: _Master) -> bool:
    """Fix the units the LP all but settles (or the most settled one) to that schedule; tell if any."""
    best: dict[int, tuple[float, int]] = {}
    for j in active:
        row, share = pool.unit_row[j], pool.share[j] if j < len(pool.share) else 0.0
        if row not in pool.fixed and share > best.get(row, (1e-6, -1))[0]:
            best[row] = (share, j)
    if not best:
        return False
    settled = {row: j for row, (share, j) in best.items() if share >= DIVE_FIX}
    if not settled:
        row, (_share, j) = max(best.items(), key=lambda kv: kv[1][0])
        settled = {row: j}
    pool.fixed.update(settled)
    for position, j in enumerate(active):
        row = pool.unit_row[j]
        if row in settled and settled[row] != j:
            master.forbid(position)
    return True


@dataclass
class _Pricing:
    """Cell values of every unit's schedules under given duals, and the Lagrangian bound they give."""

    inst: Instance
    a: Slots
    prio: np.ndarray
    demand: np.ndarray
    nation: np.ndarray  # per row: index into the capped nations, -1 if uncapped
    cap: np.ndarray  # capped nations × periods: personnel the cap leaves
    forbidden: np.ndarray  # rows × periods: the unit alone exceeds what its nation's cap leaves

    def values(self, lam: np.ndarray, mu: np.ndarray) -> np.ndarray:
        """Return the value of each (row, slot, period) cell: its task's dual less its personnel's."""
        has = self.a.task >= 0
        value = lam[np.where(has, self.a.task, 0)]
        if len(self.cap):
            own = mu[np.maximum(self.nation, 0)]
            charge = np.where(self.nation[:, None] >= 0, self.a.personnel[:, None] * own, 0.0)
            value = value - charge[:, None, :]
        value = np.where(self.forbidden[:, None, :], NEG, value)
        return np.where(has[:, :, None], value, 0.0)

    def price(self, lam: np.ndarray, mu: np.ndarray) -> tuple[float, np.ndarray, list[list[SlotTour]]]:
        """Return the Lagrangian bound at (lam, mu), each unit's best value and its best schedule."""
        best, chosen = best_schedules(self.a, self.values(lam, mu), self.inst.periods)
        free = float((self.demand * np.maximum(self.prio[:, None] - lam, 0.0)).sum())
        return free + float(best.sum()) + float((mu * self.cap).sum()), best, chosen


def generate_columns(
    inst: Instance, start: Sequence[Tour], seconds: float, max_rounds: int = 10_000, dive_from: float | None = None
) -> Pool:
    """Grow a pool of schedules from a valid plan's until the LP is solved or time runs out.

    With `dive_from` (a share of the time), an LP not solved by then spends the rest of the time
    diving: units whose schedule the LP all but settles are fixed to it, and the LP is re-priced for the
    others, so that what is left to round shrinks with each round (see `Pool.fixed`). The bound stays
    valid: every unit is still priced freely, only fixed units' new schedules are not added.
    """
    began = time.perf_counter()
    a = slots(inst)
    if a is None:
        return Pool(None, bound=0.0, converged=True)
    periods, n_tasks = inst.periods, len(inst.tasks)
    prio = np.array([t.priority for t in inst.tasks], dtype=np.float64)
    demand = np.array(inst.demand, dtype=np.float64).reshape(n_tasks, periods)
    total: dict[str, int] = {}
    for u in a.unit:
        unit = inst.units[int(u)]
        if inst.caps.get(unit.nation) is not None:
            total[unit.nation] = total.get(unit.nation, 0) + unit.personnel
    room = {c: [inst.cap_left(c, t) or 0 for t in range(periods)] for c in sorted(total)}
    # A cap binds only if the nation's units here could together exceed what it leaves.
    capped = [c for c, r in room.items() if min(r) < total[c]]
    where = {c: i for i, c in enumerate(capped)}
    nation = np.array([where.get(inst.units[int(u)].nation, -1) for u in a.unit])
    left = np.array([room[c] for c in capped], dtype=np.float64).reshape(len(capped), periods)
    forbidden = np.zeros((len(a.unit), periods), dtype=bool)
    for i in np.nonzero(nation >= 0)[0]:
        forbidden[i] = a.personnel[i] > left[nation[i]]
    pricing = _Pricing(inst, a, prio, demand, nation, left, forbidden)
    master = _Master(a, prio, demand, left)
    pool = Pool(a)
    seen: dict[tuple[int, Schedule], int] = {}  # every column generated: its place in the pool
    active: list[int] = []  # pool columns in the master LP, in its column order
    in_master: set[int] = set()
    keep = KEEP_PER_UNIT * len(a.unit) + KEEP_EXTRA

    def add(row: int, schedule: Schedule) -> bool:
        """Put a schedule in the master LP (back, if a cut-back took it out); tell if it was not there."""
        j = seen.get((row, schedule))
        if j is None:
            j = seen[(row, schedule)] = len(pool.schedule)
            pool.unit_row.append(row)
            pool.schedule.append(schedule)
        elif j in in_master:
            return False
        master.add(row, schedule, int(nation[row]), float(a.personnel[row]))
        active.append(j)
        in_master.add(j)
        return True

    def shrink(cell: np.ndarray, sigma: np.ndarray) -> _Master:
        """Return a new master LP with the columns of best reduced cost (every one the LP uses among them)."""
        reduced = []
        for j in active:
            row = pool.unit_row[j]
            slot = {int(k): sl for sl, k in enumerate(a.task[row]) if k >= 0}
            worth = sum(float(cell[row, slot[k], b : e + 1].sum()) for k, b, e in pool.schedule[j])
            used = j < len(pool.share) and pool.share[j] > 1e-9
            reduced.append((used, worth - sigma[row]))
        kept = sorted(sorted(range(len(active)), key=lambda i: reduced[i], reverse=True)[: keep // 2])
        columns = [active[i] for i in kept if pool.fixed.get(pool.unit_row[active[i]], active[i]) == active[i]]
        columns += [j for j in pool.fixed.values() if j not in columns]
        active.clear()
        in_master.clear()
        fresh = _Master(a, prio, demand, left)
        for j in columns:
            row = pool.unit_row[j]
            fresh.add(row, pool.schedule[j], int(nation[row]), float(a.personnel[row]))
            active.append(j)
            in_master.add(j)
        return fresh

    row_of = {int(u): i for i, u in enumerate(a.unit)}
    for u, schedule in schedules_by_unit(inst, start).items():
        if u in row_of:
            add(row_of[u], schedule)
    center: tuple[np.ndarray, np.ndarray] | None = None
    diving = False
    for _ in range(max_rounds):
        began_round = time.perf_counter()
        pool.rounds += 1
        pool.lp, lam, mu, sigma = master.solve(n_tasks, periods, len(capped))
        pool.share = [0.0] * len(pool.schedule)
        for j, x in zip(active, master.shares(), strict=True):
            pool.share[j] = x
        points = [(lam, mu)]
        if center is not None:
            points += [(w * center[0] + (1 - w) * lam, w * center[1] + (1 - w) * mu) for w in SMOOTHING]
        added = 0
        cell = pricing.values(lam, mu)  # reduced costs are taken at the LP's own duals
        for p_lam, p_mu in points:
            bound, _best, chosen = pricing.price(p_lam, p_mu)
            if bound < pool.bound:
                pool.bound, center = bound, (p_lam, p_mu)
            for row, tours in enumerate(chosen):
                worth = sum(float(cell[row, s, b : e + 1].sum()) for s, b, e in tours)
                if worth > sigma[row] + EPS and row not in pool.fixed:
                    added += add(row, tuple((int(a.task[row, s]), b, e) for s, b, e in tours))
        if not diving:
            pool.converged = added == 0 or pool.bound - pool.lp <= EPS * max(1.0, pool.lp)
        last = time.perf_counter() - began_round  # the next round will take about as long
        if time.perf_counter() - began + last > seconds:
            break
        if dive_from is not None and not pool.converged and time.perf_counter() - began > dive_from * seconds:
            diving = True
            if not _fix_settled(pool, active, master):
                break
        elif pool.converged:
            break
        if len(active) > keep:  # an LP this size solves slowly: keep the columns that matter
            master = shrink(cell, sigma)
    pool.share += [0.0] * (len(pool.schedule) - len(pool.share))
    pool.active = list(active)
    return pool

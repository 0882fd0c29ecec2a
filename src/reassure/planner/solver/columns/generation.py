"""Column generation over unit schedules: the LP bound of the schedule formulation and a pool of schedules.

The restricted master LP is master_lp.py; pricing is each unit's best schedule under the duals
(pricing.py: window, legal start, max_tour and min_dwell exact). Every pricing gives a Lagrangian
bound, an upper bound on covered weight at any duals >= 0; when no schedule prices out, it meets the
LP value. Besides the LP duals, each round prices at points between them and the best-bound duals so
far (Wentges smoothing at several weights): more and steadier columns per LP solve, which damps the
oscillation that makes plain column generation tail off. Frozen tours are relaxed for the bound; the
integer master (master.py) keeps only schedules that hold them.

From the LP, `ColumnGeneration.dive` builds integer plans: units whose schedule the LP all but settles
are fixed to it and the LP is solved and priced again for the others, until every unit the LP uses is
fixed. A dive works on an LP of its own, so that dives at different thresholds start from the same LP.
"""

from __future__ import annotations

import math
import time
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

import numpy as np

from reassure.planner.hard_rules.compat import reachable_demand
from reassure.planner.index import Instance
from reassure.planner.instance import Tour
from reassure.planner.solver.columns.master_lp import MasterLP, Schedule, Solution
from reassure.planner.solver.columns.pricing import Duals, Pricing, subgradient
from reassure.planner.solver.rhythm import Slots, slots

SMOOTHING = (0.2, 0.4, 0.6, 0.8, 0.9)  # weights of the best-bound duals in the extra pricing points
EPS = 1e-6  # reduced cost a schedule must beat to enter
DIVE_FIX = 0.4  # LP share from which a dive fixes a unit to a schedule
KEEP_PER_UNIT, KEEP_EXTRA = 20, 800  # columns the master LP may hold before it is cut back


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
    fixed: dict[int, int] = field(default_factory=dict)  # unit row -> column a dive fixed it to

    def pad(self) -> None:
        """Give every column a share: zero for those generated since the last LP solution."""
        self.share += [0.0] * (len(self.schedule) - len(self.share))


class ColumnGeneration:
    """The master LP, its pricing and the pool, grown round by round from a valid plan's schedules."""

    def __init__(self, inst: Instance, start: Sequence[Tour]) -> None:
        """Set up the LP with the start plan's schedules; `pool.a` is None if no unit may serve."""
        a = slots(inst)
        self.pool = Pool(a)
        if a is None:
            self.pool.bound, self.pool.converged = 0.0, True
            return
        self.a = a
        periods, n_tasks = inst.periods, len(inst.tasks)
        prio = np.array([t.priority for t in inst.tasks], dtype=np.float64)
        # cells the coupling rules leave unmanned whatever the plan are worth nothing (hard_rules/compat.py)
        demand = np.array(reachable_demand(inst), dtype=np.float64).reshape(n_tasks, periods)
        total: dict[str, int] = {}
        for u in a.unit:
            unit = inst.units[int(u)]
            if inst.caps.get(unit.nation) is not None:
                total[unit.nation] = total.get(unit.nation, 0) + unit.personnel
        room = {c: [inst.cap_left(c, t) or 0 for t in range(periods)] for c in sorted(total)}
        # A cap binds only if the nation's units here could together exceed what it leaves.
        capped = [c for c, r in room.items() if min(r) < total[c]]
        where = {c: i for i, c in enumerate(capped)}
        self.nation = np.array([where.get(inst.units[int(u)].nation, -1) for u in a.unit])
        left = np.array([room[c] for c in capped], dtype=np.float64).reshape(len(capped), periods)
        forbidden = np.zeros((len(a.unit), periods), dtype=bool)
        for i in np.nonzero(self.nation >= 0)[0]:
            forbidden[i] = a.personnel[i] > left[self.nation[i]]
        self.pricing = Pricing(inst, a, prio, demand, self.nation, left, forbidden)
        self.new_master = lambda: MasterLP(len(a.unit), prio, demand, left)
        self.master = self.new_master()
        self.seen: dict[tuple[int, Schedule], int] = {}  # every column generated: its place in the pool
        self.active: list[int] = []  # pool columns in the master LP, in its column order
        self.in_master: set[int] = set()
        self.keep = KEEP_PER_UNIT * len(a.unit) + KEEP_EXTRA
        self.center: Duals | None = None  # the duals of the best bound so far
        row_of = {int(u): i for i, u in enumerate(a.unit)}
        for u, schedule in schedules_by_unit(inst, start).items():
            if u in row_of:
                self._add(row_of[u], schedule)

    def grow(self, seconds: float, max_rounds: int = 10_000) -> Pool:
        """Add columns until the LP is solved, `max_rounds` are done or the time is out; return the pool."""
        began = time.perf_counter()
        pool = self.pool
        if pool.a is None:
            return pool
        for _ in range(0 if pool.converged else max_rounds):
            began_round = time.perf_counter()
            added = self._round(retry=True)
            if added is None:
                break  # the last solution stands, not converged
            pool.converged = added == 0 or pool.bound - pool.lp <= EPS * max(1.0, pool.lp)
            last = time.perf_counter() - began_round  # the next round will take about as long
            if pool.converged or time.perf_counter() - began + last > seconds:
                break
            if len(self.active) > max(self.keep, 2 * len(self._used())):  # a big LP solves slowly
                self._shrink()
        pool.pad()
        pool.active = list(self.active)
        return pool

    def tighten(self, seconds: float) -> float:
        """Lower the bound by subgradient steps from the best-bound duals for `seconds`; return it."""
        pool = self.pool
        if pool.a is None or pool.converged or self.center is None:
            return pool.bound
        pool.bound, self.center = subgradient(self.pricing, self.center, pool.bound, pool.lp, seconds)
        return pool.bound

    def dive(self, seconds: float, fix_from: float = DIVE_FIX, step: float = 0.0) -> Pool:
        """Return the pool as a dive from the current LP leaves it (`fixed`, shares); the LP stays as it is.

        The dive works on an LP of its own with the columns the current solution uses. Each step fixes
        the units with a schedule of LP share >= `fix_from`, and at least the `step` share of the units
        still free (at least one), the most settled first; then it solves and prices that LP again.
        After `seconds`, every unit the LP uses is fixed at once.
        """
        began = time.perf_counter()
        pool = self.pool
        if pool.a is None or not pool.share:
            return pool
        root = (self.master, list(self.active), set(self.in_master), list(pool.share), pool.lp, pool.converged)
        self._rebuild(self._used())
        while True:
            late = time.perf_counter() - began > seconds
            if not self._fix_settled(0.0 if late else fix_from, step) or late or self._round(retry=False) is None:
                break
        dived = replace(
            pool,
            unit_row=list(pool.unit_row),
            schedule=list(pool.schedule),
            share=list(pool.share),
            active=list(self.active),
            fixed=dict(pool.fixed),
        )
        dived.pad()
        self.master, self.active, self.in_master, pool.share, pool.lp, pool.converged = root
        pool.pad()
        pool.active, pool.fixed = list(self.active), {}
        return dived

    def _round(self, retry: bool) -> int | None:
        """Solve the LP, price its duals and add what prices out; return how many, None if the LP failed."""
        pool = self.pool
        solved = self._solve(retry)
        if solved is None:
            return None
        pool.rounds += 1
        pool.lp, lam, mu, sigma = solved
        pool.share = [0.0] * len(pool.schedule)
        for j, x in zip(self.active, self.master.shares(), strict=True):
            pool.share[j] = x
        points = [(lam, mu)]
        if self.center is not None:
            c_lam, c_mu = self.center
            points += [(w * c_lam + (1 - w) * lam, w * c_mu + (1 - w) * mu) for w in SMOOTHING]
        added = 0
        cell = self.pricing.values(lam, mu)  # reduced costs are taken at the LP's own duals
        self.reduced = (cell, sigma)
        for p_lam, p_mu in points:
            bound, _best, chosen = self.pricing.price(p_lam, p_mu)
            if bound < pool.bound:
                pool.bound, self.center = bound, (p_lam, p_mu)
            for row, tours in enumerate(chosen):
                worth = sum(float(cell[row, s, b : e + 1].sum()) for s, b, e in tours)
                if worth > sigma[row] + EPS and row not in pool.fixed:
                    added += self._add(row, tuple((int(self.a.task[row, s]), b, e) for s, b, e in tours))
        return added

    def _solve(self, retry: bool) -> Solution | None:
        """Solve the LP; if GLOP gives up and `retry`, solve the same columns in a fresh LP."""
        solved = self.master.solve()
        if solved is None and retry:
            self._rebuild(list(self.active))
            solved = self.master.solve()
        return solved

    def _add(self, row: int, schedule: Schedule) -> bool:
        """Put a schedule in the master LP (back, if a cut-back took it out); tell if it was not there."""
        pool = self.pool
        j = self.seen.get((row, schedule))
        if j is None:
            j = self.seen[(row, schedule)] = len(pool.schedule)
            pool.unit_row.append(row)
            pool.schedule.append(schedule)
        elif j in self.in_master:
            return False
        self._put(j)
        return True

    def _put(self, j: int) -> None:
        """Add pool column j to the master LP."""
        row = self.pool.unit_row[j]
        self.master.add(row, self.pool.schedule[j], int(self.nation[row]), float(self.a.personnel[row]))
        self.active.append(j)
        self.in_master.add(j)

    def _used(self) -> list[int]:
        """Return the master's columns the last LP solution uses."""
        share = self.pool.share
        return [j for j in self.active if j < len(share) and share[j] > 1e-9]

    def _shrink(self) -> None:
        """Cut the LP back to every column its solution uses and the unused ones of best reduced cost.

        Cutting a used column would undo the LP's progress, and on a part with few units and many
        periods the LP can use more columns than half the limit.
        """
        cell, sigma = self.reduced
        kept = self._used()
        spare = max(self.keep // 2 - len(kept), self.keep // 4)
        reduced = {}
        for j in set(self.active) - set(kept):
            row = self.pool.unit_row[j]
            slot = {int(k): sl for sl, k in enumerate(self.a.task[row]) if k >= 0}
            worth = sum(float(cell[row, slot[k], b : e + 1].sum()) for k, b, e in self.pool.schedule[j])
            reduced[j] = worth - sigma[row]
        kept += sorted(reduced, key=lambda j: (reduced[j], -j), reverse=True)[:spare]
        position = {j: i for i, j in enumerate(self.active)}
        self._rebuild(sorted(kept, key=position.__getitem__))

    def _rebuild(self, columns: list[int]) -> None:
        """Replace the LP by a fresh one with these columns."""
        self.active.clear()
        self.in_master.clear()
        self.master = self.new_master()
        for j in columns:
            self._put(j)

    def _fix_settled(self, fix_from: float, step: float) -> bool:
        """Fix the units the LP all but settles (at least the `step` share of the free ones); tell if any."""
        pool = self.pool
        best: dict[int, tuple[float, int]] = {}
        for j in self.active:
            row, share = pool.unit_row[j], pool.share[j] if j < len(pool.share) else 0.0
            if row not in pool.fixed and share > best.get(row, (1e-6, -1))[0]:
                best[row] = (share, j)
        if not best:
            return False
        firm = sorted(best, key=lambda row: best[row], reverse=True)
        least = max(1, math.ceil(step * (len(self.a.unit) - len(pool.fixed))))
        settled = {row: best[row][1] for n, row in enumerate(firm) if n < least or best[row][0] >= fix_from}
        pool.fixed.update(settled)
        for position, j in enumerate(self.active):
            row = pool.unit_row[j]
            if row in settled and settled[row] != j:
                self.master.forbid(position)
        return True


def generate_columns(inst: Instance, start: Sequence[Tour], seconds: float, max_rounds: int = 10_000) -> Pool:
    """Grow a pool of schedules from a valid plan's until the LP is solved or time runs out."""
    return ColumnGeneration(inst, start).grow(seconds, max_rounds)

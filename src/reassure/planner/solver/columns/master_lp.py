"""The restricted master LP of column generation (GLOP), grown one column at a time.

Maximise Σ priority × covered[k, t] with covered <= demand and covered <= the schedules on task k
at t; each unit takes at most one schedule (a share of it); each capped nation's personnel per period
stays within what its cap leaves. GLOP keeps its basis between solves, so adding columns re-solves
from where it stopped.
"""

from __future__ import annotations

import numpy as np
from ortools.linear_solver import pywraplp

Schedule = tuple[tuple[int, int, int], ...]  # (task index, start, end) per tour
Solution = tuple[float, np.ndarray, np.ndarray, np.ndarray]  # value; duals of cover rows, caps, units


class MasterLP:
    """The LP over the columns added so far."""

    def __init__(self, units: int, prio: np.ndarray, demand: np.ndarray, left: np.ndarray) -> None:
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
        self.convex = [self.solver.Constraint(-inf, 1.0) for _ in range(units)]
        self.caps: dict[tuple[int, int], pywraplp.Constraint] = {}
        for n, t in np.ndindex(*left.shape):
            self.caps[(n, t)] = self.solver.Constraint(-inf, float(left[n, t]))
        self.vars: list[pywraplp.Variable] = []
        self.shape = (*demand.shape, left.shape[0])

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

    def solve(self) -> Solution | None:
        """Solve; return the value and the duals of cover rows (tasks × periods), caps and units.

        None if GLOP gives up (it can, numerically, after many changes to one LP): no duals then.
        """
        if self.solver.Solve() != pywraplp.Solver.OPTIMAL:
            return None
        tasks, periods, nations = self.shape
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

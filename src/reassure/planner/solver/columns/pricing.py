"""Pricing for column generation: each unit's best schedule under duals, the Lagrangian bound they give.

Relaxing the cover rows (duals λ per task and period) and the personnel caps (μ per capped nation
and period) splits the problem by unit: L(λ, μ) = Σ demand × max(priority − λ, 0) + Σ over units of
its best schedule's value + Σ μ × room. Any λ, μ >= 0 give an upper bound on covered weight, and its
minimum is the LP bound. `subgradient` lowers it by projected subgradient steps (Polyak's rule)
without solving an LP: each step is one pricing, a few milliseconds where an LP re-solve takes a second.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from reassure.planner.index import Instance
from reassure.planner.solver.rhythm import NEG, Slots, best_schedules

SlotTour = tuple[int, int, int]  # (slot, start, end): one tour as rhythm.best_schedules gives it
Duals = tuple[np.ndarray, np.ndarray]  # λ (tasks × periods), μ (capped nations × periods)
STEP = 0.5  # Polyak step weight at the start; halved after STALL steps without a better bound
STALL = 10


@dataclass
class Pricing:
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

    def slack(self, lam: np.ndarray, chosen: list[list[SlotTour]]) -> Duals:
        """Return the subgradient of L at λ (and its μ) given the schedules chosen there."""
        served = np.zeros_like(self.demand)
        load = np.zeros_like(self.cap)
        for row, tours in enumerate(chosen):
            for s, b, e in tours:
                served[self.a.task[row, s], b : e + 1] += 1
                if self.nation[row] >= 0:
                    load[self.nation[row], b : e + 1] += self.a.personnel[row]
        return served - self.demand * (lam < self.prio[:, None]), self.cap - load


def subgradient(pricing: Pricing, start: Duals, bound: float, target: float, seconds: float) -> tuple[float, Duals]:
    """Return the lowest Lagrangian bound found from `start` (whose bound is `bound`) and its duals.

    `target` is a value the bound cannot go below (the restricted LP's): Polyak's step aims at it.
    """
    began = time.perf_counter()
    lam, mu = start
    best, at = bound, start
    step, stall = STEP, 0
    while time.perf_counter() - began < seconds and best > target + 1e-6:
        value, _best, chosen = pricing.price(lam, mu)
        if value < best - 1e-9:
            best, at, stall = value, (lam, mu), 0
        else:
            stall += 1
            if stall >= STALL:
                step, stall = step / 2, 0
        g_lam, g_mu = pricing.slack(lam, chosen)
        norm = float((g_lam**2).sum() + (g_mu**2).sum())
        if norm == 0.0:
            break  # the duals are optimal
        size = step * (value - target) / norm
        lam, mu = np.maximum(0.0, lam - size * g_lam), np.maximum(0.0, mu - size * g_mu)
    return best, at

"""A proven upper bound on covered weight by Lagrangian relaxation (numpy, no solver).

Dualising "covered <= units on task" (multipliers λ) and the personnel caps (μ) splits the problem
into one longest-path problem per unit over its own tours (window, legal start, max_tour and
min_dwell kept exactly; frozen tours relaxed away). For any λ, μ >= 0 the relaxed optimum bounds the
true one from above; subgradient steps lower it towards the LP bound of the tour formulation. It
complements CP-SAT's own bound, which its LP reaches slowly on large models.
"""

from __future__ import annotations

import time

import numpy as np

from reassure.planner.index import Instance
from reassure.planner.rhythm import best_schedules, slots

THETA0 = 2.0  # first step size factor (Polyak)
STALL = 10  # iterations without a better bound before the factor halves
MOMENTUM = 0.7  # share of the previous direction kept (deflected subgradient)


def lagrangian_bound(
    inst: Instance, target: float, seconds: float, iterations: int = 300, short: np.ndarray | None = None
) -> float:
    """Return an upper bound on covered weight, refined by subgradient steps within the time given.

    `target` is the best covered weight known (a lower bound), used for Polyak step sizes; `short`
    (tasks × periods, 0..1) marks where a known plan falls short, a good first guess of where an
    extra unit is worth its task's priority.
    """
    began = time.perf_counter()
    periods = inst.periods
    prio = np.array([t.priority for t in inst.tasks], dtype=np.float64)
    demand = np.array(inst.demand, dtype=np.float64).reshape(len(inst.tasks), periods)
    capped = [c for c, v in inst.caps.items() if v is not None]
    a = slots(inst)
    if a is None:
        return 0.0
    where = {code: i for i, code in enumerate(capped)}
    nation = np.array([where.get(inst.units[u].nation, -1) for u in a.unit])
    # Caps in units of a typical unit's personnel, so that both kinds of subgradient weigh alike.
    scale = float(np.median(a.personnel)) or 1.0
    personnel = a.personnel / scale
    cap = np.array([[inst.cap_left(c, t) or 0 for t in range(periods)] for c in capped], dtype=np.float64)
    cap = cap.reshape(len(capped), periods) / scale
    guess = np.full((len(inst.tasks), periods), 0.5) if short is None else 0.1 + 0.8 * short
    lam = prio[:, None] * guess
    mu = np.zeros((len(capped), periods))
    has_task = a.task >= 0
    task = np.where(has_task, a.task, 0)
    best = np.inf
    theta, stall = THETA0, 0
    d_lam = np.zeros_like(lam)
    d_mu = np.zeros_like(mu)
    for _ in range(iterations):
        value = lam[task]  # (U, S, T)
        if capped:
            charge = np.where(nation[:, None] >= 0, personnel[:, None] * mu[np.maximum(nation, 0)], 0.0)
            value = value - charge[:, None, :]
        value = np.where(has_task[:, :, None], value, 0.0)
        unit_best, chosen = best_schedules(a, value, periods)
        deploy = np.zeros(value.shape, dtype=bool)
        for u, lst in enumerate(chosen):
            for slot, start, end in lst:
                deploy[u, slot, start : end + 1] = True
        cover = demand * (lam < prio[:, None])
        bound = float((demand * np.maximum(prio[:, None] - lam, 0)).sum() + unit_best.sum() + (mu * cap).sum())
        if bound < best - 1e-9:
            best, stall = bound, 0
        else:
            stall += 1
            if stall >= STALL:
                theta, stall = theta / 2, 0
        if best - target < 1e-6 or time.perf_counter() - began > seconds:
            break
        served = np.zeros_like(lam)
        np.add.at(served, task[has_task], deploy[has_task])
        g_lam = served - cover
        norm = float((g_lam**2).sum())
        g_mu = np.zeros_like(mu)
        if capped:
            busy = deploy.any(axis=1) * personnel[:, None]  # (U, T)
            load = np.zeros_like(mu)
            mask = nation >= 0
            np.add.at(load, nation[mask], busy[mask])
            g_mu = cap - load
            norm += float((g_mu**2).sum())
        if norm == 0:
            break
        # Deflected subgradient: a share of the previous direction damps the zig-zag.
        d_lam = g_lam + MOMENTUM * d_lam
        d_mu = g_mu + MOMENTUM * d_mu
        norm = float((d_lam**2).sum() + (d_mu**2).sum()) or norm
        step = theta * (bound - target) / norm
        lam = np.clip(lam - step * d_lam, 0.0, prio[:, None])
        mu = np.maximum(mu - step * d_mu, 0.0)
    return best

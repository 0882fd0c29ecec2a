"""Monte Carlo robustness of a fixed plan: each pledged unit fails to materialise with probability 1 - p.

Coverage is recomputed for the plan with the failed units' tours removed (no re-solve per sample),
vectorised over samples with numpy; the same seed gives the same figures.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from pydantic import BaseModel, ConfigDict

from reassure.planner.index import Instance
from reassure.planner.instance import Problem, Tour

BATCH = 2000  # samples per matrix product: bounds memory at BATCH × cells


class Bin(BaseModel):
    """One histogram bin of sampled coverage."""

    model_config = ConfigDict(extra="forbid")

    low: float
    high: float
    count: int


class UnitImpact(BaseModel):
    """How much coverage depends on one unit of the plan."""

    model_config = ConfigDict(extra="forbid")

    unit: str
    probability: float
    drop_if_lost: float  # expected coverage lost if this unit fails (others random)
    expected_loss: float  # (1 - probability) × drop_if_lost


class RobustnessReport(BaseModel):
    """Distribution of a plan's coverage under pledge uncertainty, and the units that matter most."""

    model_config = ConfigDict(extra="forbid")

    samples: int
    seed: int
    plan_coverage: float
    mean: float
    p5: float
    p50: float
    minimum: float
    maximum: float
    histogram: list[Bin]
    critical: list[UnitImpact]


def _matrices(inst: Instance, tours: Sequence[Tour]) -> tuple[list[str], np.ndarray, np.ndarray, np.ndarray]:
    """Return plan units, their cover matrix (units × cells), cell demand and cell priority."""
    units = sorted({t.unit for t in tours if inst.unit(t.unit) is not None})
    row = {u: i for i, u in enumerate(units)}
    cells = [
        (k, t)
        for k, task in enumerate(inst.tasks)
        if task.priority > 0
        for t in range(inst.periods)
        if inst.demand[k][t] > 0
    ]
    col = {c: j for j, c in enumerate(cells)}
    cover = np.zeros((len(units), len(cells)), dtype=np.float32)
    for tour in tours:
        k = inst.task_index.get(tour.task)
        if k is None or tour.unit not in row:
            continue
        for t in range(max(tour.start, 0), min(tour.end, inst.periods - 1) + 1):
            j = col.get((k, t))
            if j is not None:
                cover[row[tour.unit], j] = 1.0
    demand = np.array([inst.demand[k][t] for k, t in cells], dtype=np.float32)
    prio = np.array([inst.tasks[k].priority for k, _t in cells], dtype=np.float32)
    return units, cover, demand, prio


def robustness(
    problem: Problem, tours: Sequence[Tour], *, samples: int = 10_000, seed: int = 0, bins: int = 20, top: int = 10
) -> RobustnessReport:
    """Sample unit failures and report the coverage distribution and the most critical units."""
    if samples < 1:
        raise ValueError("samples must be at least 1")
    inst = Instance(problem)
    weight = float(inst.demand_weight()) or 1.0
    units, cover, demand, prio = _matrices(inst, tours)
    probs = np.array([inst.units[inst.unit_index[u]].probability for u in units], dtype=np.float64)
    full = float(np.minimum(demand, cover.sum(axis=0)) @ prio) / weight if units else 0.0
    rng = np.random.default_rng(seed)
    coverage = np.empty(samples, dtype=np.float64)
    drop = np.zeros(len(units), dtype=np.float64)
    touched = [np.flatnonzero(cover[i]) for i in range(len(units))]
    for lo in range(0, samples, BATCH):
        n = min(BATCH, samples - lo)
        alive = rng.random((n, len(units))) < probs
        counts = alive.astype(np.float32) @ cover if units else np.zeros((n, demand.size), np.float32)
        coverage[lo : lo + n] = np.minimum(counts, demand) @ prio / weight
        for i, cells in enumerate(touched):
            if cells.size == 0:
                continue
            # Units other than i on each of i's cells; i's loss is felt where they fall short.
            others = counts[:, cells] - alive[:, i : i + 1]
            drop[i] += float(((others < demand[cells]) @ prio[cells]).sum())
    drop /= samples * weight
    if not inst.demand_weight():
        coverage[:] = 1.0  # nothing demanded: every sample covers it all
    impacts = [
        UnitImpact(unit=u, probability=float(p), drop_if_lost=float(d), expected_loss=float((1 - p) * d))
        for u, p, d in zip(units, probs, drop, strict=True)
    ]
    impacts.sort(key=lambda x: (-x.drop_if_lost, x.unit))
    counts_h, edges = np.histogram(coverage, bins=bins, range=(0.0, 1.0))
    return RobustnessReport(
        samples=samples,
        seed=seed,
        plan_coverage=full if inst.demand_weight() else 1.0,
        mean=float(coverage.mean()),
        p5=float(np.percentile(coverage, 5)),
        p50=float(np.percentile(coverage, 50)),
        minimum=float(coverage.min()),
        maximum=float(coverage.max()),
        histogram=[
            Bin(low=float(a), high=float(b), count=int(c))
            for a, b, c in zip(edges[:-1], edges[1:], counts_h, strict=True)
        ],
        critical=impacts[:top],
    )

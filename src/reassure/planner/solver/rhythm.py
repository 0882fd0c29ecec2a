"""Each unit's best schedule by dynamic programming over its own tours (numpy, vectorised over units).

A schedule is a sequence of tours, each on one compatible task inside that task's window, at most
max_tour long, with at least min_dwell idle periods between tours; cells worth NEG are forbidden.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from reassure.planner.hard_rules.compat import windows
from reassure.planner.index import Instance

NEG = -1e18


@dataclass
class Slots:
    """Per unit (rows): its compatible task slots and windows, rotation policy and personnel."""

    unit: np.ndarray  # (U,) unit index in the instance
    task: np.ndarray  # (U, S) task index, -1 where the slot is empty
    lo: np.ndarray  # (U, S)
    hi: np.ndarray  # (U, S)
    length: np.ndarray  # (U,) max_tour
    dwell: np.ndarray  # (U,) min_dwell
    personnel: np.ndarray  # (U,)

    def take(self, rows: np.ndarray) -> Slots:
        """Return the slots of some units only."""
        return Slots(*(getattr(self, f)[rows] for f in ("unit", "task", "lo", "hi", "length", "dwell", "personnel")))


def slots(inst: Instance) -> Slots | None:
    """Return the slots of every unit that may serve some task, or None if none may."""
    per_unit: dict[int, list[tuple[int, int, int]]] = {}
    for (u, k), (first, last) in sorted(windows(inst).items()):
        per_unit.setdefault(u, []).append((k, first, last))
    if not per_unit:
        return None
    units = sorted(per_unit)
    shape = (len(units), max(len(v) for v in per_unit.values()))
    task, lo, hi = np.full(shape, -1), np.zeros(shape, dtype=np.int64), np.full(shape, -1)
    for i, u in enumerate(units):
        for s, (k, a, b) in enumerate(per_unit[u]):
            task[i, s], lo[i, s], hi[i, s] = k, a, b
    return Slots(
        unit=np.array(units),
        task=task,
        lo=lo,
        hi=hi,
        length=np.array([inst.units[u].max_tour for u in units]),
        dwell=np.array([inst.units[u].min_dwell for u in units]),
        personnel=np.array([inst.units[u].personnel for u in units], dtype=np.float64),
    )


def best_schedules(
    a: Slots, value: np.ndarray, periods: int, tour_cost: float = 0.0
) -> tuple[np.ndarray, list[list[tuple[int, int, int]]]]:
    """Return each unit's best schedule value and its tours (slot, start, end) under cell values (U, S, T)."""
    n_units, n_slots = a.task.shape
    top = int(a.length.max())
    prefix = np.zeros((n_units, n_slots, periods + 1))
    np.cumsum(value, axis=2, out=prefix[:, :, 1:])
    pad = periods + top + int(a.dwell.max()) + 2
    best = np.zeros((n_units, pad))
    choice = np.full((n_units, periods), -1)  # slot * top + (length - 1), or -1 for idle
    lengths = np.arange(1, top + 1)
    rows = np.arange(n_units)[:, None]
    too_long = lengths[None, None, :] > a.length[:, None, None]
    for t in range(periods - 1, -1, -1):
        ends = np.minimum(t + lengths, periods)  # exclusive end of a tour of each length
        seg = prefix[:, :, ends] - prefix[:, :, t][:, :, None]  # (U, S, L)
        bad = (a.lo[:, :, None] > t) | (t + lengths[None, None, :] - 1 > a.hi[:, :, None]) | too_long
        after = best[rows, np.minimum(t + lengths[None, :] + a.dwell[:, None], pad - 1)]  # (U, L)
        cand = np.where(bad, NEG, seg + after[:, None, :] - tour_cost).reshape(n_units, -1)
        pick = cand.argmax(axis=1)
        gain = cand[np.arange(n_units), pick]
        take = gain > best[:, t + 1] + 1e-12
        best[:, t] = np.where(take, gain, best[:, t + 1])
        choice[:, t] = np.where(take, pick, -1)
    tours: list[list[tuple[int, int, int]]] = []
    for u in range(n_units):
        lst, t = [], 0
        while t < periods:
            c = int(choice[u, t])
            if c < 0:
                t += 1
                continue
            slot, extra = divmod(c, top)
            lst.append((slot, t, t + extra))
            t += extra + 1 + int(a.dwell[u])
        tours.append(lst)
    return best[:, 0], tours

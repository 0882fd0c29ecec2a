"""A phased mission (issue 26, docs/adr/0044): phases resolve to per-period demand when a problem is built.

A phase spans periods `start … end` (inclusive) and may change the demand of some tasks in those periods: a
`factor` times the task's base demand (rounded up: half a battalion is a battalion), or a stated number of `units`.
A task handed over to Ukrainian forces (`handover`) keeps on the coalition only the stated units, often none.
Periods outside every phase keep the base demand, so a problem without phases is unchanged.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from itertools import pairwise

MAX_FACTOR = 100.0  # the largest multiplier a phase may put on a task's demand


@dataclass(frozen=True)
class DemandRule:
    """A phase's demand on one task: `factor` × the base demand, or `units` (exactly one of the two)."""

    task: str
    factor: float | None = None
    units: int | None = None
    handover: bool = False  # the task passes to Ukrainian forces in this phase; `units` stay on the coalition

    def apply(self, base: int) -> int:
        """Return the demand in one period of the phase, from the task's base demand there."""
        if self.units is not None:
            return self.units
        factor = 1.0 if self.factor is None else self.factor
        return math.ceil(round(base * factor, 6))


@dataclass(frozen=True)
class PhaseSpec:
    """A phase with its periods and its demand rules (what a scenario states, in periods)."""

    key: str
    start: int
    end: int
    demand: Sequence[DemandRule] = field(default_factory=tuple)


def phased_demand(demand: Mapping[str, Sequence[int]], phases: Sequence[PhaseSpec]) -> dict[str, list[int]]:
    """Return each task's demand per period with the phases' rules applied (a rule naming an unknown task, or
    periods past the horizon, changes nothing there); the input is not changed."""
    out = {task: list(values) for task, values in demand.items()}
    for phase in phases:
        for rule in phase.demand:
            values = out.get(rule.task)
            if values is None:
                continue
            for period in range(max(0, phase.start), min(phase.end, len(values) - 1) + 1):
                values[period] = rule.apply(demand[rule.task][period])
    return out


def overlaps(spans: Sequence[tuple[str, int, int]]) -> list[str]:
    """Return, for phases given as (name, start, end), a sentence for each pair whose periods overlap."""
    ordered = sorted(spans, key=lambda s: (s[1], s[2]))
    return [f"{b[0]!r} starts in period {b[1]}, before {a[0]!r} ends (period {a[2]}): phases may not overlap"
            for a, b in pairwise(ordered) if b[1] <= a[2]]

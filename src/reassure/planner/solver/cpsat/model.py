"""The rotation model as linear rows over 0/1 variables, written to any solver through a Sink.

Variables: x[u, k, t] = unit u on task k in period t, only for compatible pairs inside their window;
for units with dwell >= 1 unit-level start S[u, t] and end E[u, t]; for units with zero dwell
per-task starts s[u, k, t] (back-to-back tours must stay distinguishable); covered c[k, t].
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from reassure.planner.hard_rules import ENCODERS
from reassure.planner.hard_rules.compat import windows
from reassure.planner.index import Instance
from reassure.planner.instance import Tour


class Sink(Protocol):
    """A solver back end that receives variables and linear rows."""

    def new_var(self, lb: int, ub: int) -> int:
        """Create an integer variable and return its index."""
        ...

    def add_row(self, idx: Sequence[int], coef: Sequence[int], lb: int | None, ub: int | None) -> None:
        """Add lb <= Σ coef × var <= ub (None: unbounded on that side)."""
        ...


@dataclass(frozen=True)
class Block:
    """Consecutive variable indices for periods lo … hi."""

    lo: int
    hi: int
    base: int

    def at(self, t: int) -> int | None:
        """Return the variable for period t, or None outside the block."""
        return self.base + t - self.lo if self.lo <= t <= self.hi else None

    def index(self, t: int) -> int:
        """Return the variable for period t, which must lie inside the block."""
        if not self.lo <= t <= self.hi:
            raise IndexError(f"period {t} outside {self.lo}..{self.hi}")
        return self.base + t - self.lo


HintFill = Callable[[list[int], Sequence[Tour]], None]


@dataclass
class ModelBuilder:
    """The variables of one model and the helpers the rule encoders use."""

    inst: Instance
    sink: Sink
    n_vars: int = 0
    x: dict[tuple[int, int], Block] = field(default_factory=dict)
    tasks_of: dict[int, list[int]] = field(default_factory=dict)
    units_of: dict[int, list[int]] = field(default_factory=dict)
    span: dict[int, tuple[int, int]] = field(default_factory=dict)
    starts: dict[int, Block] = field(default_factory=dict)
    ends: dict[int, Block] = field(default_factory=dict)
    task_starts: dict[tuple[int, int], Block] = field(default_factory=dict)
    cover: dict[tuple[int, int], int] = field(default_factory=dict)
    fills: list[HintFill] = field(default_factory=list)

    def new_var(self, lb: int = 0, ub: int = 1) -> int:
        """Create one variable."""
        v = self.sink.new_var(lb, ub)
        self.n_vars += 1
        return v

    def new_block(self, lo: int, hi: int) -> Block:
        """Create 0/1 variables for periods lo … hi."""
        base = self.n_vars
        for _ in range(lo, hi + 1):
            self.new_var()
        return Block(lo, hi, base)

    def add(self, idx: Sequence[int], coef: Sequence[int], lb: int | None, ub: int | None) -> None:
        """Add one linear row."""
        self.sink.add_row(idx, coef, lb, ub)

    def fix(self, var: int, value: int) -> None:
        """Fix a variable to a value."""
        self.sink.add_row([var], [1], value, value)

    def busy(self, u: int, t: int) -> list[int]:
        """Return the x variables of unit u in period t (one per compatible task)."""
        out = []
        for k in self.tasks_of.get(u, ()):
            b = self.x[(u, k)]
            if b.lo <= t <= b.hi:
                out.append(b.base + t - b.lo)
        return out

    def tour_vars(self) -> list[int]:
        """Return the start indicators whose sum is the number of tours."""
        out: list[int] = []
        for b in (*self.starts.values(), *self.task_starts.values()):
            out.extend(range(b.base, b.base + b.hi - b.lo + 1))
        return out

    def coverage_terms(self) -> tuple[list[int], list[int]]:
        """Return (variables, priorities) whose weighted sum is the covered weight."""
        idx = list(self.cover.values())
        coef = [self.inst.tasks[k].priority for (k, _t) in self.cover]
        return idx, coef


def build(inst: Instance, sink: Sink) -> ModelBuilder:
    """Create variables for compatible pairs only and add every rule's rows."""
    m = ModelBuilder(inst, sink)
    for (u, k), (lo, hi) in sorted(windows(inst).items()):
        m.x[(u, k)] = m.new_block(lo, hi)
        m.tasks_of.setdefault(u, []).append(k)
        m.units_of.setdefault(k, []).append(u)
    for u, ks in m.tasks_of.items():
        lo = min(m.x[(u, k)].lo for k in ks)
        hi = max(m.x[(u, k)].hi for k in ks)
        m.span[u] = (lo, hi)
        if inst.units[u].min_dwell >= 1:
            m.starts[u] = m.new_block(lo, hi)
            m.ends[u] = m.new_block(lo, hi)
        else:
            for k in ks:
                xb = m.x[(u, k)]
                m.task_starts[(u, k)] = m.new_block(xb.lo, xb.hi)
    for encode in ENCODERS:
        encode(m)
    _add_coverage(m)
    return m


def _add_coverage(m: ModelBuilder) -> None:
    """Add covered[k, t] <= min(demand, Σ_u x[u, k, t])."""
    for k, task in enumerate(m.inst.tasks):
        if task.priority == 0:
            continue
        for t, need in enumerate(m.inst.demand[k]):
            cells = [i for u in m.units_of.get(k, ()) if (i := m.x[(u, k)].at(t)) is not None]
            if need <= 0 or not cells:
                continue
            c = m.new_var(0, min(need, len(cells)))
            m.cover[(k, t)] = c
            m.add([c, *cells], [1] + [-1] * len(cells), None, 0)


def hint_values(m: ModelBuilder, tours: Sequence[Tour]) -> list[int]:
    """Return a value for every variable that encodes the given (valid) tours."""
    values = [0] * m.n_vars
    count: dict[tuple[int, int], int] = {}
    for tour in tours:
        u, k = m.inst.unit_index[tour.unit], m.inst.task_index[tour.task]
        xb = m.x[(u, k)]
        for t in tour.periods():
            values[xb.index(t)] = 1
            count[(k, t)] = count.get((k, t), 0) + 1
        if u in m.starts:
            values[m.starts[u].index(tour.start)] = 1
            values[m.ends[u].index(tour.end)] = 1
        else:
            values[m.task_starts[(u, k)].index(tour.start)] = 1
    for (k, t), c in m.cover.items():
        values[c] = min(m.inst.demand[k][t], count.get((k, t), 0))
    for fill in m.fills:
        fill(values, tours)
    return values


def decode(m: ModelBuilder, values: Sequence[int]) -> list[Tour]:
    """Read tours off a solution: runs of x, split at starts for zero-dwell units."""
    tours = []
    for (u, k), xb in m.x.items():
        sb = m.task_starts.get((u, k))
        begin: int | None = None
        for t in range(xb.lo, xb.hi + 2):
            on = t <= xb.hi and values[xb.index(t)] > 0
            split = on and begin is not None and sb is not None and values[sb.index(t)] > 0
            if begin is not None and (not on or split):
                tours.append(Tour(unit=m.inst.units[u].id, task=m.inst.tasks[k].id, start=begin, end=t - 1))
                begin = None
            if on and begin is None:
                begin = t
    tours.sort(key=lambda r: (r.unit, r.start, r.task))
    return tours

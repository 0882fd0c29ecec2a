"""Shared pieces of the hard rules: the violation record, tour lookups, and what an encoder sees of a model."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

from pydantic import BaseModel, ConfigDict

from reassure.planner.index import Instance
from reassure.planner.instance import Task, Tour, Unit


class VarBlock(Protocol):
    """Consecutive model variables, one per period lo … hi."""

    @property
    def lo(self) -> int:
        """The first period of the block."""
        ...

    @property
    def hi(self) -> int:
        """The last period of the block."""
        ...

    def at(self, t: int) -> int | None:
        """Return the variable for period t, or None outside the block."""
        ...

    def index(self, t: int) -> int:
        """Return the variable for period t, which must lie inside the block."""
        ...


class RuleModel(Protocol):
    """What a rule's `encode` uses of the model being built (the solver's ModelBuilder satisfies it).

    Variables: x[u, k] per compatible (unit index, task index) pair; unit-level starts and ends for units
    with dwell >= 1; per-task starts for units with zero dwell. The hard rules see the model only through
    this protocol, so they never import the solver.
    """

    @property
    def inst(self) -> Instance:
        """The instance being modelled."""
        ...

    @property
    def x(self) -> Mapping[tuple[int, int], VarBlock]:
        """Deployment variables of each compatible (unit, task) pair over its window."""
        ...

    @property
    def tasks_of(self) -> Mapping[int, Sequence[int]]:
        """The compatible tasks of each unit that has any."""
        ...

    @property
    def units_of(self) -> Mapping[int, Sequence[int]]:
        """The compatible units of each task that has any."""
        ...

    @property
    def span(self) -> Mapping[int, tuple[int, int]]:
        """The first and last period in which each unit may be deployed."""
        ...

    @property
    def starts(self) -> Mapping[int, VarBlock]:
        """Tour start indicators of units with dwell >= 1."""
        ...

    @property
    def ends(self) -> Mapping[int, VarBlock]:
        """Tour end indicators of units with dwell >= 1."""
        ...

    @property
    def task_starts(self) -> Mapping[tuple[int, int], VarBlock]:
        """Tour start indicators per (unit, task) pair of units with zero dwell."""
        ...

    def add(self, idx: Sequence[int], coef: Sequence[int], lb: int | None, ub: int | None) -> None:
        """Add lb <= Σ coef × var <= ub (None: unbounded on that side)."""
        ...

    def fix(self, var: int, value: int) -> None:
        """Fix a variable to a value."""
        ...

    def new_var(self, lb: int = 0, ub: int = 1) -> int:
        """Create an auxiliary integer variable and return its index."""
        ...

    def busy(self, u: int, t: int) -> list[int]:
        """Return the x variables of unit u in period t (one per compatible task)."""
        ...


class Violation(BaseModel):
    """One breach of a named hard rule by a plan."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    rule: str
    message: str
    unit: str | None = None
    task: str | None = None
    periods: list[int] = []


@dataclass(frozen=True)
class Placed:
    """A well-formed tour with its unit and task resolved."""

    tour: Tour
    unit: Unit
    task: Task


def resolved(inst: Instance, tours: Sequence[Tour]) -> list[Placed]:
    """Return the tours whose unit and task exist and whose periods are well formed."""
    out = []
    for t in tours:
        unit, task = inst.unit(t.unit), inst.task(t.task)
        if unit is not None and task is not None and 0 <= t.start <= t.end < inst.periods:
            out.append(Placed(t, unit, task))
    return out


def by_unit(placed: Sequence[Placed]) -> dict[str, list[Placed]]:
    """Group tours by unit, each list sorted by start."""
    groups: dict[str, list[Placed]] = defaultdict(list)
    for p in placed:
        groups[p.unit.id].append(p)
    for lst in groups.values():
        lst.sort(key=lambda p: (p.tour.start, p.tour.end))
    return dict(groups)


def violation(rule: str, message: str, tour: Tour, periods: Sequence[int] | None = None) -> Violation:
    """Build a violation tied to one tour."""
    ps = list(periods) if periods is not None else list(tour.periods())
    return Violation(rule=rule, message=message, unit=tour.unit, task=tour.task, periods=ps)


def describe(tour: Tour) -> str:
    """Return "UNIT on TASK a–b" for messages."""
    return f"{tour.unit} on {tour.task} {tour.start}–{tour.end}"


def static_check(
    inst: Instance,
    tours: Sequence[Tour],
    rule: str,
    allows: Callable[[Instance, Unit, Task], bool],
    why_not: Callable[[Instance, Unit, Task], str],
) -> list[Violation]:
    """Check a rule that depends only on the (unit, task) pair of each tour."""
    return [
        violation(rule, f"{describe(p.tour)}: {p.unit.id} {why_not(inst, p.unit, p.task)}", p.tour)
        for p in resolved(inst, tours)
        if not allows(inst, p.unit, p.task)
    ]


def crew(inst: Instance, tours: Sequence[Tour]) -> dict[tuple[int, int], list[Unit]]:
    """Return the distinct units on each (task index, period) cell that has any, in tour order."""
    out: dict[tuple[int, int], list[Unit]] = defaultdict(list)
    seen: set[tuple[str, int, int]] = set()
    for p in resolved(inst, tours):
        k = inst.task_index[p.task.id]
        for t in p.tour.periods():
            if (p.unit.id, k, t) not in seen:
                seen.add((p.unit.id, k, t))
                out[(k, t)].append(p.unit)
    return dict(out)


def runs(periods: Sequence[int]) -> list[tuple[int, int]]:
    """Group sorted periods into (first, last) runs of consecutive periods."""
    out: list[tuple[int, int]] = []
    for t in periods:
        if out and out[-1][1] == t - 1:
            out[-1] = (out[-1][0], t)
        else:
            out.append((t, t))
    return out


@dataclass(frozen=True)
class Offence:
    """A cell (task index, period) that breaks a rule coupling several units, and the units whose removal helps.

    The repair (hard_rules/repair.py) takes units out of the cell one at a time until no offence is left.
    """

    task: int
    period: int
    remove: tuple[str, ...]


CellTest = Callable[[int, int], tuple[str, ...]]  # (task index, period) -> the units that may go, () when it holds


def cell_offences(cells: Mapping[tuple[int, int], Sequence[Unit]], at: CellTest) -> list[Offence]:
    """Return an offence for each manned cell a coupling rule's test finds broken, in (task, period) order."""
    return [Offence(k, t, found) for k, t in sorted(cells) if (found := at(k, t))]


def run_violations(inst: Instance, offences: Sequence[Offence], rule: str,
                   message: Callable[[int, int, int], str]) -> list[Violation]:
    """Return one violation per task and run of consecutive offending periods; `message(k, first, last)` says it."""
    bad: dict[int, list[int]] = {}
    for o in offences:
        bad.setdefault(o.task, []).append(o.period)
    return [Violation(rule=rule, message=message(k, a, b), task=inst.tasks[k].id, periods=list(range(a, b + 1)))
            for k, periods in sorted(bad.items()) for a, b in runs(periods)]

"""Shared pieces of the hard rules: the violation record and tour lookups."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from pydantic import BaseModel, ConfigDict

from reassure.planner.index import Instance
from reassure.planner.instance import Task, Tour, Unit


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

"""Rule legal_prerequisite: the task's required instruments are in force when a tour starts."""

from __future__ import annotations

from collections.abc import Sequence

from reassure.planner.hard_rules.base import Violation, describe, resolved, violation
from reassure.planner.index import Instance
from reassure.planner.instance import Task, Tour, Unit

NAME = "legal_prerequisite"
SUMMARY = "every kind in requires_legal is in force (nation → UKR) at the tour's start"


def earliest_start(inst: Instance, unit: Unit, task: Task) -> int | None:
    """Return the first period a tour of the unit on the task may start, or None if never."""
    first = 0
    for kind in task.requires_legal:
        since = inst.legal_from.get((unit.nation, kind))
        if since is None:
            return None
        first = max(first, since)
    return first


def missing_at(inst: Instance, unit: Unit, task: Task, start: int) -> list[str]:
    """Return the required instrument kinds not in force at a start period."""
    out = []
    for kind in task.requires_legal:
        since = inst.legal_from.get((unit.nation, kind))
        if since is None or since > start:
            out.append(kind if since is None else f"{kind} (in force from {since})")
    return out


def check(inst: Instance, tours: Sequence[Tour]) -> list[Violation]:
    """Return a violation for every tour starting before its legal prerequisites are in force."""
    out = []
    for p in resolved(inst, tours):
        missing = missing_at(inst, p.unit, p.task, p.tour.start)
        if missing:
            msg = f"{describe(p.tour)}: {p.unit.nation} has no {', '.join(missing)} with UKR at the start"
            out.append(violation(NAME, msg, p.tour, [p.tour.start]))
    return out

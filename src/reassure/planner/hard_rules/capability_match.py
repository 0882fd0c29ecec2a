"""Rule capability_match: the unit's capability equals the task's."""

from __future__ import annotations

from collections.abc import Sequence

from reassure.planner.hard_rules.base import Violation, static_check
from reassure.planner.index import Instance
from reassure.planner.instance import Task, Tour, Unit

NAME = "capability_match"
SUMMARY = "the unit's capability equals the task's"


def allows(inst: Instance, unit: Unit, task: Task) -> bool:
    """Tell whether the unit has the capability the task needs."""
    return unit.capability == task.capability


def why_not(inst: Instance, unit: Unit, task: Task) -> str:
    """Say why the pair breaks the rule."""
    return f"is a {unit.capability}, the task needs a {task.capability}"


def check(inst: Instance, tours: Sequence[Tour]) -> list[Violation]:
    """Return a violation for every tour whose unit has the wrong capability."""
    return static_check(inst, tours, NAME, allows, why_not)

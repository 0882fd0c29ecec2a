"""Rule bilateral_partners: a bilateral task (component "bilateral") is served only by its partner nations."""

from __future__ import annotations

from collections.abc import Sequence

from reassure.planner.hard_rules.base import Violation, static_check
from reassure.planner.index import Instance
from reassure.planner.instance import Task, Tour, Unit

NAME = "bilateral_partners"
SUMMARY = "a bilateral task (tasks[].component) is served only by nations in tasks[].partners"


def allows(inst: Instance, unit: Unit, task: Task) -> bool:
    """Tell whether the unit's nation may serve the task under its component arrangement."""
    return task.component != "bilateral" or unit.nation in (task.partners or [])


def why_not(inst: Instance, unit: Unit, task: Task) -> str:
    """Say why the pair breaks the rule."""
    return f"is from {unit.nation}, {task.id} is a bilateral component of {' and '.join(task.partners or [])}"


def check(inst: Instance, tours: Sequence[Tour]) -> list[Violation]:
    """Return a violation for every tour of a non-partner nation on a bilateral task."""
    return static_check(inst, tours, NAME, allows, why_not)

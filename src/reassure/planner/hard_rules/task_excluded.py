"""Rule task_excluded: the task is not excluded by one of the unit's caveats."""

from __future__ import annotations

from collections.abc import Sequence

from reassure.planner.hard_rules.base import Violation, static_check
from reassure.planner.index import Instance
from reassure.planner.instance import Task, Tour, Unit

NAME = "task_excluded"
SUMMARY = "the task is not in the unit's exclude_tasks (caveat)"


def allows(inst: Instance, unit: Unit, task: Task) -> bool:
    """Tell whether no caveat of the unit excludes the task."""
    return task.id not in unit.exclude_tasks


def why_not(inst: Instance, unit: Unit, task: Task) -> str:
    """Say why the pair breaks the rule."""
    return f"excludes {task.id} by caveat"


def check(inst: Instance, tours: Sequence[Tour]) -> list[Violation]:
    """Return a violation for every tour on a task its unit's caveats exclude."""
    return static_check(inst, tours, NAME, allows, why_not)

"""Rule nation_allowed: the unit's nation is allowed by the task's nations list."""

from __future__ import annotations

from collections.abc import Sequence

from reassure.planner.hard_rules.base import Violation, static_check
from reassure.planner.index import Instance
from reassure.planner.instance import Task, Tour, Unit

NAME = "nation_allowed"
SUMMARY = "the unit's nation is allowed by tasks[].nations"


def allows(inst: Instance, unit: Unit, task: Task) -> bool:
    """Tell whether the task accepts the unit's nation."""
    return task.nations is None or unit.nation in task.nations


def why_not(inst: Instance, unit: Unit, task: Task) -> str:
    """Say why the pair breaks the rule."""
    return f"is from {unit.nation}, {task.id} is reserved for {', '.join(task.nations or [])}"


def check(inst: Instance, tours: Sequence[Tour]) -> list[Violation]:
    """Return a violation for every tour whose nation the task does not accept."""
    return static_check(inst, tours, NAME, allows, why_not)

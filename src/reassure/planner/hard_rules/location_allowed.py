"""Rule location_allowed: the task's location is one of the unit's allowed locations."""

from __future__ import annotations

from collections.abc import Sequence

from reassure.planner.hard_rules.base import Violation, static_check
from reassure.planner.index import Instance
from reassure.planner.instance import Task, Tour, Unit

NAME = "location_allowed"
SUMMARY = "the task's location is in the unit's locations"


def allows(inst: Instance, unit: Unit, task: Task) -> bool:
    """Tell whether the unit may serve where the task is."""
    return task.location in unit.locations


def why_not(inst: Instance, unit: Unit, task: Task) -> str:
    """Say why the pair breaks the rule."""
    return f"may not serve '{task.location}' (allowed: {', '.join(unit.locations) or 'none'})"


def check(inst: Instance, tours: Sequence[Tour]) -> list[Violation]:
    """Return a violation for every tour at a location its unit may not serve."""
    return static_check(inst, tours, NAME, allows, why_not)

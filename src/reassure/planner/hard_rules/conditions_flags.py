"""Rule conditions_flags: every condition flag the unit names is true in the scenario."""

from __future__ import annotations

from collections.abc import Sequence

from reassure.planner.hard_rules.base import Violation, static_check
from reassure.planner.index import Instance
from reassure.planner.instance import Task, Tour, Unit

NAME = "conditions_flags"
SUMMARY = "all of the unit's conditions flags are true"


def allows(inst: Instance, unit: Unit, task: Task) -> bool:
    """Tell whether all the unit's conditions hold."""
    return all(inst.flag(c) for c in unit.conditions)


def why_not(inst: Instance, unit: Unit, task: Task) -> str:
    """Say why the pair breaks the rule."""
    unmet = [c for c in unit.conditions if not inst.flag(c)]
    return f"is conditional on {', '.join(unmet)} (false)"


def check(inst: Instance, tours: Sequence[Tour]) -> list[Violation]:
    """Return a violation for every tour whose unit's conditions are not met."""
    return static_check(inst, tours, NAME, allows, why_not)

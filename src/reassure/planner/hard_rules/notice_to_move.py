"""Rule notice_to_move: a unit's first tour starts no earlier than its notice after the decision period.

`units[].notice` counts periods from `horizon.decision` (both default 0). A unit with a frozen tour is already
deployed (or ordered), so its notice has run: the rule does not apply to it.
"""

from __future__ import annotations

from collections.abc import Sequence

from reassure.planner.hard_rules.base import Violation, describe, resolved, violation
from reassure.planner.index import Instance
from reassure.planner.instance import Tour, Unit

NAME = "notice_to_move"
SUMMARY = "no tour starts before horizon.decision + units[].notice (units with frozen tours excepted)"


def ready_from(inst: Instance, unit: Unit) -> int:
    """Return the first period the unit may start a tour (0 for a unit already deployed by a frozen tour)."""
    if unit.id in inst.frozen_units:
        return 0
    return inst.ready_from(unit)


def check(inst: Instance, tours: Sequence[Tour]) -> list[Violation]:
    """Return a violation for every tour starting before its unit is ready."""
    out = []
    for p in resolved(inst, tours):
        ready = ready_from(inst, p.unit)
        if p.tour.start < ready:
            msg = (
                f"{describe(p.tour)}: {p.unit.id} needs {p.unit.notice} periods' notice from period "
                f"{inst.problem.horizon.decision}, ready from {ready}"
            )
            out.append(violation(NAME, msg, p.tour, list(range(p.tour.start, min(ready, p.tour.end + 1)))))
    return out

"""Rule availability_window: a tour lies inside its unit's availability window."""

from __future__ import annotations

from collections.abc import Sequence

from reassure.planner.hard_rules.base import Violation, describe, resolved, violation
from reassure.planner.index import Instance
from reassure.planner.instance import Tour, Unit

NAME = "availability_window"
SUMMARY = "the tour lies inside available_from … available_to"


def window(inst: Instance, unit: Unit) -> tuple[int, int] | None:
    """Return the periods of the horizon in which the unit is available, or None."""
    lo, hi = unit.available_from, min(unit.available_to, inst.periods - 1)
    return (lo, hi) if lo <= hi else None


def check(inst: Instance, tours: Sequence[Tour]) -> list[Violation]:
    """Return a violation for every tour reaching outside its unit's availability."""
    out = []
    for p in resolved(inst, tours):
        u, t = p.unit, p.tour
        outside = [x for x in t.periods() if not u.available_from <= x <= u.available_to]
        if outside:
            msg = f"{describe(t)}: {u.id} is available only {u.available_from}–{u.available_to}"
            out.append(violation(NAME, msg, t, outside))
    return out

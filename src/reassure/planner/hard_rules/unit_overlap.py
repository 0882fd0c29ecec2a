"""Rule unit_overlap: a unit is never on two tours at once."""

from __future__ import annotations

from collections.abc import Sequence

from reassure.planner.hard_rules.base import RuleModel, Violation, by_unit, describe, resolved, violation
from reassure.planner.index import Instance
from reassure.planner.instance import Tour

NAME = "unit_overlap"
SUMMARY = "a unit is on at most one tour in any period"


def check(inst: Instance, tours: Sequence[Tour]) -> list[Violation]:
    """Return a violation for every pair of tours of one unit that share a period."""
    out = []
    for lst in by_unit(resolved(inst, tours)).values():
        for i, a in enumerate(lst):
            for b in lst[i + 1 :]:
                if b.tour.start > a.tour.end:
                    break
                shared = range(b.tour.start, min(a.tour.end, b.tour.end) + 1)
                msg = f"{describe(a.tour)} overlaps {describe(b.tour)}"
                out.append(violation(NAME, msg, b.tour, shared))
    return out


def encode(m: RuleModel) -> None:
    """Allow at most one task per unit and period.

    Units with a dwell of one or more get this from min_dwell's rows, which include busy[t] <= 1.
    """
    for u, (lo, hi) in m.span.items():
        if u in m.starts or len(m.tasks_of[u]) < 2:
            continue
        for t in range(lo, hi + 1):
            now = m.busy(u, t)
            if len(now) > 1:
                m.add(now, [1] * len(now), None, 1)

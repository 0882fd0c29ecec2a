"""Rule max_tour: a tour lasts at most the unit's max_tour periods."""

from __future__ import annotations

from collections.abc import Sequence

from reassure.planner.hard_rules.base import RuleModel, Violation, describe, resolved, violation
from reassure.planner.index import Instance
from reassure.planner.instance import Tour

NAME = "max_tour"
SUMMARY = "end - start + 1 <= max_tour"


def check(inst: Instance, tours: Sequence[Tour]) -> list[Violation]:
    """Return a violation for every tour longer than its unit's max_tour."""
    out = []
    for p in resolved(inst, tours):
        length = p.tour.end - p.tour.start + 1
        if length > p.unit.max_tour:
            msg = f"{describe(p.tour)} lasts {length} periods, its longest tour is {p.unit.max_tour}"
            out.append(violation(NAME, msg, p.tour))
    return out


def encode(m: RuleModel) -> None:
    """Require a start within the last max_tour periods wherever a unit is deployed."""
    for u, (lo, _hi) in m.span.items():
        length = m.inst.units[u].max_tour
        starts = m.starts.get(u)
        if starts is not None:
            # Runs of busy[u] are whole tours (see tour_shape), so one row per period suffices.
            for t in range(lo + length, starts.hi + 1):
                now = m.busy(u, t)
                window = [starts.index(x) for x in range(t - length + 1, t + 1)]
                m.add(now + window, [1] * len(now) + [-1] * len(window), None, 0)
            continue
        for k in m.tasks_of[u]:
            xb, sb = m.x[(u, k)], m.task_starts[(u, k)]
            for t in range(xb.lo + length, xb.hi + 1):
                window = [sb.index(x) for x in range(t - length + 1, t + 1)]
                m.add([xb.index(t), *window], [1] + [-1] * len(window), None, 0)

"""Rule min_dwell: two tours of a unit are separated by at least min_dwell idle periods."""

from __future__ import annotations

from collections.abc import Sequence
from itertools import pairwise

from reassure.planner.hard_rules.base import RuleModel, Violation, by_unit, describe, resolved, violation
from reassure.planner.index import Instance
from reassure.planner.instance import Tour

NAME = "min_dwell"
SUMMARY = "consecutive tours of a unit have at least min_dwell idle periods between them"


def check(inst: Instance, tours: Sequence[Tour]) -> list[Violation]:
    """Return a violation for every tour that starts too soon after the unit's previous tour."""
    out = []
    for lst in by_unit(resolved(inst, tours)).values():
        for a, b in pairwise(lst):
            idle = b.tour.start - a.tour.end - 1
            if 0 <= idle < a.unit.min_dwell:
                msg = (
                    f"{describe(b.tour)} starts {idle} idle period(s) after {describe(a.tour)}, "
                    f"its minimum rest is {a.unit.min_dwell}"
                )
                out.append(violation(NAME, msg, b.tour, range(a.tour.end + 1, b.tour.start + 1)))
    return out


def encode(m: RuleModel) -> None:
    """Mark tour ends, then forbid deployment in the min_dwell periods after an end.

    Leaving a task at t forces end[t]; because the row at t+1 then forbids any deployment, a unit
    cannot switch tasks without dwell, which also makes each run of deployment a single tour.
    """
    for u, ends in m.ends.items():
        dwell = m.inst.units[u].min_dwell
        for k in m.tasks_of[u]:
            xb = m.x[(u, k)]
            for t in range(xb.lo, xb.hi + 1):
                nxt = xb.at(t + 1)
                idx = [xb.index(t), ends.index(t)] + ([nxt] if nxt is not None else [])
                m.add(idx, [1, -1] + ([-1] if nxt is not None else []), None, 0)
        for t in range(ends.lo, ends.hi + 1):
            now = m.busy(u, t)
            recent = [ends.index(x) for x in range(max(ends.lo, t - dwell), t)]
            if len(now) + len(recent) > 1:
                m.add(now + recent, [1] * (len(now) + len(recent)), None, 1)

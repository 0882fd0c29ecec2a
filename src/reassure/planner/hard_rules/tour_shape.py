"""Rule tour_shape: a tour is one known unit on one known task for consecutive periods in the horizon.

In the model a tour is a run of ones in x[unit, task, ·]; this module ties the start indicators to
those runs so that the number of tours can be counted and bounded.
"""

from __future__ import annotations

from collections.abc import Sequence

from reassure.planner.hard_rules.base import RuleModel, Violation
from reassure.planner.index import Instance
from reassure.planner.instance import Tour

NAME = "tour_shape"
SUMMARY = "a tour is one known unit on one known task for consecutive periods start … end"


def check(inst: Instance, tours: Sequence[Tour]) -> list[Violation]:
    """Return a violation for every tour with an unknown unit or task or bad periods."""
    out = []
    for t in tours:
        problems = []
        if inst.unit(t.unit) is None:
            problems.append(f"unknown unit {t.unit!r}")
        if inst.task(t.task) is None:
            problems.append(f"unknown task {t.task!r}")
        if t.start > t.end:
            problems.append(f"start {t.start} is after end {t.end}")
        elif t.start < 0 or t.end >= inst.periods:
            problems.append(f"periods {t.start}–{t.end} leave the horizon 0–{inst.periods - 1}")
        if problems:
            out.append(Violation(rule=NAME, message="; ".join(problems), unit=t.unit, task=t.task))
    return out


def encode(m: RuleModel) -> None:
    """Tie start indicators to the runs of deployment they begin.

    With dwell >= 1, runs of busy[u] are whole tours, so busy[t] - busy[t-1] = S[t] - E[t-1] holds
    exactly; as an equality it also makes the LP relaxation respect the tour/dwell rhythm.
    With zero dwell a new tour may follow at once, so only s[t] >= x[t] - x[t-1] is imposed.
    """
    for u, (lo, hi) in m.span.items():
        if u in m.starts:
            starts, ends = m.starts[u], m.ends[u]
            for t in range(lo, hi + 1):
                now, before = m.busy(u, t), m.busy(u, t - 1)
                idx = [*now, *before, starts.index(t)]
                coef = [1] * len(now) + [-1] * len(before) + [-1]
                if t > lo:
                    idx.append(ends.index(t - 1))
                    coef.append(1)
                m.add(idx, coef, 0, 0)
        for k in m.tasks_of[u]:
            block = m.task_starts.get((u, k))
            if block is None:
                continue
            xb = m.x[(u, k)]
            for t in range(xb.lo, xb.hi + 1):
                prev = xb.at(t - 1)
                idx = [xb.index(t), block.index(t)] + ([prev] if prev is not None else [])
                m.add(idx, [1, -1] + ([-1] if prev is not None else []), None, 0)

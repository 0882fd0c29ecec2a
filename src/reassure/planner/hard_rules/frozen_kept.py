"""Rule frozen_kept: every frozen tour appears in the plan exactly as given."""

from __future__ import annotations

from collections.abc import Sequence

from reassure.planner.hard_rules.base import RuleModel, Violation, describe, violation
from reassure.planner.index import Instance
from reassure.planner.instance import Tour

NAME = "frozen_kept"
SUMMARY = "frozen tours are kept with the same unit, task, start and end"


def check(inst: Instance, tours: Sequence[Tour]) -> list[Violation]:
    """Return a violation for every frozen tour missing from the plan."""
    present = {t.key() for t in tours}
    return [
        violation(NAME, f"frozen tour {describe(f)} is not in the plan", f)
        for f in inst.problem.frozen
        if f.key() not in present
    ]


class FrozenUnplaceable(ValueError):
    """A frozen tour has no variables: its unit can never serve that task then."""


def encode(m: RuleModel) -> None:
    """Fix the cells, start and end of every frozen tour."""
    for f in m.inst.problem.frozen:
        u, k = m.inst.unit_index[f.unit], m.inst.task_index[f.task]
        xb = m.x.get((u, k))
        if xb is None or xb.at(f.start) is None or xb.at(f.end) is None:
            raise FrozenUnplaceable(f"frozen tour {describe(f)} cannot be placed")
        for t in f.periods():
            m.fix(xb.index(t), 1)
        before, after = xb.at(f.start - 1), xb.at(f.end + 1)
        sb = m.task_starts.get((u, k))
        if sb is None:
            # With dwell >= 1 runs are tours, so the neighbours must be idle on this task.
            for v in (before, after):
                if v is not None:
                    m.fix(v, 0)
            continue
        m.fix(sb.index(f.start), 1)
        for t in range(f.start + 1, f.end + 1):
            m.fix(sb.index(t), 0)
        if after is not None:
            # With zero dwell another tour may follow at once, but only as a new tour.
            m.add([after, sb.index(f.end + 1)], [1, -1], None, 0)

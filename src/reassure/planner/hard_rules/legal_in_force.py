"""Rule legal_in_force: the task's required instruments stay in force for every period of a tour.

`legal[].in_force_to` (optional) is the last period an instrument is in force; after it lapses the unit cannot
serve on tasks that need it. `legal_prerequisite` checks the start; this rule checks every later period.
"""

from __future__ import annotations

from collections.abc import Sequence

from reassure.planner.hard_rules import legal_prerequisite
from reassure.planner.hard_rules.base import Violation, describe, resolved, violation
from reassure.planner.index import Instance
from reassure.planner.instance import Task, Tour, Unit

NAME = "legal_in_force"
SUMMARY = "every kind in requires_legal stays in force (in_force_to) through the tour"


def lapses(inst: Instance, unit: Unit, task: Task) -> bool:
    """Tell whether any instrument the pair needs has an end date (otherwise nothing can lapse)."""
    return any(
        to is not None for kind in task.requires_legal for _a, to in inst.legal_spans.get((unit.nation, kind), ())
    )


def lapsed_at(inst: Instance, unit: Unit, task: Task, t: int) -> list[str]:
    """Return the required kinds not in force in period t."""
    return [kind for kind in task.requires_legal if not inst.legal_in_force(unit.nation, kind, t)]


def run(inst: Instance, unit: Unit, task: Task, lo: int, hi: int) -> tuple[int, int] | None:
    """Return the first run of periods in lo … hi in which every required instrument is in force, or None."""
    if not lapses(inst, unit, task):
        return (lo, hi) if lo <= hi else None
    first: int | None = None
    for t in range(lo, hi + 1):
        ok = not lapsed_at(inst, unit, task, t)
        if ok and first is None:
            first = t
        elif not ok and first is not None:
            return first, t - 1
    return (first, hi) if first is not None else None


def lapse_of(inst: Instance, unit: Unit, task: Task, t: int) -> str:
    """Describe the instruments that have lapsed by period t, e.g. "SOFA (lapsed after 11)"."""
    out = []
    for kind in lapsed_at(inst, unit, task, t):
        ends = [to for a, to in inst.legal_spans.get((unit.nation, kind), ()) if to is not None and to < t and a <= t]
        out.append(f"{kind} (lapsed after {max(ends)})" if ends else kind)
    return ", ".join(out)


def check(inst: Instance, tours: Sequence[Tour]) -> list[Violation]:
    """Return a violation for every tour running on after a required instrument lapses."""
    out = []
    for p in resolved(inst, tours):
        if not p.task.requires_legal or legal_prerequisite.missing_at(inst, p.unit, p.task, p.tour.start):
            continue  # nothing required, or already reported by legal_prerequisite
        bad = [t for t in p.tour.periods() if lapsed_at(inst, p.unit, p.task, t)]
        if bad:
            kinds = lapse_of(inst, p.unit, p.task, bad[0])
            msg = f"{describe(p.tour)}: {p.unit.nation}'s {kinds} with UKR is not in force in period {bad[0]}"
            out.append(violation(NAME, msg, p.tour, bad))
    return out

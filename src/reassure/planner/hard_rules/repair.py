"""Make any set of tours respect the rules that couple several units on one cell, by taking units out.

Lead nation, min_nations, max_share and command_chain hold over the units of a (task, period) cell together, so
a solver path that plans unit by unit (greedy, local search, column generation, rounding) can break them. The
repair removes, one at a time, the unit of an offending cell whose removal loses least covered weight: its tour
is cut at the period (keeping the side that covers more) or dropped. A shorter tour keeps every other rule (a
later start or an earlier end only helps), frozen tours are never touched, and each step shortens the plan, so
the repair ends. Where no task uses a coupling rule it returns the tours unchanged at once.
"""

from __future__ import annotations

from collections.abc import Sequence

from reassure.planner.hard_rules import command_chain, lead_nation, max_share, min_nations
from reassure.planner.hard_rules.base import Offence, crew
from reassure.planner.hard_rules.score import on_task
from reassure.planner.index import Instance
from reassure.planner.instance import Tour

COUPLED = (lead_nation, min_nations, max_share, command_chain)


def coupled(inst: Instance) -> bool:
    """Tell whether any task uses a rule that couples several units on one cell."""
    return bool(inst.children) or any(
        t.lead is not None or t.min_nations is not None or t.max_share is not None for t in inst.tasks
    )


def offences(inst: Instance, tours: Sequence[Tour]) -> list[Offence]:
    """Return every offending cell of the coupling rules, rule by rule."""
    cells = crew(inst, tours)
    return [o for rule in COUPLED for o in rule.offences(inst, cells)]


def repair(inst: Instance, tours: Sequence[Tour]) -> list[Tour]:
    """Return the tours with units taken out of offending cells until no coupling rule is broken.

    Cells whose only removable units are frozen are left as they are (the validator reports them).
    """
    current = list(tours)
    if not coupled(inst):
        return current
    frozen = {f.key() for f in inst.problem.frozen}
    stuck: set[tuple[int, int]] = set()
    counts = on_task(inst, current)
    while True:
        todo = [o for o in offences(inst, current) if (o.task, o.period) not in stuck]
        if not todo:
            return current
        o = todo[0]
        best: tuple[int, int, Tour | None] | None = None
        task_id = inst.tasks[o.task].id
        for i, tour in enumerate(current):
            if tour.task != task_id or tour.unit not in o.remove or not tour.start <= o.period <= tour.end:
                continue
            if tour.key() in frozen:
                continue
            for keep in (_cut(tour, tour.start, o.period - 1), _cut(tour, o.period + 1, tour.end)):
                lost = _weight(inst, counts, tour) - _weight(inst, counts, keep)
                if best is None or lost < best[0]:
                    best = (lost, i, keep)
        if best is None:
            stuck.add((o.task, o.period))
            continue
        _, i, keep = best
        k = inst.task_index[current[i].task]
        for t in current[i].periods():
            counts[k][t] -= 1
        if keep is None:
            current.pop(i)
        else:
            current[i] = keep
            for t in keep.periods():
                counts[k][t] += 1


def _cut(tour: Tour, start: int, end: int) -> Tour | None:
    return tour.model_copy(update={"start": start, "end": end}) if start <= end else None


def _weight(inst: Instance, counts: list[list[int]], tour: Tour | None) -> int:
    """Return the covered weight a tour contributes, given counts that include it."""
    if tour is None:
        return 0
    k = inst.task_index[tour.task]
    prio = inst.tasks[k].priority
    return sum(prio for t in tour.periods() if counts[k][t] <= inst.demand[k][t])

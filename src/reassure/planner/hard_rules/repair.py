"""Make any set of tours respect the rules that couple several units on one cell, by taking units out.

Lead nation, min_nations, max_share and command_chain hold over the units of a (task, period) cell together, so
a solver path that plans unit by unit (greedy, local search, column generation, rounding) can break them. The
repair removes, one at a time, the unit of an offending cell whose removal loses least covered weight: its tour
is cut at the period (keeping the side that covers more) or dropped. A shorter tour keeps every other rule (a
later start or an earlier end only helps), frozen tours are never touched, and each step shortens the plan, so
the repair ends. Only the cells a cut changed (and their headquarters' cells) are looked at again. Where no task
uses a coupling rule it returns the tours unchanged at once.
"""

from __future__ import annotations

import heapq
from collections.abc import Sequence

from reassure.planner.hard_rules import command_chain, lead_nation, max_share, min_nations
from reassure.planner.hard_rules.base import Offence, crew
from reassure.planner.hard_rules.score import cut, on_task, tour_weight
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
    if not coupled(inst):
        return list(tours)
    frozen = {f.key() for f in inst.problem.frozen}
    live: dict[int, Tour] = dict(enumerate(tours))
    on: dict[tuple[int, int], set[int]] = {}  # cell -> ids of the live tours covering it
    for i, tour in live.items():
        k = inst.task_index.get(tour.task)
        if k is not None:
            for t in tour.periods():
                on.setdefault((k, t), set()).add(i)
    cells = {key: list(units) for key, units in crew(inst, tours).items()}
    counts = on_task(inst, tours)
    parent_of = {c: hq for hq, kids in inst.children.items() for c in kids}
    todo = sorted(cells) + sorted((hq, t) for hq in inst.children for t in range(inst.periods))
    heapq.heapify(todo)
    queued = set(todo)
    next_id = len(live)
    while todo:
        k, t = heapq.heappop(todo)
        queued.discard((k, t))
        remove: tuple[str, ...] = ()
        for rule in COUPLED:
            remove = rule.at(inst, cells, k, t)
            if remove:
                break
        if not remove:
            continue
        best: tuple[int, int, Tour | None] | None = None
        for i in sorted(on.get((k, t), ())):
            tour = live[i]
            if tour.unit not in remove or tour.key() in frozen:
                continue
            for keep in (cut(tour, tour.start, t - 1), cut(tour, t + 1, tour.end)):
                lost = tour_weight(inst, counts, tour) - tour_weight(inst, counts, keep)
                if best is None or lost < best[0]:
                    best = (lost, i, keep)
        if best is None:
            continue  # only frozen tours could go: left for the validator to report
        _, i, keep = best
        old = live.pop(i)
        kept = set(keep.periods()) if keep is not None else set()
        if keep is not None:
            live[next_id] = keep
        for p in old.periods():
            on[(k, p)].discard(i)
            if keep is not None and p in kept:
                on[(k, p)].add(next_id)
                continue
            counts[k][p] -= 1
            cells[(k, p)] = [u for u in cells.get((k, p), []) if u.id != old.unit]
            hq = parent_of.get(k)
            for cell in ((k, p), *(((hq, p),) if hq is not None else ())):
                if cell not in queued:
                    queued.add(cell)
                    heapq.heappush(todo, cell)
        next_id += 1
    return [live[i] for i in sorted(live)]



"""Split a problem into independent parts: units and tasks linked by compatibility.

Parts share nothing but nations' personnel caps, so each part is solved on its own with the caps as
they stand (a relaxation whose bounds add up to a bound on the whole), and the caps are re-checked
jointly afterwards.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from reassure.planner.hard_rules.compat import windows
from reassure.planner.hard_rules.personnel_cap import deployed
from reassure.planner.hard_rules.score import cut, on_task, tour_weight
from reassure.planner.index import Instance
from reassure.planner.instance import Tour


@dataclass(frozen=True)
class Part:
    """A connected set of units and tasks (indices into the full instance)."""

    units: tuple[int, ...]
    tasks: tuple[int, ...]
    size: int  # number of (unit, task, period) cells, a proxy for solve effort


def parts(inst: Instance) -> list[Part]:
    """Return the connected components of the unit-task compatibility graph that have any cells."""
    win = windows(inst)
    parent = list(range(len(inst.units) + len(inst.tasks)))

    def find(a: int) -> int:
        while parent[a] != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a

    offset = len(inst.units)
    links = [(u, offset + k) for u, k in win]
    # A headquarters task and the components it commands are planned together (hard_rules/command_chain.py).
    links += [(offset + hq, offset + c) for hq, kids in sorted(inst.children.items()) for c in kids]
    for a, b in links:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[ra] = rb
    groups: dict[int, tuple[list[int], list[int], list[int]]] = {}
    for (u, _k), (lo, hi) in win.items():
        g = groups.setdefault(find(u), ([], [], [0]))
        g[2][0] += hi - lo + 1
    for u in range(len(inst.units)):
        if find(u) in groups:
            groups[find(u)][0].append(u)
    for k in range(len(inst.tasks)):
        if find(offset + k) in groups:
            groups[find(offset + k)][1].append(k)
    out = [Part(tuple(us), tuple(ks), size[0]) for us, ks, size in groups.values()]
    # Smallest first: time a small part does not need rolls over to the larger ones.
    return sorted(out, key=lambda p: p.size)


def sub_instance(inst: Instance, part: Part, reserved: dict[str, list[int]] | None = None) -> Instance:
    """Return the instance restricted to one part, with caps reduced by personnel deployed elsewhere."""
    unit_ids = {inst.units[u].id for u in part.units}
    task_ids = {inst.tasks[k].id for k in part.tasks}
    sub = inst.problem.model_copy(
        update={
            "tasks": [inst.tasks[k] for k in part.tasks],
            "units": [inst.units[u] for u in part.units],
            "frozen": [f for f in inst.problem.frozen if f.unit in unit_ids and f.task in task_ids],
        }
    )
    return Instance(sub, reserved or {})


def tours_of(part: Part, inst: Instance, tours: Iterable[Tour]) -> list[Tour]:
    """Return the tours whose unit belongs to the part."""
    ids = {inst.units[u].id for u in part.units}
    return [t for t in tours if t.unit in ids]


def load_except(inst: Instance, chosen: Sequence[Sequence[Tour]], skip: int) -> dict[str, list[int]]:
    """Return personnel deployed per nation and period by every part's tours but one."""
    others = [t for i, lst in enumerate(chosen) if i != skip for t in lst]
    return deployed(inst, others)


def over_caps(inst: Instance, tours: Sequence[Tour]) -> set[str]:
    """Return the nations whose personnel cap the tours exceed in some period."""
    out = set()
    for nation, load in deployed(inst, tours).items():
        cap = inst.caps.get(nation)
        if cap is not None and any(v > cap for v in load):
            out.add(nation)
    return out


def trim_to_caps(inst: Instance, tours: Sequence[Tour]) -> list[Tour]:
    """Shorten or drop tours until no personnel cap is exceeded, losing as little coverage as possible.

    A tour is cut at an offending period, keeping whichever side covers more weight; shorter tours
    keep every other rule (a later start only helps the legal rule), so the result stays valid.
    """
    current = list(tours)
    counts = on_task(inst, current)
    while True:
        load = deployed(inst, current)
        worst = _first_excess(inst, load)
        if worst is None:
            return current
        nation, t = worst
        best: tuple[int, int, Tour | None] | None = None
        for i, tour in enumerate(current):
            unit = inst.unit(tour.unit)
            if unit is None or unit.nation != nation or not tour.start <= t <= tour.end:
                continue
            for keep in (cut(tour, tour.start, t - 1), cut(tour, t + 1, tour.end)):
                lost = tour_weight(inst, counts, tour) - (tour_weight(inst, counts, keep) if keep else 0)
                if best is None or lost < best[0]:
                    best = (lost, i, keep)
        assert best is not None
        _, i, keep = best
        for p in current[i].periods():
            counts[inst.task_index[current[i].task]][p] -= 1
        if keep is None:
            current.pop(i)
        else:
            current[i] = keep
            for p in keep.periods():
                counts[inst.task_index[keep.task]][p] += 1


def _first_excess(inst: Instance, load: dict[str, list[int]]) -> tuple[str, int] | None:
    for nation in sorted(load):
        cap = inst.caps.get(nation)
        if cap is None:
            continue
        for t, v in enumerate(load[nation]):
            if v > cap:
                return nation, t
    return None



"""Objective terms beyond coverage: stability against a previous plan and fair burden sharing."""

from __future__ import annotations

from collections.abc import Sequence

from reassure.planner.instance import Tour
from reassure.planner.solver.cpsat.model import ModelBuilder

FAIR_SCALE = 1000  # fair shares are fractions; rows need integers


def add_stability(m: ModelBuilder, reference: Sequence[Tour]) -> list[int]:
    """Add keep[j] <=> reference tour j is in the plan unchanged; return the keep variables."""
    keeps: list[int] = []
    kept_tours: list[tuple[int, tuple[str, str, int, int]]] = []
    for tour in reference:
        u, k = m.inst.unit_index.get(tour.unit), m.inst.task_index.get(tour.task)
        xb = None if u is None or k is None else m.x.get((u, k))
        if u is None or k is None or xb is None or xb.at(tour.start) is None or xb.at(tour.end) is None:
            continue  # the tour can no longer be flown; it counts as changed
        keep = m.new_var()
        for t in tour.periods():
            m.add([keep, xb.index(t)], [1, -1], None, 0)
        before, after = xb.at(tour.start - 1), xb.at(tour.end + 1)
        sb = m.task_starts.get((u, k))
        if sb is None:
            for v in (before, after):
                if v is not None:
                    m.add([keep, v], [1, 1], None, 1)
        else:
            m.add([keep, sb.index(tour.start)], [1, -1], None, 0)
            for t in range(tour.start + 1, tour.end + 1):
                m.add([keep, sb.index(t)], [1, 1], None, 1)
            if after is not None:
                m.add([keep, after, sb.index(tour.end + 1)], [1, 1, -1], None, 1)
        keeps.append(keep)
        kept_tours.append((keep, tour.key()))

    def fill(values: list[int], tours: Sequence[Tour]) -> None:
        present = {t.key() for t in tours}
        for var, key in kept_tours:
            values[var] = int(key in present)

    m.fills.append(fill)
    return keeps


def add_fairness(m: ModelBuilder) -> list[int]:
    """Add |share_n - fair_share_n| (scaled by total personnel-periods) per nation; return the deviations."""
    fair = {n.code: round(n.fair_share * FAIR_SCALE) for n in m.inst.problem.nations if n.fair_share is not None}
    if not fair:
        return []
    load: dict[str, int] = {}
    for nation, members in m.inst.units_by_nation.items():
        idx: list[int] = []
        coef: list[int] = []
        top = 0
        for u in members:
            person = m.inst.units[u].personnel
            for k in m.tasks_of.get(u, ()):
                xb = m.x[(u, k)]
                idx += range(xb.base, xb.base + xb.hi - xb.lo + 1)
                coef += [person] * (xb.hi - xb.lo + 1)
            if u in m.span:
                top += person * (m.span[u][1] - m.span[u][0] + 1)
        var = m.new_var(0, top)
        m.add([var, *idx], [1] + [-c for c in coef], 0, 0)
        load[nation] = var
    total_vars = list(load.values())
    top_total = FAIR_SCALE * sum(m.inst.units[u].personnel for u in m.span) * m.inst.periods
    devs: dict[str, int] = {}
    for nation, share in fair.items():
        dev = m.new_var(0, top_total)
        own = load.get(nation)
        for sign in (1, -1):
            idx = [dev, *total_vars]
            coef = [-1] + [-sign * share] * len(total_vars)
            if own is not None:
                coef[1 + total_vars.index(own)] += sign * FAIR_SCALE
            m.add(idx, coef, None, 0)
        devs[nation] = dev

    def fill(values: list[int], tours: Sequence[Tour]) -> None:
        per: dict[str, int] = dict.fromkeys(load, 0)
        for tour in tours:
            unit = m.inst.unit(tour.unit)
            if unit is not None:
                per[unit.nation] = per.get(unit.nation, 0) + unit.personnel * (tour.end - tour.start + 1)
        for nation, var in load.items():
            values[var] = per[nation]
        total = sum(per.values())
        for nation, var in devs.items():
            values[var] = abs(FAIR_SCALE * per.get(nation, 0) - fair[nation] * total)

    m.fills.append(fill)
    return list(devs.values())

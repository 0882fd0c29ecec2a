"""Rule min_nations: a multinational task, whenever manned, has units of at least tasks[].min_nations nations."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from reassure.planner.hard_rules.base import Offence, RuleModel, Violation, cell_offences, crew, run_violations
from reassure.planner.index import Instance
from reassure.planner.instance import Tour, Unit

NAME = "min_nations"
SUMMARY = "a multinational task, whenever manned, has units of at least tasks[].min_nations nations"


def at(inst: Instance, cells: Mapping[tuple[int, int], Sequence[Unit]], k: int, t: int) -> tuple[str, ...]:
    """Return the units that may go from a cell manned by too few nations (every one), else ()."""
    need = inst.tasks[k].min_nations
    units = cells.get((k, t), ())
    if need is not None and units and len({u.nation for u in units}) < need:
        return tuple(u.id for u in units)
    return ()


def offences(inst: Instance, cells: Mapping[tuple[int, int], Sequence[Unit]]) -> list[Offence]:
    """Return the manned cells with too few nations (every unit there may go)."""
    return cell_offences(cells, lambda k, t: at(inst, cells, k, t))


def check(inst: Instance, tours: Sequence[Tour]) -> list[Violation]:
    """Return one violation per task and run of periods manned by too few nations."""
    return run_violations(inst, offences(inst, crew(inst, tours)), NAME,
                          lambda k, a, b: f"{inst.tasks[k].id} is manned by fewer than "
                          f"{inst.tasks[k].min_nations} nations in periods {a}–{b}")


def encode(m: RuleModel) -> None:
    """y[nation] <= Σ_nation x and need × x_v <= Σ_nation y for every cell x_v of the task in the period."""
    for k, task in enumerate(m.inst.tasks):
        need = task.min_nations
        if need is None or need <= 1:
            continue
        members = list(m.units_of.get(k, ()))
        for t in range(m.inst.periods):
            by_nation: dict[str, list[int]] = {}
            for u in members:
                v = m.x[(u, k)].at(t)
                if v is not None:
                    by_nation.setdefault(m.inst.units[u].nation, []).append(v)
            cells = [v for vs in by_nation.values() for v in vs]
            if not cells:
                continue
            if len(by_nation) < need:
                for v in cells:
                    m.fix(v, 0)
                continue
            present = []
            for nation in sorted(by_nation):
                y = m.new_var(0, 1)
                present.append(y)
                m.add([y, *by_nation[nation]], [1] + [-1] * len(by_nation[nation]), None, 0)
            for v in cells:
                m.add([v, *present], [need] + [-1] * len(present), None, 0)

"""Rule lead_nation: in every period a task is manned, its lead nation (tasks[].lead) holds at least one unit on it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from reassure.planner.hard_rules.base import Offence, RuleModel, Violation, cell_offences, crew, run_violations
from reassure.planner.index import Instance
from reassure.planner.instance import Tour, Unit

NAME = "lead_nation"
SUMMARY = "a task with tasks[].lead has a unit of its lead nation in every period it is manned"


def at(inst: Instance, cells: Mapping[tuple[int, int], Sequence[Unit]], k: int, t: int) -> tuple[str, ...]:
    """Return the units that may go from a cell of a led task manned without its lead (every one), else ()."""
    lead = inst.tasks[k].lead
    units = cells.get((k, t), ())
    if lead is not None and units and all(u.nation != lead for u in units):
        return tuple(u.id for u in units)
    return ()


def offences(inst: Instance, cells: Mapping[tuple[int, int], Sequence[Unit]]) -> list[Offence]:
    """Return the manned cells of led tasks without a unit of the lead nation (every unit there may go)."""
    return cell_offences(cells, lambda k, t: at(inst, cells, k, t))


def check(inst: Instance, tours: Sequence[Tour]) -> list[Violation]:
    """Return one violation per led task and run of periods manned without its lead nation."""
    return run_violations(inst, offences(inst, crew(inst, tours)), NAME,
                          lambda k, a, b: f"{inst.tasks[k].id} is manned in periods {a}–{b} without a unit of its "
                          f"lead nation {inst.tasks[k].lead}")


def encode(m: RuleModel) -> None:
    """Each other nation's cell on a led task is at most the lead nation's cells there: x_v <= Σ_lead x_u."""
    for k, task in enumerate(m.inst.tasks):
        if task.lead is None:
            continue
        members = list(m.units_of.get(k, ()))
        for t in range(m.inst.periods):
            lead_cells: list[int] = []
            others: list[int] = []
            for u in members:
                v = m.x[(u, k)].at(t)
                if v is not None:
                    (lead_cells if m.inst.units[u].nation == task.lead else others).append(v)
            for v in others:
                m.add([v, *lead_cells], [1] + [-1] * len(lead_cells), None, 0)

"""Rule command_chain: a headquarters task is manned only in periods when a component it commands is manned.

A task names the headquarters task that commands it in `tasks[].parent`. The headquarters' demand follows its
components (`plan build` derives it from the stored command tree); a component manned while its headquarters is
not is a gap of the headquarters, shown as such.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from reassure.planner.hard_rules.base import Offence, RuleModel, Violation, cell_offences, crew, run_violations
from reassure.planner.index import Instance
from reassure.planner.instance import Tour, Unit

NAME = "command_chain"
SUMMARY = "a headquarters task (named as tasks[].parent) is manned only while a component under it is manned"


def at(inst: Instance, cells: Mapping[tuple[int, int], Sequence[Unit]], k: int, t: int) -> tuple[str, ...]:
    """Return the units that may go from a manned headquarters cell with no component manned (every one), else ()."""
    units = cells.get((k, t), ())
    if k in inst.children and units and not any(cells.get((c, t)) for c in inst.children[k]):
        return tuple(u.id for u in units)
    return ()


def offences(inst: Instance, cells: Mapping[tuple[int, int], Sequence[Unit]]) -> list[Offence]:
    """Return the manned headquarters cells with no component manned (every unit there may go)."""
    return cell_offences(cells, lambda k, t: at(inst, cells, k, t))


def components(inst: Instance, k: int) -> str:
    """Return the ids of the tasks a headquarters task commands, for messages."""
    return ", ".join(inst.tasks[c].id for c in inst.children.get(k, ()))


def check(inst: Instance, tours: Sequence[Tour]) -> list[Violation]:
    """Return one violation per headquarters task and run of periods manned without any component manned."""
    return run_violations(inst, offences(inst, crew(inst, tours)), NAME,
                          lambda k, a, b: f"{inst.tasks[k].id} is manned in periods {a}–{b} while none of its "
                          f"components ({components(inst, k)}) is")


def encode(m: RuleModel) -> None:
    """Each headquarters cell is at most the cells of its components in the period: x_v <= Σ_child x."""
    for k, kids in m.inst.children.items():
        for t in range(m.inst.periods):
            below = [v for c in kids for u in m.units_of.get(c, ()) if (v := m.x[(u, c)].at(t)) is not None]
            for u in m.units_of.get(k, ()):
                v = m.x[(u, k)].at(t)
                if v is not None:
                    m.add([v, *below], [1] + [-1] * len(below), None, 0)

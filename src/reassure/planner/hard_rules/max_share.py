"""Rule max_share: on a multinational task, no nation holds more than tasks[].max_share of its units in a period."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence

from reassure.planner.hard_rules.base import Offence, RuleModel, Violation, cell_offences, crew, run_violations
from reassure.planner.index import Instance
from reassure.planner.instance import Tour, Unit

NAME = "max_share"
SUMMARY = "on a multinational task no nation has more than tasks[].max_share of the units on it in a period"
SCALE = 1000  # max_share is compared in thousandths, exactly as the solver's integer rows do


def limit(share: float) -> int:
    """Return the share in thousandths (the integer the check and the model both use)."""
    return round(share * SCALE)


def over(units: Sequence[Unit], share: float) -> list[str]:
    """Return the nations holding more than `share` of these units."""
    counts = Counter(u.nation for u in units)
    return sorted(n for n, c in counts.items() if c * SCALE > limit(share) * len(units))


def at(inst: Instance, cells: Mapping[tuple[int, int], Sequence[Unit]], k: int, t: int) -> tuple[str, ...]:
    """Return the units of the nations holding too large a share of a cell, else ()."""
    share = inst.tasks[k].max_share
    units = cells.get((k, t), ())
    if share is None or not units:
        return ()
    nations = over(units, share)
    return tuple(u.id for u in units if u.nation in nations)


def offences(inst: Instance, cells: Mapping[tuple[int, int], Sequence[Unit]]) -> list[Offence]:
    """Return the cells where a nation holds too large a share (its units there may go)."""
    return cell_offences(cells, lambda k, t: at(inst, cells, k, t))


def check(inst: Instance, tours: Sequence[Tour]) -> list[Violation]:
    """Return one violation per task and run of periods where a nation holds too large a share."""
    cells = crew(inst, tours)

    def message(k: int, a: int, b: int) -> str:
        task = inst.tasks[k]
        nations = ", ".join(sorted({n for t in range(a, b + 1) for n in over(cells[(k, t)], task.max_share or 1)}))
        return f"{task.id}: {nations} hold more than {task.max_share:.0%} of its units in periods {a}–{b}"

    return run_violations(inst, offences(inst, cells), NAME, message)


def encode(m: RuleModel) -> None:
    """Per nation and period: SCALE × Σ_nation x <= limit × Σ_all x."""
    for k, task in enumerate(m.inst.tasks):
        if task.max_share is None:
            continue
        cap = limit(task.max_share)
        members = list(m.units_of.get(k, ()))
        for t in range(m.inst.periods):
            cells = [(m.inst.units[u].nation, v) for u in members if (v := m.x[(u, k)].at(t)) is not None]
            for nation in sorted({n for n, _ in cells}):
                idx = [v for _, v in cells]
                coef = [SCALE - cap if n == nation else -cap for n, _ in cells]
                m.add(idx, coef, None, 0)

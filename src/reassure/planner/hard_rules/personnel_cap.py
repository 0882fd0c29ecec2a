"""Rule personnel_cap: per period, a nation's deployed personnel stays within max_personnel."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from reassure.planner.hard_rules.base import RuleModel, Violation, resolved
from reassure.planner.index import Instance
from reassure.planner.instance import Tour, Unit

NAME = "personnel_cap"
SUMMARY = "a nation's deployed personnel per period is at most nations[].max_personnel"


def fits_alone(inst: Instance, unit: Unit) -> bool:
    """Tell whether the unit on its own fits under its nation's cap."""
    cap = inst.caps.get(unit.nation)
    return cap is None or unit.personnel <= cap


def deployed(inst: Instance, tours: Sequence[Tour]) -> dict[str, list[int]]:
    """Return deployed personnel per nation and period (each unit counted once per period)."""
    seen: set[tuple[str, int]] = set()
    load: dict[str, list[int]] = defaultdict(lambda: [0] * inst.periods)
    for p in resolved(inst, tours):
        for t in p.tour.periods():
            if (p.unit.id, t) not in seen:
                seen.add((p.unit.id, t))
                load[p.unit.nation][t] += p.unit.personnel
    return dict(load)


def check(inst: Instance, tours: Sequence[Tour]) -> list[Violation]:
    """Return one violation per nation whose deployed personnel exceeds its cap."""
    out = []
    for nation, load in sorted(deployed(inst, tours).items()):
        cap = inst.caps.get(nation)
        over = [t for t, v in enumerate(load) if cap is not None and v > cap]
        if over:
            peak = max(load[t] for t in over)
            msg = f"{nation} deploys up to {peak} personnel, its cap is {cap}"
            out.append(Violation(rule=NAME, message=msg, periods=over))
    return out


def encode(m: RuleModel) -> None:
    """Bound Σ personnel × busy by the cap for each capped nation and period."""
    for nation, members in m.inst.units_by_nation.items():
        if m.inst.caps.get(nation) is None:
            continue
        for t in range(m.inst.periods):
            cap = m.inst.cap_left(nation, t)
            assert cap is not None
            idx: list[int] = []
            coef: list[int] = []
            for u in members:
                cells = m.busy(u, t)
                idx += cells
                coef += [m.inst.units[u].personnel] * len(cells)
            if sum(coef) > cap:
                m.add(idx, coef, None, cap)

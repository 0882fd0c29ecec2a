"""Explain every gap in words, from the rules: which units could have served, and why they did not."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from reassure.core.labels import capability_label, reason_label, rule_label
from reassure.core.nations import nation_label
from reassure.planner.hard_rules import (
    PAIR_RULES,
    availability_window,
    command_chain,
    lead_nation,
    legal_in_force,
    legal_prerequisite,
    max_share,
    min_dwell,
    min_nations,
    notice_to_move,
    personnel_cap,
    unit_overlap,
)
from reassure.planner.hard_rules.base import by_unit, crew, resolved
from reassure.planner.hard_rules.compat import pair_blocker, pair_window
from reassure.planner.hard_rules.score import GapCells
from reassure.planner.index import Instance
from reassure.planner.instance import Task, Tour, Unit
from reassure.planner.period_labels import span_label

NOT_ASSIGNED = "not_assigned"  # not a rule: the unit was free and the plan did not use it
MAX_NAMES = 5

ORDER = [
    unit_overlap.NAME,
    min_dwell.NAME,
    personnel_cap.NAME,
    availability_window.NAME,
    legal_prerequisite.NAME,
    notice_to_move.NAME,
    legal_in_force.NAME,
    command_chain.NAME,
    lead_nation.NAME,
    min_nations.NAME,
    max_share.NAME,
    *(r.name for r in PAIR_RULES),
    NOT_ASSIGNED,
]


@dataclass
class GapExplanation:
    """Why a task is short: unit ids (with detail) under the name of the rule that kept them away."""

    task: str
    periods: list[int]
    missing: int
    causes: dict[str, list[str]] = field(default_factory=dict)
    text: str = ""


@dataclass
class _State:
    """Per unit and period: the task it is on, and whether it is resting between tours."""

    on: dict[str, list[str | None]]
    resting: dict[str, list[bool]]
    load: dict[str, list[int]]
    cells: dict[tuple[int, int], list[Unit]]


def _state(inst: Instance, tours: Sequence[Tour]) -> _State:
    n = inst.periods
    on: dict[str, list[str | None]] = {}
    resting: dict[str, list[bool]] = {}
    for uid, lst in by_unit(resolved(inst, tours)).items():
        busy: list[str | None] = [None] * n
        rest = [False] * n
        dwell = lst[0].unit.min_dwell
        for p in lst:
            for t in p.tour.periods():
                busy[t] = p.task.id
            for t in (*range(p.tour.start - dwell, p.tour.start), *range(p.tour.end + 1, p.tour.end + dwell + 1)):
                if 0 <= t < n:
                    rest[t] = True
        on[uid], resting[uid] = busy, rest
    return _State(on, resting, personnel_cap.deployed(inst, tours), crew(inst, tours))


def _period_reason(inst: Instance, st: _State, unit: Unit, task: Task, t: int) -> tuple[str, str]:
    """Return (rule, detail) for why the unit was not on the task in period t."""
    window = pair_window(inst, unit, task)
    if window is None or not window[0] <= t <= window[1]:
        first = legal_prerequisite.earliest_start(inst, unit, task)
        available = unit.available_from <= t <= unit.available_to
        if first is not None and available and t < first:
            return legal_prerequisite.NAME, ", ".join(legal_prerequisite.missing_at(inst, unit, task, t))
        ready = notice_to_move.ready_from(inst, unit)
        if available and t < ready:
            return notice_to_move.NAME, f"ready from {span_label(inst.problem.horizon, ready, ready)}"
        if available and legal_in_force.lapsed_at(inst, unit, task, t):
            return legal_in_force.NAME, legal_in_force.lapse_of(inst, unit, task, t)
        return availability_window.NAME, f"available {unit.available_from}–{unit.available_to}"
    busy = st.on.get(unit.id)
    if busy is not None and busy[t] is not None:
        return unit_overlap.NAME, f"on {busy[t]}"
    if st.resting.get(unit.id, [False] * inst.periods)[t]:
        return min_dwell.NAME, ""
    cap = inst.caps.get(unit.nation)
    load = st.load.get(unit.nation, [0] * inst.periods)[t]
    if cap is not None and load + unit.personnel > cap:
        return personnel_cap.NAME, f"{unit.nation} {load}/{cap}"
    return _coupled_reason(inst, st, unit, task, t)


def _coupled_reason(inst: Instance, st: _State, unit: Unit, task: Task, t: int) -> tuple[str, str]:
    """Return the rule coupling the task's units that kept a free unit off it in period t, if any."""
    k = inst.task_index[task.id]
    here = st.cells.get((k, t), [])
    if k in inst.children and not any(st.cells.get((c, t)) for c in inst.children[k]):
        return command_chain.NAME, ""
    if task.lead is not None and unit.nation != task.lead and all(u.nation != task.lead for u in here):
        return lead_nation.NAME, ""
    with_unit = [*here, unit]
    if task.min_nations is not None and len({u.nation for u in with_unit}) < task.min_nations:
        return min_nations.NAME, ""
    if task.max_share is not None and unit.nation in max_share.over(with_unit, task.max_share):
        return max_share.NAME, ""
    return NOT_ASSIGNED, ""


def _unit_reason(inst: Instance, st: _State, unit: Unit, task: Task, periods: list[int]) -> tuple[str, str]:
    blocker = pair_blocker(inst, unit, task)
    if blocker is not None:
        return blocker.rule, ""
    reasons = [_period_reason(inst, st, unit, task, t) for t in periods]
    counts = Counter(rule for rule, _ in reasons)
    rule = max(counts, key=lambda r: (counts[r], -ORDER.index(r)))
    details = [d for r, d in reasons if r == rule and d]
    return rule, details[0] if details else ""


def task_notes(inst: Instance, st: _State, task: Task, periods: Sequence[int]) -> list[str]:
    """Return what the task's own arrangement (lead, component, command) adds to a gap, in words."""
    k = inst.task_index[task.id]
    notes = []
    if k in inst.children:
        idle = [t for t in periods if not any(st.cells.get((c, t)) for c in inst.children[k])]
        if idle:
            span = span_label(inst.problem.horizon, idle[0], idle[-1])
            notes.append(f"none of its components ({command_chain.components(inst, k)}) is manned in {span} "
                         f"({rule_label(command_chain.NAME)})")
    if task.lead is not None and any(all(u.nation != task.lead for u in st.cells.get((k, t), [])) for t in periods):
        notes.append(f"it is manned only with a unit of its lead nation {nation_label(task.lead)} "
                     f"({rule_label(lead_nation.NAME)})")
    return notes


def _text(
    inst: Instance,
    gap: GapCells,
    task: Task,
    causes: dict[str, list[str]],
    unit_count: int,
    notes: Sequence[str] = (),
) -> str:
    span = span_label(inst.problem.horizon, gap.first, gap.last)
    head = f"{task.id} short by {gap.missing} {capability_label(task.capability, gap.missing)} in {span}"
    if notes:
        head += " (" + "; ".join(notes) + ")"
    if unit_count == 0:
        return f"{head}: no unit in the problem is a {capability_label(task.capability)}"
    parts = []
    for rule in sorted(causes, key=ORDER.index):
        names = causes[rule]
        shown = ", ".join(names[:MAX_NAMES]) + (f" and {len(names) - MAX_NAMES} more" if len(names) > MAX_NAMES else "")
        parts.append(f"{reason_label(rule)}: {shown}")
    return f"{head}: " + "; ".join(parts)


def explain_gap(inst: Instance, tours: Sequence[Tour], gap: GapCells, state: _State | None = None) -> GapExplanation:
    """Explain one gap from the rules, unit by unit among those with the right capability."""
    st = state or _state(inst, tours)
    task = inst.task(gap.task)
    if task is None:
        raise KeyError(f"unknown task {gap.task!r}")
    periods = gap.periods()
    causes: dict[str, list[str]] = {}
    peers = [u for u in inst.units if u.capability == task.capability]
    for unit in peers:
        busy = st.on.get(unit.id)
        # Periods the unit already serves this task count for it, not against it.
        elsewhere = [t for t in periods if busy is None or busy[t] != task.id]
        if not elsewhere:
            continue
        rule, detail = _unit_reason(inst, st, unit, task, elsewhere)
        causes.setdefault(rule, []).append(f"{unit.id} ({detail})" if detail else unit.id)
    if not peers:
        causes["capability_match"] = []
    text = _text(inst, gap, task, causes, len(peers), task_notes(inst, st, task, periods))
    return GapExplanation(task.id, periods, gap.missing, causes, text)


def explain_gaps(inst: Instance, tours: Sequence[Tour], gaps: Sequence[GapCells]) -> list[GapExplanation]:
    """Explain every gap of a set of tours."""
    st = _state(inst, tours)
    return [explain_gap(inst, tours, g, st) for g in gaps]

"""Which unit may serve which task, and when: the rules that need no solver."""

from __future__ import annotations

from dataclasses import dataclass

from reassure.planner.hard_rules import (
    PAIR_RULES,
    availability_window,
    legal_in_force,
    legal_prerequisite,
    notice_to_move,
    personnel_cap,
)
from reassure.planner.index import Instance
from reassure.planner.instance import Task, Unit


@dataclass(frozen=True)
class Blocker:
    """The first rule that rules a unit out of a task for the whole horizon, and why."""

    rule: str
    text: str


def pair_blocker(inst: Instance, unit: Unit, task: Task) -> Blocker | None:
    """Return the rule that forbids the unit on the task at any period, or None."""
    for rule in PAIR_RULES:
        if not rule.allows(inst, unit, task):
            return Blocker(rule.name, rule.why_not(inst, unit, task))
    if not personnel_cap.fits_alone(inst, unit):
        cap = inst.caps.get(unit.nation)
        return Blocker(personnel_cap.NAME, f"has {unit.personnel} personnel, {unit.nation} caps at {cap}")
    avail = availability_window.window(inst, unit)
    if avail is None:
        return Blocker(availability_window.NAME, f"is not available in the horizon (from {unit.available_from})")
    first = legal_prerequisite.earliest_start(inst, unit, task)
    if first is None:
        kinds = ", ".join(legal_prerequisite.missing_at(inst, unit, task, inst.periods))
        return Blocker(legal_prerequisite.NAME, f"has no {kinds} with UKR")
    if first > avail[1]:
        return Blocker(legal_prerequisite.NAME, f"may start only from period {first}, after its availability ends")
    ready = notice_to_move.ready_from(inst, unit)
    if ready > avail[1]:
        return Blocker(notice_to_move.NAME, f"is ready only from period {ready}, after its availability ends")
    if legal_in_force.run(inst, unit, task, max(avail[0], first, ready), avail[1]) is None:
        kinds = legal_in_force.lapse_of(inst, unit, task, avail[1])
        return Blocker(legal_in_force.NAME, f"has no {kinds} with UKR in force while it is available")
    return None


def pair_window(inst: Instance, unit: Unit, task: Task) -> tuple[int, int] | None:
    """Return the periods in which the unit may be on the task, or None if it never may."""
    if pair_blocker(inst, unit, task) is not None:
        return None
    avail = availability_window.window(inst, unit)
    first = legal_prerequisite.earliest_start(inst, unit, task)
    assert avail is not None and first is not None
    # A tour covering t started at or before t, so the legal start date and readiness bound every period;
    # the window then runs while every required instrument stays in force (the first such run).
    lo = max(avail[0], first, notice_to_move.ready_from(inst, unit))
    return legal_in_force.run(inst, unit, task, lo, avail[1])


def windows(inst: Instance) -> dict[tuple[int, int], tuple[int, int]]:
    """Return the allowed period window of every compatible (unit index, task index) pair."""
    by_cap: dict[str, list[int]] = {}
    for k, task in enumerate(inst.tasks):
        by_cap.setdefault(task.capability, []).append(k)
    out = {}
    for u, unit in enumerate(inst.units):
        for k in by_cap.get(unit.capability, []):
            w = pair_window(inst, unit, inst.tasks[k])
            if w is not None:
                out[(u, k)] = w
    return out


def reachable_demand(inst: Instance, win: dict[tuple[int, int], tuple[int, int]] | None = None) -> list[list[int]]:
    """Return each task's demand per period where some plan could cover it, else 0, for bounds (docs/adr/0022).

    A cell no plan can man under the rules that couple a task's units is worth nothing to any plan: a task whose
    lead nation has no unit that may serve it then (lead_nation), one with fewer nations able to serve it then than
    its `min_nations`, and a headquarters none of whose components can be manned then (command_chain). Cells that
    frozen tours cover keep their demand (the plan keeps those tours whatever the rules say). Dropping these cells
    (and those no unit may serve at all) only removes weight no plan can earn, so a bound on this demand stays
    above every plan.
    """
    win = windows(inst) if win is None else win
    nations: list[list[set[str]]] = [[set() for _ in range(inst.periods)] for _ in inst.tasks]
    for (u, k), (lo, hi) in win.items():
        for t in range(lo, hi + 1):
            nations[k][t].add(inst.units[u].nation)
    frozen: set[tuple[int, int]] = set()
    for f in inst.problem.frozen:
        held = inst.task_index.get(f.task)
        if held is not None:
            frozen.update((held, t) for t in range(f.start, f.end + 1))
    out = [list(row) for row in inst.demand]
    for k, task in enumerate(inst.tasks):
        for t in range(inst.periods):
            here = nations[k][t]
            if not here or (task.lead is not None and task.lead not in here) or (
                task.min_nations is not None and len(here) < task.min_nations
            ):
                out[k][t] = 0
    changed = True
    while changed:  # a headquarters is manned only while one of its components is (HQs above HQs: to a fixpoint)
        changed = False
        for hq, kids in inst.children.items():
            for t in range(inst.periods):
                if out[hq][t] > 0 and not any(out[c][t] > 0 for c in kids):
                    out[hq][t] = 0
                    changed = True
    for k, t in frozen:
        if 0 <= t < inst.periods:
            out[k][t] = inst.demand[k][t]
    return out

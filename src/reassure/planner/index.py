"""Derived, indexed view of a problem that rules, solver, validator and explanations share."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from reassure.planner.instance import UKRAINE, Problem, Task, Unit


@dataclass
class Instance:
    """A problem with lookups precomputed (demand per period, legal dates, units by nation)."""

    problem: Problem
    # Personnel per nation and period already deployed outside this (sub-)instance; caps shrink by it.
    reserved: dict[str, list[int]] = field(default_factory=dict)
    periods: int = field(init=False)
    units: list[Unit] = field(init=False)
    tasks: list[Task] = field(init=False)
    unit_index: dict[str, int] = field(init=False)
    task_index: dict[str, int] = field(init=False)
    demand: list[list[int]] = field(init=False)
    caps: dict[str, int | None] = field(init=False)
    legal_from: dict[tuple[str, str], int] = field(init=False)
    units_by_nation: dict[str, list[int]] = field(init=False)
    # (nation, kind) -> the periods (from, to) each instrument of that kind with UKR is in force (to None: open).
    legal_spans: dict[tuple[str, str], list[tuple[int, int | None]]] = field(init=False)
    # headquarters task index -> the indices of the tasks it commands (tasks[].parent), in task order.
    children: dict[int, list[int]] = field(init=False)
    frozen_units: set[str] = field(init=False)

    def __post_init__(self) -> None:
        p = self.problem
        self.periods = p.horizon.periods
        self.units = list(p.units)
        self.tasks = list(p.tasks)
        self.unit_index = {u.id: i for i, u in enumerate(self.units)}
        self.task_index = {t.id: i for i, t in enumerate(self.tasks)}
        self.demand = [p.demand_of(t) for t in self.tasks]
        self.caps = {n.code: n.max_personnel for n in p.nations}
        self.legal_from = {}
        for inst in p.legal:
            if inst.host != UKRAINE:
                continue
            key = (inst.nation, inst.kind)
            self.legal_from[key] = min(self.legal_from.get(key, inst.in_force_from), inst.in_force_from)
        spans: dict[tuple[str, str], list[tuple[int, int | None]]] = defaultdict(list)
        for inst in p.legal:
            if inst.host == UKRAINE:
                spans[(inst.nation, inst.kind)].append((inst.in_force_from, inst.in_force_to))
        self.legal_spans = {key: sorted(v, key=lambda s: s[0]) for key, v in spans.items()}
        self.frozen_units = {f.unit for f in p.frozen}
        children: dict[int, list[int]] = defaultdict(list)
        for k, task in enumerate(self.tasks):
            up = self.task_index.get(task.parent) if task.parent is not None else None
            if up is not None:
                children[up].append(k)
        self.children = dict(children)
        by_nation: dict[str, list[int]] = defaultdict(list)
        for i, u in enumerate(self.units):
            by_nation[u.nation].append(i)
        self.units_by_nation = dict(by_nation)

    def unit(self, unit_id: str) -> Unit | None:
        """Return the unit with this id, or None."""
        i = self.unit_index.get(unit_id)
        return None if i is None else self.units[i]

    def task(self, task_id: str) -> Task | None:
        """Return the task with this id, or None."""
        i = self.task_index.get(task_id)
        return None if i is None else self.tasks[i]

    def flag(self, name: str) -> bool:
        """Return a scenario flag; flags not given are false."""
        return bool(self.problem.flags.get(name, False))

    def cap_left(self, nation: str, t: int) -> int | None:
        """Return the personnel a nation may still deploy in period t (None: no cap)."""
        cap = self.caps.get(nation)
        if cap is None:
            return None
        used = self.reserved.get(nation)
        return max(0, cap - used[t]) if used is not None else cap

    def ready_from(self, unit: Unit) -> int:
        """Return the first period a unit may start a tour, given its notice from the decision period."""
        return self.problem.horizon.decision + unit.notice

    def legal_in_force(self, nation: str, kind: str, t: int) -> bool:
        """Tell whether an instrument of this kind between the nation and UKR is in force in period t."""
        return any(a <= t and (b is None or t <= b) for a, b in self.legal_spans.get((nation, kind), ()))

    def demand_weight(self) -> int:
        """Return Σ priority × demand over tasks and periods."""
        return sum(t.priority * sum(d) for t, d in zip(self.tasks, self.demand, strict=True))

"""Issue 23's optional problem keys drawn at random onto generated problems, for the property tests."""

from __future__ import annotations

import random
from typing import Any

from hypothesis import strategies as st

from reassure.core.phases import DemandRule, PhaseSpec, phased_demand
from reassure.planner.instance import Problem

# None keeps the generated problem as it is; an integer seeds the keys added to it.
RULE_KEYS = st.none() | st.integers(min_value=0, max_value=10_000)
# The same for the optional phases (issue 26, docs/adr/0044).
PHASES = st.none() | st.integers(min_value=0, max_value=10_000)


def with_rule_keys(problem: Problem, seed: int | None) -> Problem:
    """Return the problem with lead nations, components, a command tree, notice and legal end dates drawn from seed.

    Every key is drawn so that the problem stays valid (a lead among the task's allowed nations, parents earlier in
    the task list, so no loop).
    """
    if seed is None:
        return problem
    rng = random.Random(seed)
    data: dict[str, Any] = problem.model_dump(mode="json")
    n = data["horizon"]["periods"]
    data["horizon"]["decision"] = rng.choice([0, 0, 1, 2]) if n > 2 else 0
    by_cap: dict[str, list[str]] = {}
    for u in data["units"]:
        by_cap.setdefault(u["capability"], []).append(u["nation"])
        u["notice"] = rng.choice([0, 0, 0, 1, 2, 3])
    for i, t in enumerate(data["tasks"]):
        nations = sorted(set(by_cap.get(t["capability"], [])))
        if t["nations"] is not None:
            nations = [x for x in nations if x in t["nations"]]
        roll = rng.random()
        if roll < 0.2 and nations:
            t["component"] = "bilateral"
            t["partners"] = rng.sample(nations, min(2, len(nations)))
            if rng.random() < 0.5:
                t["lead"] = t["partners"][0]
        elif roll < 0.5:
            t["component"] = "multinational"
            if rng.random() < 0.6:
                t["min_nations"] = rng.choice([2, 2, 3])
            if rng.random() < 0.6:
                t["max_share"] = rng.choice([0.5, 0.67, 0.8])
        if roll >= 0.2 and nations and rng.random() < 0.3:
            t["lead"] = rng.choice(nations)
        if i > 0 and rng.random() < 0.3:
            t["parent"] = data["tasks"][rng.randrange(i)]["id"]
    for inst in data["legal"]:
        if rng.random() < 0.4:
            inst["in_force_to"] = rng.randint(inst["in_force_from"], max(inst["in_force_from"], n - 1))
        if rng.random() < 0.3:
            inst["probability"] = rng.choice([0.3, 0.6, 0.9])
    return Problem.model_validate(data)


def with_phases(problem: Problem, seed: int | None) -> tuple[Problem, list[PhaseSpec]]:
    """Return the problem with phases drawn from seed (docs/adr/0044): consecutive spans of the horizon, each with
    factors, stated units or handovers on some tasks, resolved into the tasks' demand as a built problem has them;
    and the phases' specs, to check the resolution against."""
    if seed is None:
        return problem, []
    rng = random.Random(seed)
    data: dict[str, Any] = problem.model_dump(mode="json")
    n = data["horizon"]["periods"]
    cuts = sorted(rng.sample(range(1, n), min(n - 1, rng.randint(0, 3))))
    bounds = list(zip([0, *cuts], [c - 1 for c in cuts] + [n - 1], strict=True))
    specs: list[PhaseSpec] = []
    for i, (first, last) in enumerate(bounds):
        if rng.random() < 0.2:
            continue  # a gap between phases: those periods keep the base demand
        rules = []
        for t in rng.sample(data["tasks"], min(len(data["tasks"]), rng.randint(0, 2))):
            kind = rng.choice(["factor", "units", "handover"])
            rules.append(DemandRule(task=t["id"], factor=rng.choice([0, 0.5, 1.5, 2]) if kind == "factor" else None,
                                    units=rng.randint(0, 3) if kind != "factor" else None,
                                    handover=kind == "handover"))
        specs.append(PhaseSpec(key=f"phase-{i}", start=first, end=last, demand=tuple(rules)))
    base = {t["id"]: problem.demand_of(problem.tasks[k]) for k, t in enumerate(data["tasks"])}
    phased = phased_demand(base, specs)
    for t in data["tasks"]:
        t["demand"] = phased[t["id"]]
    data["phases"] = [{"key": s.key, "name": s.key.title(), "start": s.start, "end": s.end,
                       "handover": [r.task for r in s.demand if r.handover]} for s in specs]
    return Problem.model_validate(data), specs

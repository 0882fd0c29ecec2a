"""Phases resolve to per-period demand when a problem is built (docs/adr/0044), so every solver path reads a phased
problem as any other: the demand in a phase follows its rules, outside every phase it is the base demand, and the
plans stay valid and are scored on the demand so changed."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from reassure.core.phases import DemandRule, PhaseSpec, phased_demand
from reassure.planner.generate import Size, generate
from reassure.planner.hard_rules.score import score
from reassure.planner.hard_rules.validate import check_tours
from reassure.planner.index import Instance
from reassure.planner.solver.baseline import greedy_tours

from .rule_keys import PHASES, RULE_KEYS, with_phases, with_rule_keys

TINY = Size(nations=3, units=6, tasks=3, periods=8)


def test_a_rule_sets_demand_in_its_phase_only() -> None:
    base = {"T": [2, 2, 2, 2, 2, 2], "U": [1, 3, 1, 1, 1, 1]}
    phases = [PhaseSpec("a", 0, 1, (DemandRule("T", factor=0.5), DemandRule("U", factor=0.5))),
              PhaseSpec("b", 4, 5, (DemandRule("T", units=0, handover=True), DemandRule("GONE", units=9)))]
    out = phased_demand(base, phases)
    assert out == {"T": [1, 1, 2, 2, 0, 0], "U": [1, 2, 1, 1, 1, 1]}  # × 0.5 rounds up: half a unit is a unit
    assert base["T"] == [2] * 6  # the base is not changed
    assert DemandRule("T", factor=0.1).apply(30) == 3  # 30 × 0.1 is 3, not 4 (no float noise)


@settings(max_examples=30, deadline=None)
@given(seed=st.integers(min_value=0, max_value=10_000), keys=RULE_KEYS, phases=PHASES)
def test_phased_problems_stay_valid_and_are_scored_on_their_phased_demand(seed: int, keys: int | None,
                                                                          phases: int | None) -> None:
    base = with_rule_keys(generate(TINY, seed=seed), keys)
    problem, specs = with_phases(base, phases)
    by_id = {t.id: problem.demand_of(t) for t in problem.tasks}
    before = {t.id: base.demand_of(t) for t in base.tasks}
    ruled = {(r.task, p) for s in specs for r in s.demand for p in range(s.start, s.end + 1)}
    for s in specs:
        for r in s.demand:
            for p in range(s.start, s.end + 1):
                assert by_id[r.task][p] == r.apply(before[r.task][p])
    assert all(by_id[t][p] == before[t][p] for t in by_id for p in range(len(by_id[t])) if (t, p) not in ruled)
    inst = Instance(problem)
    tours = greedy_tours(inst)
    assert check_tours(inst, tours) == []
    assert inst.demand_weight() == sum(t.priority * sum(by_id[t.id]) for t in problem.tasks)
    assert score(inst, tours).covered_weight <= inst.demand_weight()

"""Turn a set of tours into a plan: score, gaps grouped per task, and each gap's reason."""

from __future__ import annotations

from collections.abc import Sequence

from reassure.core.labels import rule_label
from reassure.planner.hard_rules import RULES, Violation
from reassure.planner.hard_rules.explain import explain_gaps
from reassure.planner.hard_rules.score import gap_cells, score
from reassure.planner.index import Instance
from reassure.planner.instance import Gap, Plan, PlanStatus, Tour


def make_plan(inst: Instance, tours: Sequence[Tour], status: PlanStatus, bound: float, seconds: float) -> Plan:
    """Score tours and build the plan with explained gaps; the bound never drops below coverage."""
    tours = sorted(tours, key=lambda r: (r.unit, r.start, r.task))
    s = score(inst, tours)
    cells = gap_cells(inst, tours)
    reasons = explain_gaps(inst, tours, cells)
    gaps = [
        Gap(task=g.task, periods=g.periods(), missing=g.missing, reason=e.text)
        for g, e in zip(cells, reasons, strict=True)
    ]
    return Plan(
        status=status,
        tours=list(tours),
        coverage=s.coverage,
        covered_weight=s.covered_weight,
        demand_weight=s.demand_weight,
        tours_count=s.tours_count,
        bound=min(1.0, max(bound, s.coverage)),
        gaps=gaps,
        solve_seconds=round(seconds, 3),
    )


def frozen_conflicts(inst: Instance) -> list[Violation]:
    """Return the hard-rule violations among the frozen tours alone (any makes the problem infeasible)."""
    frozen = inst.problem.frozen
    out: list[Violation] = []
    for rule in RULES:
        out.extend(rule.check(inst, frozen))
    return out


def infeasible_plan(inst: Instance, conflicts: Sequence[Violation], seconds: float) -> Plan:
    """Return the empty plan for an infeasible problem; every gap names the conflicting frozen tours."""
    why = "problem infeasible, frozen tours break " + "; ".join(f"{rule_label(v.rule)}: {v.message}"
                                                                for v in conflicts[:3])
    cells = gap_cells(inst, [])
    s = score(inst, [])
    return Plan(
        status="infeasible",
        tours=[],
        coverage=s.coverage,
        covered_weight=0,
        demand_weight=s.demand_weight,
        tours_count=0,
        bound=0.0 if s.demand_weight else 1.0,
        gaps=[Gap(task=g.task, periods=g.periods(), missing=g.missing, reason=why) for g in cells],
        solve_seconds=round(seconds, 3),
    )

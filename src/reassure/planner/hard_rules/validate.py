"""Check any plan against every hard rule and recompute its score, without the solver."""

from __future__ import annotations

from collections.abc import Sequence

from pydantic import BaseModel, ConfigDict

from reassure.planner.hard_rules import RULES, Violation
from reassure.planner.hard_rules.score import gap_cells, score
from reassure.planner.index import Instance
from reassure.planner.instance import Plan, Problem, Tour

SCORE_RULE = "reported_score"
GAPS_RULE = "reported_gaps"
COVERAGE_TOLERANCE = 5e-4  # plans may round coverage to three decimals


class ValidationReport(BaseModel):
    """The verdict on a plan: violations by rule name and the recomputed score."""

    model_config = ConfigDict(extra="forbid")

    valid: bool
    violations: list[Violation]
    covered_weight: int
    demand_weight: int
    coverage: float
    tours_count: int

    def rules_broken(self) -> set[str]:
        """Return the names of the rules with at least one violation."""
        return {v.rule for v in self.violations}


def _instance(problem: Problem | Instance) -> Instance:
    return problem if isinstance(problem, Instance) else Instance(problem)


def check_tours(problem: Problem | Instance, tours: Sequence[Tour]) -> list[Violation]:
    """Return every hard-rule violation of a set of tours."""
    inst = _instance(problem)
    out: list[Violation] = []
    for rule in RULES:
        out.extend(rule.check(inst, tours))
    return out


def _score_violations(inst: Instance, plan: Plan) -> list[Violation]:
    s = score(inst, plan.tours)
    out = []
    for name, claimed, actual in (
        ("covered_weight", plan.covered_weight, s.covered_weight),
        ("demand_weight", plan.demand_weight, s.demand_weight),
        ("tours_count", plan.tours_count, s.tours_count),
    ):
        if claimed != actual:
            out.append(Violation(rule=SCORE_RULE, message=f"{name} is {claimed}, recomputed {actual}"))
    if abs(plan.coverage - s.coverage) > COVERAGE_TOLERANCE:
        msg = f"coverage is {plan.coverage:.4f}, recomputed {s.coverage:.4f}"
        out.append(Violation(rule=SCORE_RULE, message=msg))
    if plan.bound < s.coverage - COVERAGE_TOLERANCE or plan.bound > 1 + COVERAGE_TOLERANCE:
        msg = f"bound {plan.bound:.4f} is not an upper bound in [coverage {s.coverage:.4f}, 1]"
        out.append(Violation(rule=SCORE_RULE, message=msg))
    expected = {(g.task, tuple(g.periods()), g.missing) for g in gap_cells(inst, plan.tours)}
    reported = {(g.task, tuple(g.periods), g.missing) for g in plan.gaps}
    for task, periods, missing in sorted(expected - reported):
        msg = f"gap of {missing} on {task} in periods {periods[0]}–{periods[-1]} is not reported"
        out.append(Violation(rule=GAPS_RULE, message=msg, task=task, periods=list(periods)))
    for task, periods, missing in sorted(reported - expected):
        msg = f"reported gap of {missing} on {task} in periods {list(periods)} does not match the tours"
        out.append(Violation(rule=GAPS_RULE, message=msg, task=task, periods=list(periods)))
    return out


def validate(problem: Problem | Instance, plan: Plan) -> ValidationReport:
    """Check a plan's tours against every hard rule and its reported score and gaps."""
    inst = _instance(problem)
    violations = check_tours(inst, plan.tours) + _score_violations(inst, plan)
    s = score(inst, plan.tours)
    return ValidationReport(
        valid=not violations,
        violations=violations,
        covered_weight=s.covered_weight,
        demand_weight=s.demand_weight,
        coverage=s.coverage,
        tours_count=s.tours_count,
    )

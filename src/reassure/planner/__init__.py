"""Rotation planner: problem and plan models, CP-SAT solver, validator, baseline, explanations, analyses.

Pure: no database, web or CLI imports, so it can be tested, benchmarked and run on a worker alone.
Layers, each importing only the ones below it (tests/planner/test_layout.py checks this):
- `analysis`: what-if re-planning, robustness, sustainability;
- `solver`: the CP-SAT model, column generation, heuristics, the greedy baseline, child processes;
- `hard_rules`: one module per hard rule, with the validator, score, compatibility and gap explanations;
- the data model here: `instance` (problem and plan JSON), `index`, `periods`, `generate`.
This module only re-exports the public API. The solver lives in `reassure.planner.solver.solve`
(`solve`, `solve_report`) and is not imported here, so that models, validator and baseline load
without OR-Tools (highspy clashes with it in one process).
"""

from reassure.planner.hard_rules import RULE_NAMES, Violation
from reassure.planner.hard_rules.validate import ValidationReport, check_tours, validate
from reassure.planner.instance import Gap, Plan, Problem, Tour, dump_json, load_plan, load_problem
from reassure.planner.solver.baseline import greedy_plan, greedy_tours

__all__ = [
    "RULE_NAMES",
    "Gap",
    "Plan",
    "Problem",
    "Tour",
    "ValidationReport",
    "Violation",
    "check_tours",
    "dump_json",
    "greedy_plan",
    "greedy_tours",
    "load_plan",
    "load_problem",
    "validate",
]

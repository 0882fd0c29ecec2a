"""Rotation planner: problem and plan models, CP-SAT solver, validator, baseline, explanations, analyses.

Pure: no database, web or CLI imports, so it can be tested, benchmarked and run on a worker alone.
The solver lives in `reassure.planner.solve` (`solve`, `solve_report`) and is not imported here, so
that models, validator and baseline load without OR-Tools (highspy clashes with it in one process).
"""

from reassure.planner.baseline import greedy_plan, greedy_tours
from reassure.planner.constraints import RULE_NAMES, Violation
from reassure.planner.instance import Gap, Plan, Problem, Tour, dump_json, load_plan, load_problem
from reassure.planner.validate import ValidationReport, check_tours, validate

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

"""Print a fingerprint of the solver's plans on a fixed set of small problems (issue 24: the solver's regrouping).

Run it before and after a change that should not alter the solver's output; the hashes must match:

    PYTHONPATH=src python tools/solver_fingerprint.py

Deterministic settings, so the output does not depend on the machine's speed: seed 1, one CP-SAT worker (CP-SAT is
then deterministic for a seed), every CP-SAT call limited by deterministic time (`max_deterministic_time`, counted in
the solver's own work units) rather than by wall seconds, parts solved in this process, problems small enough that
the solver's wall-clock loops (column generation, local search) settle well within their shares of the time limit.
Check that by running it twice at different machine loads: the hashes must match before comparing two commits.
A plan's `solve_seconds` is left out of its hash. Only `reassure.planner.solver.solve` (which stays where it is)
and the generators are imported.
"""

from __future__ import annotations

import hashlib
import json
import sys
import time
from typing import Any

from ortools.sat.python import cp_model

from reassure.planner.families import FAMILIES, family_problem
from reassure.planner.generate import generate
from reassure.planner.instance import Plan, Problem

DETERMINISTIC_SECONDS = 1.0  # per CP-SAT call, in CP-SAT's deterministic time units
TIME_LIMIT = 600.0  # wall seconds per solve: far beyond these problems, so that a loaded machine does not bind it
SEED = 1


class _DeterministicSolver(cp_model.CpSolver):
    """CP-SAT limited by deterministic time instead of wall time, on one worker."""

    def solve(self, model: cp_model.CpModel, solution_callback: Any = None) -> Any:
        self.parameters.max_time_in_seconds = 10_000.0
        self.parameters.max_deterministic_time = DETERMINISTIC_SECONDS
        self.parameters.num_workers = 1
        return super().solve(model, solution_callback)


# Families left out: at 24 units their plans depend on the machine's speed (wall-clock budgets bind): two runs of
# one commit at different loads gave plans of the same coverage with different tours.
TIMING_DEPENDENT = ("capped", "conditional", "weeks", "partnered")


def problems() -> list[tuple[str, Problem]]:
    """The fixed set: generated tiny and small problems, and the planner families at 24 units."""
    found = [(f"generate {size} seed {seed}", generate(size, seed=seed)) for size in ("tiny", "small")
             for seed in (0, 1, 2)]
    found += [(f"family {name} 24 units seed 0", family_problem(name, units=24, seed=0)) for name in FAMILIES
              if name not in TIMING_DEPENDENT]
    return found


def plan_hash(plan: Plan) -> str:
    """Hash a plan without its timing."""
    data = plan.model_dump(mode="json", exclude={"solve_seconds"})
    return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()[:16]


def main() -> int:
    """Solve each problem, print one hash per plan and one over all of them."""
    cp_model.CpSolver = _DeterministicSolver  # type: ignore[misc]
    from reassure.planner.solver.runtime import in_process
    from reassure.planner.solver.solve import solve

    whole = hashlib.sha256()
    for name, problem in problems():
        began = time.perf_counter()
        plan = solve(problem, time_limit=TIME_LIMIT, seed=SEED, workers=1, runner=in_process)
        digest = plan_hash(plan)
        whole.update(digest.encode())
        print(f"{digest}  {name}: {plan.status}, coverage {plan.coverage:.4f}, {plan.tours_count} tours "
              f"({time.perf_counter() - began:.1f} s)", flush=True)
    print(f"{whole.hexdigest()[:16]}  all plans")
    return 0


if __name__ == "__main__":
    sys.exit(main())

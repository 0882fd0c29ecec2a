"""CP-SAT back end: a Sink writing the model, and one lexicographic stage solved from a hint."""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from ortools.sat.python import cp_model

from reassure.planner.instance import PlanStatus
from reassure.planner.solver.runtime import CancelToken, PartRunner, check

BIG_MODEL = 30_000  # variables above which presolve is kept light

# Event sink: (event, objective, bound) with event "start" | "solution" | "bound" | "done".
StageEvents = Callable[[str, float | None, float | None], None]


class CpSatSink:
    """Write variables and rows into a CP-SAT model."""

    def __init__(self) -> None:
        self.model = cp_model.CpModel()
        self.vars: list[cp_model.IntVar] = []

    def new_var(self, lb: int, ub: int) -> int:
        """Create a variable (Boolean when 0/1)."""
        v = self.model.new_bool_var("") if (lb, ub) == (0, 1) else self.model.new_int_var(lb, ub, "")
        self.vars.append(v)
        return len(self.vars) - 1

    def add_row(self, idx: Sequence[int], coef: Sequence[int], lb: int | None, ub: int | None) -> None:
        """Add lb <= Σ coef × var <= ub."""
        low = cp_model.INT_MIN if lb is None else lb
        high = cp_model.INT_MAX if ub is None else ub
        self.model.add_linear_constraint(self.expr(idx, coef), low, high)

    def expr(self, idx: Sequence[int], coef: Sequence[int]) -> cp_model.LinearExprT:
        """Return Σ coef × var as a CP-SAT expression."""
        return cp_model.LinearExpr.weighted_sum([self.vars[i] for i in idx], list(coef))

    def hint(self, values: Sequence[int]) -> None:
        """Replace the solution hint with a full assignment."""
        self.model.clear_hints()
        for v, val in zip(self.vars, values, strict=True):
            self.model.add_hint(v, val)


@dataclass(frozen=True)
class Stage:
    """One lexicographic objective: maximise or minimise Σ coef × var."""

    name: str
    idx: list[int]
    coef: list[int]
    maximise: bool

    def value(self, values: Sequence[int]) -> int:
        """Return the objective's value under an assignment."""
        return sum(values[i] * c for i, c in zip(self.idx, self.coef, strict=True))


@dataclass
class StageResult:
    """How one stage ended (status is CP-SAT's name, e.g. OPTIMAL)."""

    name: str
    status: str
    objective: float
    bound: float
    seconds: float


@dataclass(frozen=True)
class SolverConfig:
    """Seed and worker count for every CP-SAT call; where parts run and the token that cancels the solve."""

    seed: int
    workers: int
    cancel: CancelToken | None = None
    runner: PartRunner | None = None  # None: this machine's child processes


def map_status(status: cp_model.CpSolverStatus | int, has_solution: bool) -> PlanStatus:
    """Map a CP-SAT status to a plan status."""
    if status == cp_model.OPTIMAL:
        return "optimal"
    if status == cp_model.FEASIBLE or has_solution:
        return "feasible"
    if status == cp_model.INFEASIBLE:
        return "infeasible"
    if status == cp_model.MODEL_INVALID:
        raise RuntimeError("CP-SAT rejected the model as invalid")
    return "timeout_no_solution"


class _Watcher(cp_model.CpSolverSolutionCallback):
    """Forward each improving solution to the stage's event sink."""

    def __init__(self, events: StageEvents) -> None:
        super().__init__()
        self._events = events

    def on_solution_callback(self) -> None:
        self._events("solution", self.objective_value, self.best_objective_bound)


def run_stage(
    sink: CpSatSink,
    stage: Stage,
    values: list[int],
    budget: float,
    cfg: SolverConfig,
    events: StageEvents | None = None,
) -> tuple[StageResult, list[int]]:
    """Solve one stage from a full hint; return its result and the best assignment (the hint if none)."""
    model = sink.model
    model.clear_objective()
    if stage.maximise:
        model.maximize(sink.expr(stage.idx, stage.coef))
    else:
        model.minimize(sink.expr(stage.idx, stage.coef))
    sink.hint(values)
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(budget, 0.01)
    solver.parameters.random_seed = cfg.seed
    solver.parameters.num_workers = cfg.workers
    if cfg.workers > 1:
        # One LP-heavy full solver proves bounds; the other workers run LNS from the hint.
        solver.parameters.subsolvers.append("max_lp")
    else:
        solver.parameters.linearization_level = 2
    if len(sink.vars) > BIG_MODEL:
        # Probing a model this size costs more than it returns within planning time limits.
        solver.parameters.cp_model_probing_level = 0
        solver.parameters.max_presolve_iterations = 1
    emit: StageEvents = events or (lambda _e, _o, _b: None)
    emit("start", float(stage.value(values)), None)
    if events is not None:
        solver.best_bound_callback = lambda b: emit("bound", None, b)
    began = time.perf_counter()
    check(cfg.cancel)
    unhook = cfg.cancel.on_cancel(solver.stop_search) if cfg.cancel is not None else (lambda: None)
    try:
        status = solver.solve(model, _Watcher(emit))
    finally:
        unhook()
    check(cfg.cancel)
    if status == cp_model.MODEL_INVALID:
        raise RuntimeError(f"CP-SAT rejected the model in stage {stage.name}: {model.validate()}")
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        values = [int(v) for v in solver.response_proto.solution]
    objective = float(stage.value(values))
    bound = float(solver.best_objective_bound) if stage.idx else objective
    if status == cp_model.OPTIMAL:
        bound = objective
    elif (bound < objective) if stage.maximise else (bound > objective):
        # Without a search, CP-SAT may report no bound at all; never pass that on as proven.
        bound = math.inf if stage.maximise else -math.inf
    emit("done", objective, bound)
    result = StageResult(stage.name, solver.status_name(status), objective, bound, time.perf_counter() - began)
    return result, values


def lock(sink: CpSatSink, stage: Stage, values: Sequence[int]) -> None:
    """Keep a stage's achieved value as a row for the stages after it."""
    achieved = stage.value(values)
    sink.add_row(stage.idx, stage.coef, achieved if stage.maximise else None, None if stage.maximise else achieved)

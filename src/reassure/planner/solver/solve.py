"""Solve a problem with CP-SAT: independent parts, lexicographic stages, greedy hint and fallback.

Per part (units and tasks linked by compatibility), stages are separate solves on one model, each
locking the previous optimum as a row: (1) maximise covered weight, (2) with a reference plan, keep
as many of its tours as possible, (3) minimise the number of tours. Parts are solved with the
personnel caps as they stand, so the sum of their coverage bounds bounds the whole; if the joint
caps are then exceeded, the parts involved are re-solved in turn within what the others leave.
Finally, where fair shares are given, (4) the deviation from them is minimised over the whole.
"""

from __future__ import annotations

import math
import os
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from reassure.planner.hard_rules.repair import repair
from reassure.planner.hard_rules.score import Score, score
from reassure.planner.hard_rules.validate import check_tours
from reassure.planner.index import Instance
from reassure.planner.instance import Plan, PlanStatus, Problem, Tour
from reassure.planner.solver.baseline import cell_bound, greedy_tours, start_tours
from reassure.planner.solver.columns.by_columns import ColumnOutcome
from reassure.planner.solver.columns.generation import ColumnGeneration, Pool
from reassure.planner.solver.columns.parts import plan_parts
from reassure.planner.solver.cpsat.capacity import capacity_bounds
from reassure.planner.solver.cpsat.model import build, decode, hint_values
from reassure.planner.solver.cpsat.objective import add_fairness, add_stability
from reassure.planner.solver.cpsat.stages import (
    CpSatSink,
    SolverConfig,
    Stage,
    StageEvents,
    StageResult,
    lock,
    run_stage,
)
from reassure.planner.solver.decompose import Part, load_except, over_caps, parts, sub_instance, tours_of, trim_to_caps
from reassure.planner.solver.improve import improve
from reassure.planner.solver.processes import pool as processes
from reassure.planner.solver.result import frozen_conflicts, infeasible_plan, make_plan
from reassure.planner.solver.runtime import CancelToken, PartRunner, check

FIRST_STAGE_SHARE = 0.7  # coverage comes first, so it gets most of a part's time
COVERAGE_SHARE = 0.75  # of the time (after fairness), for phase 1: each part's coverage and bound
FIRST_ROUND = 0.4  # of phase 1, for a first look at every part
IMPROVE_SHARE = 0.08  # of the time limit at most, for each round of best-response local search
COLUMNS_SHARE = 0.92  # of the time limit, for column generation on the parts of a large problem
CAPACITY_SHARE = 0.1  # of the time limit at most, for the per-part capacity bound
COLUMNS_FROM = 15_000  # cells in a part from which CP-SAT's own bound and search come too slowly
EARLY_FROM = 100  # cells in a part from which a smaller problem gets column generation first (ADR 0025)
BOUND_SHARE = 0.3  # of the time limit, in CPU seconds at most, for each part's column-generation LP bound
WHOLE_SHARE = 0.4  # of the time limit, with that, for the whole problem's LP bound where caps bind across parts
EARLY_SHARE = 0.55  # of the time limit, up to which parts still open are planned by columns
MARGIN = 0.05  # of the time limit, kept for writing the plan and explaining its gaps
FAIRNESS_SHARE = 0.1  # of the time limit, kept for the burden-sharing stage when it applies
SECONDS_PER_VAR = 2e-5  # rough model-building cost, to skip a whole-model stage that cannot pay off


@dataclass(frozen=True)
class Progress:
    """A progress event: coverage found and proven bound so far, over the whole problem."""

    stage: str
    event: str  # "start" | "solution" | "bound" | "done"
    part: int
    parts: int
    coverage: float
    bound: float
    seconds: float
    time_limit: float


ProgressCallback = Callable[[Progress], None]


@dataclass
class SolveReport:
    """A plan with per-stage solver results and the greedy score it was measured against."""

    plan: Plan
    stages: list[StageResult] = field(default_factory=list)
    greedy: Score | None = None
    used_greedy: bool = False
    repaired_caps: bool = False
    parts: int = 0
    variables: int = 0
    cells: int = 0  # (unit, task, period) cells over all parts
    whole_bound: float = math.inf  # a bound on the whole problem's covered weight (column generation), if any
    start: str = "greedy"  # the better simple plan the solve started from: "greedy" (task walk) or "fill"
    origin: str = "optimiser"  # what the plan returned is: "optimiser", or the start plan when it was not beaten


@dataclass
class _Tracker:
    """Best known covered weight and bound per part, reported as whole-problem coverage."""

    callback: ProgressCallback | None
    weight: int
    began: float
    time_limit: float
    best: list[float]
    bound: list[float]
    whole: float = math.inf  # a bound on the whole problem's covered weight, where one is known

    def events(self, part: int, stage: str, bounds: bool = True) -> StageEvents | None:
        """Return the event sink of one part's solve; `bounds` when its bound holds for the whole."""
        if self.callback is None:
            return None

        def emit(event: str, objective: float | None, bound: float | None) -> None:
            if stage == "coverage" and objective is not None:
                self.best[part] = max(self.best[part], objective)
            if stage == "coverage" and bound is not None and bounds:
                self.bound[part] = max(self.best[part], min(self.bound[part], bound))
            self.report(stage, event, part)

        return emit

    def report(self, stage: str, event: str, part: int) -> None:
        if self.callback is None:
            return
        w = self.weight or 1
        cov = sum(self.best) / w if self.weight else 1.0
        bnd = min(sum(self.bound), self.whole) / w if self.weight else 1.0
        now = time.perf_counter() - self.began
        self.callback(Progress(stage, event, part, len(self.best), cov, bnd, now, self.time_limit))


@dataclass
class _PartOutcome:
    tours: list[Tour]
    bound: float
    results: list[StageResult]
    variables: int


def solve(
    problem: Problem,
    *,
    time_limit: float = 10.0,
    seed: int = 0,
    workers: int | None = None,
    callback: ProgressCallback | None = None,
    reference: Sequence[Tour] | None = None,
    cancel: CancelToken | None = None,
    runner: PartRunner | None = None,
) -> Plan:
    """Return the best plan found within the time limit (never worse than the greedy baseline).

    `cancel` stops the solve (raising Cancelled); `runner` runs the parts of a large problem (default: this
    machine's planner child processes), see runtime.py.
    """
    report = solve_report(
        problem, time_limit=time_limit, seed=seed, workers=workers, callback=callback, reference=reference,
        cancel=cancel, runner=runner,
    )
    return report.plan


def solve_report(
    problem: Problem,
    *,
    time_limit: float = 10.0,
    seed: int = 0,
    workers: int | None = None,
    callback: ProgressCallback | None = None,
    reference: Sequence[Tour] | None = None,
    cancel: CancelToken | None = None,
    runner: PartRunner | None = None,
) -> SolveReport:
    """Solve part by part in lexicographic stages and report every stage alongside the plan."""
    began = time.perf_counter()
    deadline = began + time_limit * (1 - MARGIN)
    inst = Instance(problem)
    conflicts = frozen_conflicts(inst)
    if conflicts:
        return SolveReport(infeasible_plan(inst, conflicts, time.perf_counter() - began))
    cfg = SolverConfig(seed, workers or os.cpu_count() or 1, cancel, runner)
    check(cancel)
    # The better of the task-by-task greedy walk and the unit-by-unit fill: the start, and the floor.
    greedy, start_name = start_tours(inst, sorted(reference or (), key=lambda r: (r.start, r.unit)))
    greedy_score = score(inst, greedy)
    plist = parts(inst)
    # Parts this big leave CP-SAT little time to search or to prove: local search by best response
    # lifts the greedy plan first, then column generation plans them and bounds them.
    big = any(p.size > COLUMNS_FROM for p in plist)
    if big and cfg.workers > 1 and runner is None:
        processes.start(cfg.workers)  # children import the planner while the start plan is polished
    share = IMPROVE_SHARE * time_limit if big else 0.0
    start = repair(inst, improve(inst, greedy, share, coverage_only=bool(reference))) if big else greedy
    chosen = [tours_of(p, inst, start) for p in plist]
    weight = inst.demand_weight()
    tracker = _Tracker(
        callback,
        weight,
        began,
        time_limit,
        best=[float(score(sub_instance(inst, p), c).covered_weight) for p, c in zip(plist, chosen, strict=True)],
        # Each cell capped by the units that may serve it: a relaxation, so a bound before any search (a part that
        # CP-SAT cannot bound in its time, e.g. headquarters planned with their components, keeps this one).
        bound=[float(cell_bound(sub_instance(inst, p))) for p in plist],
    )
    fair = any(n.fair_share is not None for n in problem.nations)
    keep_back = FAIRNESS_SHARE * time_limit if fair else 0.0
    if SECONDS_PER_VAR * 2 * sum(p.size for p in plist) > keep_back / 2:
        keep_back = 0.0  # the whole model is too big for the fairness stage's time: it will be skipped
    report = SolveReport(plan=infeasible_plan(inst, [], 0.0), greedy=greedy_score, parts=len(plist), start=start_name)
    report.cells = sum(p.size for p in plist)
    # How many periods units can serve in each interval bounds every part before any search.
    if big:
        caps_free = capacity_bounds(inst, plist, CAPACITY_SHARE * time_limit, cfg.workers)
        tracker.bound = [min(b, c) for b, c in zip(tracker.bound, caps_free, strict=True)]
    bounds = list(tracker.bound)
    # coverage proven optimal with caps as they stand
    proven = [b <= best + 1e-6 for b, best in zip(bounds, tracker.best, strict=True)]
    if big:
        _by_columns(inst, plist, chosen, bounds, proven, tracker, report, cfg, began + COLUMNS_SHARE * time_limit)
    elif report.cells >= EARLY_FROM and not all(proven):
        # Smaller problems get column generation first too (ADR 0025): CP-SAT's own bound stays weak on scarce
        # parts, while the LP of the schedule formulation solves in a fraction of a second there.
        # First each part's LP bound (caps as they stand; most solve in a few rounds); then, where a cap can bind
        # across parts, the whole problem's LP, which holds every cap as one row; then plans by columns for the
        # parts whose plan is still short of its bound. CP-SAT starts from those plans.
        # Their budgets are CPU seconds of this process (within the solve's wall deadline): on a busy machine
        # the bound still comes, and the plan gets less of the wall time instead.
        _part_bounds(inst, plist, chosen, bounds, proven, tracker, BOUND_SHARE * time_limit, deadline, cancel)
        if _caps_couple(inst, plist) and not all(proven):
            whole = _whole_bound(inst, chosen, (WHOLE_SHARE - BOUND_SHARE) * time_limit, deadline, cancel)
            report.whole_bound = tracker.whole = whole
            report.stages.append(StageResult("whole-lp", "FEASIBLE", sum(tracker.best), whole, 0.0))
            tracker.report("columns", "bound", 0)
            if whole <= sum(tracker.best) + 1e-6:
                proven = [True] * len(plist)
        if not all(proven):
            _by_columns(inst, plist, chosen, bounds, proven, tracker, report, cfg, began + EARLY_SHARE * time_limit,
                        in_process=True)
    settled = [False] * len(plist)  # every stage of the last solve proven optimal

    def run(i: int, end: float, todo: Sequence[int], names: Sequence[str], reserved: bool) -> None:
        """Solve part i with its size-share of the time to `end` among the parts in `todo` from i on."""
        check(cancel)
        if end - time.perf_counter() < 0.05:
            return  # out of time: building the part's model alone would overrun the limit; its plan stands
        rest = todo[todo.index(i) :]
        total = sum(plist[j].size for j in rest) or 1
        budget = max(0.05, (end - time.perf_counter()) * plist[i].size / total)
        sub = sub_instance(inst, plist[i], load_except(inst, chosen, i) if reserved else None)
        ref = tours_of(plist[i], inst, reference) if reference else None
        out = _solve_part(sub, chosen[i], ref, budget, cfg, tracker.events(i, "coverage", not reserved), names)
        chosen[i] = out.tours
        first = out.results[0]
        if not reserved:  # only parts solved with the caps as they stand bound the whole
            bounds[i] = min(bounds[i], out.bound)
            tracker.bound[i] = bounds[i]
            proven[i] = first.name == "coverage" and first.objective >= bounds[i]
        settled[i] = all(r.status == "OPTIMAL" for r in out.results)
        report.stages += out.results
        report.variables = max(report.variables, out.variables)

    # Phase 1: each part's best coverage on its own, caps as they stand: the bound and a first
    # plan. A first look at every part, then the time left goes to the parts still open.
    phase1_end = began + COVERAGE_SHARE * (deadline - began - keep_back)
    # On a large problem CP-SAT only pays off on the smaller parts: the others keep their column plans.
    searchable = [not (big and p.size > COLUMNS_FROM) for p in plist]
    for end in (began + FIRST_ROUND * (phase1_end - began), phase1_end):
        todo = [i for i in range(len(plist)) if not proven[i] and searchable[i]]
        if end <= time.perf_counter():
            continue
        for i in todo:  # a large problem's parts keep within what the others deploy: their plans stay valid
            run(i, end, todo, ("coverage",), big)
    # Phase 2: the parts' plans together may exceed a personnel cap; trim back to a feasible plan.
    touched: set[int] = set()
    if over_caps(inst, [t for lst in chosen for t in lst]):
        report.repaired_caps = True
        touched = _repair_caps(inst, plist, chosen, over_caps(inst, [t for lst in chosen for t in lst]), start)
        if big:
            left = max(0.0, (deadline - keep_back - time.perf_counter()) / 2)
            current = [t for lst in chosen for t in lst]
            polished = improve(inst, current, min(share, left), coverage_only=bool(reference))
            for i, p in enumerate(plist):
                chosen[i] = tours_of(p, inst, polished)
        tracker.best = [
            float(score(sub_instance(inst, p), c).covered_weight) for p, c in zip(plist, chosen, strict=True)
        ]
    # Phase 3: within what the other parts use, finish each part: coverage where still open, then
    # stability against the reference plan and the number of tours.
    todo = [i for i in range(len(plist)) if searchable[i] or reference]
    for i in todo:
        cover = () if proven[i] and i not in touched else ("coverage",)
        names = (*cover, *(("stability",) if reference else ()), "tours")
        run(i, deadline - keep_back, todo, names, True)
    check(cancel)
    tours = repair(inst, [t for lst in chosen for t in lst])  # local search and rounding plan unit by unit
    fair_ok = True
    if fair:
        tours, fair_ok = _balance(inst, tours, deadline, cfg, tracker, report)
    bound_weight = math.floor(min(sum(bounds), report.whole_bound) + 1e-6)
    closed = all(settled) and fair_ok and score(inst, tours).covered_weight >= bound_weight
    status: PlanStatus = "optimal" if closed else "feasible"
    if check_tours(inst, tours) or greedy_score.better_than(score(inst, tours)):
        tours, status, report.used_greedy, report.origin = greedy, "feasible", True, start_name
    bound = bound_weight / weight if weight else 1.0
    plan = make_plan(inst, tours, status, bound, time.perf_counter() - began)
    report.plan = plan.model_copy(update={"origin": report.origin})
    return report


def _by_columns(
    inst: Instance,
    plist: Sequence[Part],
    chosen: list[list[Tour]],
    bounds: list[float],
    proven: list[bool],
    tracker: _Tracker,
    report: SolveReport,
    cfg: SolverConfig,
    end: float,
    in_process: bool = False,
) -> None:
    """Solve the open parts by column generation until `end`, each within what the others deploy."""

    def done(i: int, out: ColumnOutcome, seconds: float) -> None:
        sub = sub_instance(inst, plist[i])
        covered = float(score(sub, out.tours).covered_weight)
        bounds[i] = min(bounds[i], out.bound)
        proven[i] = covered >= bounds[i] - 1e-6
        tracker.best[i], tracker.bound[i] = covered, bounds[i]
        tracker.report("columns", "done", i)
        status = "OPTIMAL" if proven[i] else "FEASIBLE"
        report.stages.append(StageResult("columns", status, covered, bounds[i], seconds))

    gain = {i: bounds[i] - tracker.best[i] for i in range(len(plist)) if not proven[i]}
    plan_parts(inst, plist, chosen, gain, end, cfg.workers, cfg.seed, done, runner=cfg.runner, cancel=cfg.cancel,
               in_process=in_process)


def _caps_couple(inst: Instance, plist: Sequence[Part]) -> bool:
    """Tell whether a personnel cap could bind across parts: a capped nation whose units in two or more parts
    could together exceed the room its cap leaves in some period."""
    where: dict[str, set[int]] = {}
    total: dict[str, int] = {}
    for i, p in enumerate(plist):
        for u in p.units:
            unit = inst.units[u]
            if inst.caps.get(unit.nation) is not None:
                where.setdefault(unit.nation, set()).add(i)
                total[unit.nation] = total.get(unit.nation, 0) + unit.personnel
    for code, found in where.items():
        room = min((inst.cap_left(code, t) or 0) for t in range(inst.periods))
        if len(found) > 1 and total[code] > room:
            return True
    return False


def _part_bounds(
    inst: Instance,
    plist: Sequence[Part],
    chosen: Sequence[Sequence[Tour]],
    bounds: list[float],
    proven: list[bool],
    tracker: _Tracker,
    cpu: float,
    deadline: float,
    cancel: CancelToken | None,
) -> None:
    """Bound each open part by its column-generation LP (caps as they stand) for `cpu` CPU seconds at most (and
    not past `deadline`), smallest parts first, each with its size's share of what is left (unused time flows on).
    """
    todo = sorted((i for i in range(len(plist)) if not proven[i]), key=lambda i: plist[i].size)
    cpu_end = time.process_time() + cpu
    for n, i in enumerate(todo):
        total = sum(plist[j].size for j in todo[n:]) or 1
        budget = (cpu_end - time.process_time()) * plist[i].size / total
        if budget <= 0 or time.perf_counter() >= deadline:
            break
        pool = _grow(ColumnGeneration(sub_instance(inst, plist[i]), chosen[i]), budget, deadline, cancel)
        bounds[i] = min(bounds[i], math.floor(min(pool.bound, float(tracker.bound[i])) + 1e-6))
        tracker.bound[i] = bounds[i]
        proven[i] = tracker.best[i] >= bounds[i] - 1e-6
        tracker.report("columns", "bound", i)


def _grow(generation: ColumnGeneration, cpu: float, deadline: float, cancel: CancelToken | None) -> Pool:
    """Grow the LP until it is solved, `cpu` CPU seconds are spent or `deadline` passes, in slices of at most
    half a second, checking `cancel` between them."""
    cpu_end = time.process_time() + cpu
    while True:
        check(cancel)
        pool = generation.grow(min(0.5, max(0.01, cpu_end - time.process_time())))
        if pool.converged or pool.a is None or time.process_time() >= cpu_end or time.perf_counter() >= deadline:
            return pool


def _whole_bound(
    inst: Instance, chosen: Sequence[Sequence[Tour]], cpu: float, deadline: float, cancel: CancelToken | None
) -> float:
    """Return the whole problem's column-generation bound on covered weight, grown for `cpu` CPU seconds at most.

    Every personnel cap is one row here, so where caps bind across parts this is tighter than the sum of the
    parts' bounds (each of which assumes its part may use the whole cap).
    """
    pool = _grow(ColumnGeneration(inst, [t for lst in chosen for t in lst]), cpu, deadline, cancel)
    return float(math.floor(min(pool.bound, float(inst.demand_weight())) + 1e-6))


def _solve_part(
    sub: Instance,
    hint: Sequence[Tour],
    reference: Sequence[Tour] | None,
    budget: float,
    cfg: SolverConfig,
    events: StageEvents | None,
    names: Sequence[str],
) -> _PartOutcome:
    """Run the named stages (coverage, stability, tours) on one part from a feasible hint.

    An objective ranked above the stages run keeps its current value, so they cannot trade it away.
    """
    part_deadline = time.perf_counter() + budget
    sink = CpSatSink()
    m = build(sub, sink)
    cov_idx, cov_coef = m.coverage_terms()
    every = [Stage("coverage", cov_idx, cov_coef, True)]
    if reference:
        keeps = add_stability(m, reference)
        every.append(Stage("stability", keeps, [1] * len(keeps), True))
    tour_vars = m.tour_vars()
    every.append(Stage("tours", tour_vars, [1] * len(tour_vars), False))
    values = hint_values(m, hint)
    first = next(j for j, s in enumerate(every) if s.name in names)
    for stage in every[:first]:  # objectives ranked above those run keep their current value
        lock(sink, stage, values)
    stages = [s for s in every if s.name in names]
    results: list[StageResult] = []
    bound = float(sub.demand_weight())
    for j, stage in enumerate(stages):
        remaining = part_deadline - time.perf_counter()
        if j > 0 and remaining <= 0.02:
            results.append(StageResult(stage.name, "SKIPPED", float(stage.value(values)), 0.0, 0.0))
            lock(sink, stage, values)
            continue
        share = FIRST_STAGE_SHARE if (j == 0 and len(stages) > 1) else 1.0 / (len(stages) - j)
        result, values = run_stage(sink, stage, values, remaining * share, cfg, events)
        if stage.name == "coverage":
            bound = result.bound
        results.append(result)
        lock(sink, stage, values)
    return _PartOutcome(decode(m, values), bound, results, m.n_vars)


def _repair_caps(
    inst: Instance, plist: Sequence[Part], chosen: list[list[Tour]], bad: set[str], fallback: Sequence[Tour]
) -> set[int]:
    """Replace the parts' plans by a feasible one; return the parts that use an exceeded cap.

    The new plan is the better of the parts' tours trimmed where they exceed a cap (gaps refilled
    greedily) and the greedy plan.
    """
    trimmed = trim_to_caps(inst, [t for lst in chosen for t in lst])
    start = greedy_tours(inst, sorted(trimmed, key=lambda r: (r.start, r.unit)))
    if score(inst, fallback).better_than(score(inst, start)):
        start = list(fallback)
    for i, p in enumerate(plist):
        chosen[i] = tours_of(p, inst, start)
    return {i for i, p in enumerate(plist) if any(inst.units[u].nation in bad for u in p.units)}


def _balance(
    inst: Instance,
    tours: list[Tour],
    deadline: float,
    cfg: SolverConfig,
    tracker: _Tracker,
    report: SolveReport,
) -> tuple[list[Tour], bool]:
    """Minimise the deviation from fair shares over the whole problem, keeping coverage and tour count."""
    remaining = deadline - time.perf_counter()
    if remaining < 0.5 or SECONDS_PER_VAR * 2 * report.cells > remaining / 2:
        report.stages.append(StageResult("fairness", "SKIPPED", 0.0, 0.0, 0.0))
        return tours, False
    sink = CpSatSink()
    m = build(inst, sink)
    cov_idx, cov_coef = m.coverage_terms()
    tour_vars = m.tour_vars()
    devs = add_fairness(m)
    values = hint_values(m, tours)
    lock(sink, Stage("coverage", cov_idx, cov_coef, True), values)
    lock(sink, Stage("tours", tour_vars, [1] * len(tour_vars), False), values)
    stage = Stage("fairness", devs, [1] * len(devs), False)
    budget = deadline - time.perf_counter()
    result, values = run_stage(sink, stage, values, budget, cfg, tracker.events(0, "fairness"))
    report.stages.append(result)
    return decode(m, values), result.status == "OPTIMAL"

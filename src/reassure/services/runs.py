"""Long runs behind background jobs: solve a scenario, re-plan a stored plan, sample robustness, ask what units
would close a plan's gaps, evaluate rules;
each stores its result through the domains' actions and reports progress; a cancel token stops it. The table of
job kinds (services/job_kinds.py) names them.

A run holds no database transaction while it computes: it reads in one unit of work, computes, then writes in
another (`read` and `write` open them for the job's owner).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from sqlalchemy.orm import Session

from reassure.core.labels import stage_label
from reassure.core.markings import parse_marking
from reassure.domains.incidents.service import incidents_marking
from reassure.domains.planning.problem import problem_and_marking, problem_json
from reassure.domains.plans.actions import attach_asks, store_plan
from reassure.domains.plans.service import get_plan, get_stored
from reassure.planner.analysis.asks import AskProgress
from reassure.planner.analysis.robustness import robustness
from reassure.planner.instance import Plan, Problem
from reassure.planner.solver.runtime import CancelToken
from reassure.planner.solver.solve import Progress, solve
from reassure.services.asks import asks_for
from reassure.services.job_requests import AsksJob, RobustnessJob, RulesJob, SolveJob, WhatIfJob
from reassure.services.planning import whatif_picture

T = TypeVar("T")
Work = Callable[[Callable[[Session], Any]], Any]
OnProgress = Callable[[float, float | None, float | None, str], None]  # share done, coverage, bound, message
OnMarking = Callable[[str], None]  # the marking (column form) of the data a run has just read


@dataclass(frozen=True)
class RunResult:
    """What a run produced: a summary for the job, and the stored plan if it made one."""

    summary: dict[str, Any] = field(default_factory=dict)
    plan_id: str | None = None  # the stored plan's public id
    document: bytes | None = None  # a file it produced (a brief's PDF), named by summary["file"]


def progress_text(stage: str, part: int, parts: int) -> str:
    """Say a solver's progress in words for people: "solving, part 16 of 18"."""
    return f"{stage_label(stage)}, part {part + 1} of {parts}" if parts > 1 else stage_label(stage)


def _solver_progress(on_progress: OnProgress, limit: float) -> Callable[[Progress], None]:
    def show(event: Progress) -> None:
        on_progress(min(1.0, event.seconds / max(limit, 1e-9)), event.coverage, event.bound,
                    progress_text(event.stage, event.part, event.parts))
    return show


def run_solve(request: SolveJob, *, read: Work, write: Work, on_progress: OnProgress,
              cancel: CancelToken, on_marking: OnMarking) -> RunResult:
    """Solve a scenario's problem and store the plan."""
    problem, rel_to = read(lambda db: problem_and_marking(request.scenario, db=db))
    on_marking(rel_to)  # before any figure is written: the data may be narrower than when the job was queued
    plan = solve(problem, time_limit=request.time_limit, seed=request.seed, cancel=cancel,
                 callback=_solver_progress(on_progress, request.time_limit))
    settings = {"method": "cp-sat", "time_limit": request.time_limit, "seed": request.seed, "via": "job"}
    stored = write(lambda db: store_plan(db=db, scenario=request.scenario, problem=problem_json(problem), plan=plan,
                                         rel_to=rel_to, settings=settings, label=request.label))
    return RunResult({"coverage": plan.coverage, "bound": plan.bound, "tours": plan.tours_count,
                      "gaps": len(plan.gaps), "status": plan.status}, stored.id)


def run_whatif(request: WhatIfJob, *, read: Work, write: Work, on_progress: OnProgress,
               cancel: CancelToken, on_marking: OnMarking) -> RunResult:
    """Re-plan a stored plan after changes and store the re-plan linked to its base."""
    base = read(lambda db: get_plan(request.plan_id, db=db))
    on_marking(parse_marking(base.marking).to_column())
    picture = whatif_picture(Problem.model_validate(base.problem), Plan.model_validate(base.plan), request.changes,
                             seconds=request.time_limit, seed=request.seed, cancel=cancel,
                             callback=_solver_progress(on_progress, request.time_limit))
    settings = {"method": "what-if", "time_limit": request.time_limit, "seed": request.seed, "via": "job",
                "changes": [c.model_dump(mode="json") for c in request.changes]}

    def store(db: Session) -> Any:
        return store_plan(db=db, scenario=base.scenario, problem=problem_json(picture.problem), plan=picture.plan,
                          rel_to=get_stored(request.plan_id, db=db).rel_to, settings=settings,
                          label=f"what-if on {request.plan_id}", base=request.plan_id)

    stored = write(store)
    c = picture.comparison
    return RunResult({"base_coverage": c.base_coverage, "coverage": c.new_coverage, "base_gaps": c.base_gaps,
                      "gaps": c.new_gaps, "base_missing": c.base_missing, "missing": c.new_missing,
                      "kept": c.kept, "changed": c.changed, "added": c.added, "removed": c.removed,
                      "opened": [{"task": o.task, "unit_months": o.unit_months, "reason": o.reason}
                                 for o in picture.opened]}, stored.id)


def run_robustness(request: RobustnessJob, *, read: Work, write: Work, on_progress: OnProgress,
                   cancel: CancelToken, on_marking: OnMarking) -> RunResult:
    """Sample a stored plan's coverage when pledged units fail to materialise (no write: the summary is the result)."""
    stored = read(lambda db: get_plan(request.plan_id, db=db))
    on_marking(parse_marking(stored.marking).to_column())
    cancel.check()
    report = robustness(Problem.model_validate(stored.problem), Plan.model_validate(stored.plan).tours,
                        samples=request.samples, seed=request.seed, top=10, cancel=cancel)
    on_progress(1.0, None, None, "sampled")
    return RunResult(report.model_dump(mode="json"), None)


def run_asks(request: AsksJob, *, read: Work, write: Work, on_progress: OnProgress,
             cancel: CancelToken, on_marking: OnMarking) -> RunResult:
    """Find what additional units lift a stored plan to the target (verified by re-solving) and store the asks with
    the plan."""
    stored = read(lambda db: get_plan(request.plan_id, db=db))
    on_marking(parse_marking(stored.marking).to_column())

    def show(event: AskProgress) -> None:
        on_progress(event.share, event.coverage, event.bound, f"asks round {event.round}: {event.stage}")

    _base, asks = asks_for(Problem.model_validate(stored.problem), request.target,
                           base=Plan.model_validate(stored.plan), fair_shares=request.fair_shares,
                           seconds=request.time_limit, rounds=request.rounds, seed=request.seed, callback=show,
                           cancel=cancel)
    settings = {"target": request.target, "fair_shares": request.fair_shares, "time_limit": request.time_limit,
                "rounds": request.rounds, "seed": request.seed, "via": "job"}
    write(lambda db: attach_asks(request.plan_id, asks, db=db, settings=settings))
    return RunResult({"target": asks.target, "base_coverage": asks.base_coverage, "coverage": asks.coverage,
                      "bound": asks.bound, "reached": asks.reached, "short_by": asks.short_by,
                      "units": asks.units_asked, "asks": [{"nation": a.nation, "capability": a.capability,
                                                           "start": a.start, "count": a.count} for a in asks.asks]},
                     request.plan_id)


def run_rules(request: RulesJob, *, read: Work, write: Work, on_progress: OnProgress,
              cancel: CancelToken, on_marking: OnMarking) -> RunResult:
    """Evaluate the bundled rules over the owner's incidents and store the evaluations."""
    # Deferred: the job worker starts without polars and the rules, only a rules job loads them
    # (`python -X importtime`: +219 modules, ~0.5 s wall, 0.2 s CPU on the 2-core build machine).
    from reassure.domains.evaluations.actions import store_evaluations
    from reassure.domains.requests.actions import follow_up_late_asks
    from reassure.rules import load_bundled_rules
    from reassure.services.renewals import follow_up_expiring
    from reassure.services.situation import rule_states

    rules = load_bundled_rules()
    cancel.check()

    def evaluate(db: Session) -> Any:
        on_marking(incidents_marking(db=db))
        stored = store_evaluations([s.evaluation for s in rule_states(rules, db=db, at=request.at, bundled=True)],
                                   db=db)
        follow_up_expiring(db=db)
        follow_up_late_asks(db=db)
        return stored

    stored = write(evaluate)
    return RunResult({"evaluations": [e.id for e in stored], "met": [e.rule_id for e in stored if e.met]}, None)


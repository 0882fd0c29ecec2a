"""Stored plans: list, one with its tours and gaps, diff of two, re-validation against the stored problem."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request
from pydantic import BaseModel, ConfigDict, Field

from reassure.api.deps import CallerDep
from reassure.api.pages import Limit, Offset, Page, page
from reassure.domains.jobs.schemas import JobRead
from reassure.domains.plans.schemas import AsksPicture, PlanDetail, PlanDiff, PlanRead
from reassure.domains.plans.service import diff_plans, get_plan, page_plans, plan_asks, revalidate
from reassure.jobs.worker import queue_of
from reassure.planner.hard_rules.validate import ValidationReport
from reassure.services.job_requests import AsksJob

router = APIRouter(tags=["plans"])
# A public id (`plan_…`). Any other text, an old number included, is looked up and answers 404 like an unknown id:
# no pattern here, whose 422 would tell the shape apart from "not found".
PlanId = Annotated[str, Path(description="a stored plan's public id, e.g. plan_k3x9q2m4v7c1w8ze")]


@router.get("/plans", response_model=Page[PlanRead])
def plans(caller: CallerDep, scenario: Annotated[str | None, Query(max_length=120)] = None, limit: Limit = 50,
          offset: Offset = 0) -> Page[PlanRead]:
    """Stored plans, newest first: coverage, bound, gaps, author, marking (computed from planning assumptions)."""
    return page(*caller.read(lambda db: page_plans(db=db, scenario=scenario, limit=limit, offset=offset)), limit,
                offset)


@router.get("/plans/{plan_id}", response_model=PlanDetail)
def plan(caller: CallerDep, plan_id: PlanId) -> PlanDetail:
    """One stored plan with its problem snapshot, settings, tours, gaps and solver statistics."""
    return caller.read(lambda db: get_plan(plan_id, db=db))


@router.get("/plans/{plan_id}/validation", response_model=ValidationReport)
def validation(caller: CallerDep, plan_id: PlanId) -> ValidationReport:
    """Re-check a stored plan against every hard rule of its stored problem."""
    return caller.read(lambda db: revalidate(plan_id, db=db))


@router.get("/plans/{plan_id}/diff/{other_id}", response_model=PlanDiff)
def diff(caller: CallerDep, plan_id: PlanId, other_id: PlanId) -> PlanDiff:
    """Two stored plans side by side: coverage, gaps and shortfall per task."""
    return caller.read(lambda db: diff_plans(plan_id, other_id, db=db))


@router.get("/plans/{plan_id}/asks", response_model=AsksPicture | None)
def asks(caller: CallerDep, plan_id: PlanId) -> AsksPicture | None:
    """The force-generation asks stored with a plan, in words and one row per ask (null when it has none):
    planning assumptions, verified by re-solving the plan with the asked units added."""
    return caller.read(lambda db: plan_asks(plan_id, db=db))


class AsksRequest(BaseModel):
    """What to ask for: the coverage to reach and how fair shares bind (docs/adr/0024)."""

    model_config = ConfigDict(extra="forbid", strict=True)

    target: float = Field(gt=0, le=1, description="coverage to reach, as a fraction (0.95 for 95 %)")
    fair_shares: str = Field("strict", pattern="^(strict|prefer|ignore)$")
    time_limit: float = Field(10.0, ge=0.5, le=600, description="seconds for each re-solve")
    rounds: int = Field(4, ge=1, le=10)
    seed: int = Field(0, ge=0, le=2**31 - 1)


@router.post("/plans/{plan_id}/asks", response_model=JobRead, status_code=202)
def start_asks(caller: CallerDep, request: Request, plan_id: PlanId, body: AsksRequest) -> JobRead:
    """Queue an asks job on a plan (planners of the nation that made it): the fewest additional units that lift it to
    the target within caps and fair shares; the job stores them with the plan."""
    job = AsksJob(plan_id=plan_id, target=body.target, fair_shares=body.fair_shares,  # type: ignore[arg-type]
                  time_limit=body.time_limit, rounds=body.rounds, seed=body.seed)
    return queue_of(request).submit(caller.identity, job)

"""Stored plans: list, one with its tours and gaps, diff of two, re-validation against the stored problem."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query

from reassure.api.deps import CallerDep
from reassure.api.pages import Limit, Offset, Page, page
from reassure.domains.plans.schemas import PlanDetail, PlanDiff, PlanRead
from reassure.domains.plans.service import diff_plans, get_plan, list_plans, revalidate
from reassure.planner.hard_rules.validate import ValidationReport

router = APIRouter(tags=["plans"])
# A public id (`plan_…`). Any other text, an old number included, is looked up and answers 404 like an unknown id:
# no pattern here, whose 422 would tell the shape apart from "not found".
PlanId = Annotated[str, Path(description="a stored plan's public id, e.g. plan_k3x9q2m4v7c1w8ze")]


@router.get("/plans", response_model=Page[PlanRead])
def plans(caller: CallerDep, scenario: Annotated[str | None, Query(max_length=120)] = None, limit: Limit = 50,
          offset: Offset = 0) -> Page[PlanRead]:
    """Stored plans, newest first: coverage, bound, gaps, author, marking (computed from planning assumptions)."""
    return page(caller.read(lambda db: list_plans(db=db, scenario=scenario)), limit, offset)


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

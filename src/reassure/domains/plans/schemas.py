"""What the plans domain returns: listings, one plan whole, and the difference between two."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import BaseModel

from reassure.planner.distance import distance_words


class PlanRead(BaseModel):
    """A stored plan as listings show it; `id` and `base` are public ids (`plan_…`), never the internal number."""

    id: str
    scenario: str
    label: str
    base: str | None
    method: str
    status: str
    coverage: float
    bound: float
    tours: int
    gaps: int
    author: str
    created_at: datetime
    marking: str

    @property
    def distance(self) -> str:
        """How far the plan may be from the best possible, in words (from its coverage and proven bound)."""
        return distance_words(self.coverage, self.bound)


class PlanDetail(PlanRead):
    """A stored plan whole: its problem, settings and plan (DESIGN §3 JSON)."""

    settings: dict[str, Any]
    problem: dict[str, Any]
    plan: dict[str, Any]


class PlanDiff(BaseModel):
    """How plan B differs from plan A: coverage and tours (kept, changed, added, removed), and gaps by task."""

    a: str  # public ids
    b: str
    coverage_a: float
    coverage_b: float
    tours_kept: int
    tours_changed: list[str]  # units in both plans whose tours differ
    tours_added: list[str]  # "UNIT on TASK start-end" in B only
    tours_removed: list[str]  # in A only
    short_by_task_a: dict[str, int]  # unit-periods short per task
    short_by_task_b: dict[str, int]


class TourRead(BaseModel):
    """One tour of a stored plan with real dates: a unit of a nation on a task from its first to its last day."""

    plan: str  # the plan's public id
    unit: str
    nation: str
    capability: str
    task: str
    location: str
    start: date  # first day of the first period
    end: date  # last day of the last period
    first_period: int
    last_period: int
    personnel: int
    marking: str  # the plan's


class CoverageCell(BaseModel):
    """One task in one period of a stored plan: units demanded and units the plan puts there."""

    task: str
    period: int
    period_start: date
    demand: int
    covered: int  # at most the demand


class PlanPicture(BaseModel):
    """What the plan page shows of a stored plan: its listing, tours with dates, coverage by task and period,
    gaps with the rules' reasons, and each nation's burden against its fair share (all from planning assumptions)."""

    plan: PlanRead
    tours: list[TourRead]
    coverage: list[CoverageCell]
    gaps: list[dict[str, Any]]  # task, periods, missing, reason, and the span as dates
    burden: list[dict[str, Any]]  # nation, personnel_periods, share, fair_share, fair_source, delta
    flags: dict[str, bool]

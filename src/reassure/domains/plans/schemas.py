"""What the plans domain returns: listings, one plan whole, and the difference between two."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import BaseModel

from reassure.planner.analysis.robustness import RobustnessReport
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


class PhaseSpan(BaseModel):
    """A phase of the mission as a plan carries it (docs/adr/0044): its name and dates, its entry condition, the
    monitor rule that checks it with that rule's latest state in the reader's view, and the tasks it hands over to
    Ukrainian forces."""

    key: str
    name: str
    start: date  # first day of its first period
    end: date  # last day of its last period
    span: str  # its months or weeks in words ("Jan 2027 – Mar 2027")
    entry: str = ""
    rule: str | None = None  # the rule's id (never shown: rule_name is)
    rule_name: str = ""
    rule_state: str = ""  # met, not met, unknown; "not evaluated" when the reader has no evaluation of it
    rule_marking: str = ""  # the marking of the evaluation the state comes from (a brief showing it is marked so)
    handover: list[str] = []


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


class AskRow(BaseModel):
    """One force-generation ask as people read it: so many units of a capability from a nation, from a month."""

    capability: str  # as people write it ("engineer company")
    nation: str
    count: int
    start: int  # period
    start_date: date  # first day of that period
    start_label: str  # "Jan 2028" or "w/c 2028-01-03"
    personnel: int  # per unit
    fair_share: float | None
    pledged_share: float | None  # the nation's share of pledged personnel-months before the asks
    fair: str  # "within its fair share" | "above its fair share" | "no fair share set"
    closes: list[str]  # "EOD-DEMINING Oct 2027 – Dec 2027"
    close_tasks: list[str] = []  # the keys of the tasks it closes gaps of, in order
    adds: float  # coverage these units add in the verified plan
    template: str  # where the units' size and rotation come from


class AsksPicture(BaseModel):
    """A stored plan's force-generation asks (planning assumptions, verified by re-solving with the units added)."""

    target: float
    base_coverage: float
    coverage: float  # verified
    bound: float
    reached: bool
    short_by: float
    units: int
    fair_shares: str
    note: str
    seconds: float
    lines: list[str]  # the asks in words
    rows: list[AskRow]


class PlanPicture(BaseModel):
    """What the plan page shows of a stored plan: its listing, tours with dates, coverage by task and period,
    gaps with the rules' reasons, and each nation's burden against its fair share (all from planning assumptions)."""

    plan: PlanRead
    tours: list[TourRead]
    coverage: list[CoverageCell]
    gaps: list[dict[str, Any]]  # task, periods, missing, reason, and the span as dates
    burden: list[dict[str, Any]]  # nation, personnel_periods, share, fair_share, fair_source, delta
    flags: dict[str, bool]
    # Pledge sizes the plan counts on that are planning assumptions (ranges, undisclosed priors), in words
    assumptions: list[str] = []
    robustness: RobustnessReport | None = None  # docs/adr/0023
    robustness_words: list[str] = []  # the same, in sentences for people
    asks: AsksPicture | None = None  # force-generation asks stored with the plan, if any
    phases: list[PhaseSpan] = []  # the mission's phases the plan was solved with (docs/adr/0044)

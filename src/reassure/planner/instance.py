"""Planner problem and plan models (DESIGN §3), exactly as other tools read and write them."""

from __future__ import annotations

import json
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

Location = Literal["inside", "adjacent", "sea", "air"]
PeriodKind = Literal["month", "week"]
PlanStatus = Literal["optimal", "feasible", "infeasible", "timeout_no_solution"]
UKRAINE = "UKR"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Horizon(_Strict):
    """Planning horizon: `periods` steps of one `period` from `start`."""

    start: date
    period: PeriodKind
    periods: int = Field(ge=1)


class NationEntry(_Strict):
    """A contributing nation with its optional personnel cap and fair share."""

    code: str = Field(min_length=1)
    max_personnel: int | None = Field(default=None, ge=0)
    fair_share: float | None = Field(default=None, ge=0, le=1)


class LegalInstrument(_Strict):
    """A SOFA, MoU or ROE profile between a nation and a host, in force from a period."""

    nation: str
    host: str
    kind: str
    in_force_from: int = Field(ge=0)


class Task(_Strict):
    """A requirement: demand of one capability at one location, per period."""

    id: str = Field(min_length=1)
    capability: str
    location: Location
    demand: list[int] | int
    priority: int = Field(ge=0)
    requires_legal: list[str]
    nations: list[str] | None = None


class Unit(_Strict):
    """A pledged unit with its availability, rotation policy, caveats and conditions."""

    id: str = Field(min_length=1)
    nation: str
    capability: str
    personnel: int = Field(ge=0)
    available_from: int = Field(ge=0)
    available_to: int = Field(ge=0)
    max_tour: int = Field(ge=1)
    min_dwell: int = Field(ge=0)
    locations: list[Location]
    exclude_tasks: list[str] = Field(default_factory=list)
    conditions: list[str] = Field(default_factory=list)
    probability: float = Field(default=1.0, ge=0, le=1)


class Tour(_Strict):
    """One unit on one task for the consecutive periods start … end (inclusive)."""

    unit: str
    task: str
    start: int
    end: int

    def key(self) -> tuple[str, str, int, int]:
        """Return the tour as a hashable tuple."""
        return (self.unit, self.task, self.start, self.end)

    def periods(self) -> range:
        """Return the periods the tour covers."""
        return range(self.start, self.end + 1)


class Problem(_Strict):
    """A rotation-planning problem (DESIGN §3)."""

    horizon: Horizon
    flags: dict[str, bool]
    nations: list[NationEntry]
    legal: list[LegalInstrument]
    tasks: list[Task]
    units: list[Unit]
    frozen: list[Tour] = Field(default_factory=list)

    @model_validator(mode="after")
    def _check_references(self) -> Problem:
        errors = _reference_errors(self)
        if errors:
            raise ValueError("; ".join(errors))
        return self

    def demand_of(self, task: Task) -> list[int]:
        """Return a task's demand as one integer per period."""
        if isinstance(task.demand, int):
            return [task.demand] * self.horizon.periods
        return list(task.demand)


def _duplicates(values: list[str]) -> list[str]:
    return sorted(v for v, n in Counter(values).items() if n > 1)


def _reference_errors(p: Problem) -> list[str]:
    """List cross-field errors, each prefixed with the field's location."""
    errs: list[str] = []
    n = p.horizon.periods
    for label, ids in (
        ("nations", [x.code for x in p.nations]),
        ("tasks", [t.id for t in p.tasks]),
        ("units", [u.id for u in p.units]),
    ):
        for dup in _duplicates(ids):
            errs.append(f"{label}: duplicate id {dup!r}")
    codes = {x.code for x in p.nations}
    task_ids = {t.id for t in p.tasks}
    unit_ids = {u.id for u in p.units}
    for i, t in enumerate(p.tasks):
        if isinstance(t.demand, int):
            if t.demand < 0:
                errs.append(f"tasks.{i}.demand: must be >= 0")
        else:
            if len(t.demand) != n:
                errs.append(f"tasks.{i}.demand: has {len(t.demand)} entries, horizon has {n} periods")
            if any(d < 0 for d in t.demand):
                errs.append(f"tasks.{i}.demand: entries must be >= 0")
    for i, u in enumerate(p.units):
        if u.nation not in codes:
            errs.append(f"units.{i}.nation: {u.nation!r} is not listed in nations")
        if u.available_to < u.available_from:
            errs.append(f"units.{i}.available_to: {u.available_to} is before available_from {u.available_from}")
    for i, f in enumerate(p.frozen):
        if f.unit not in unit_ids:
            errs.append(f"frozen.{i}.unit: unknown unit {f.unit!r}")
        if f.task not in task_ids:
            errs.append(f"frozen.{i}.task: unknown task {f.task!r}")
        if not 0 <= f.start <= f.end < n:
            errs.append(f"frozen.{i}: periods {f.start}..{f.end} not inside 0..{n - 1}")
    return errs


class Gap(_Strict):
    """Consecutive periods where a task is short by the same number of units."""

    task: str
    periods: list[int]
    missing: int
    reason: str


class Plan(_Strict):
    """A solved rotation schedule with its score (DESIGN §3)."""

    status: PlanStatus
    tours: list[Tour]
    coverage: float
    covered_weight: int
    demand_weight: int
    tours_count: int
    bound: float
    gaps: list[Gap]
    solve_seconds: float
    # Optional (issue 23): "optimiser", or "greedy" / "fill" when the better simple plan was returned unbeaten.
    origin: Literal["optimiser", "greedy", "fill"] | None = None


def load_problem(path: str | Path) -> Problem:
    """Read and validate a problem JSON file (raises pydantic.ValidationError)."""
    return Problem.model_validate_json(Path(path).read_text(encoding="utf-8"))


def load_plan(path: str | Path) -> Plan:
    """Read and validate a plan JSON file (raises pydantic.ValidationError)."""
    return Plan.model_validate_json(Path(path).read_text(encoding="utf-8"))


def dump_json(model: BaseModel) -> str:
    """Serialise a problem or plan as indented JSON."""
    return json.dumps(model.model_dump(mode="json"), indent=2) + "\n"

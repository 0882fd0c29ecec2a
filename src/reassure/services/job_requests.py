"""What a caller sends to start a job of each kind: the parameters its run function reads (services/job_kinds.py
names the kinds)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator, model_validator

from reassure.core.days import Day
from reassure.core.errors import InputError
from reassure.core.map_period import parse_map_period
from reassure.planner.analysis.sweep import SweepSpec
from reassure.planner.analysis.whatif import Change


class JobParams(BaseModel):
    """A job request: its `kind` (a literal naming its entry in services/job_kinds.KINDS) and its parameters."""

    model_config = ConfigDict(extra="forbid")

    kind: str

    @model_validator(mode="before")
    @classmethod
    def _no_booleans(cls, data: Any) -> Any:
        """Refuse true/false where a number or text is expected (pydantic would read true as 1)."""
        if isinstance(data, dict):
            for key, value in data.items():
                if isinstance(value, bool):
                    raise ValueError(f"{key}: expected a number or text, not {str(value).lower()}")
        return data


def _as_text(value: Any) -> Any:
    """Pass a number on as text, so an old integer plan id answers 404 like any unknown id (not 422 on its shape)."""
    return str(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else value


# A stored plan's public id (`plan_…`); any other text, an old number included, is looked up and not found.
PlanRef = Annotated[str, BeforeValidator(_as_text), Field(description="a stored plan's public id, e.g. plan_…")]


class SolveJob(JobParams):
    """Solve a scenario's problem and store the plan."""

    kind: Literal["solve"] = "solve"
    scenario: Annotated[str, Field(min_length=1, max_length=80)]
    time_limit: Annotated[float, Field(ge=0.5, le=600)] = 10.0
    seed: Annotated[int, Field(ge=0, le=2**31 - 1)] = 0
    label: Annotated[str, Field(max_length=200)] = ""


class WhatIfJob(JobParams):
    """Re-plan a stored plan after changes (withdrawals, flags, surges) and store it linked to its base."""

    kind: Literal["whatif"] = "whatif"
    plan_id: PlanRef
    changes: Annotated[list[Change], Field(min_length=1, max_length=50)]
    time_limit: Annotated[float, Field(ge=0.5, le=600)] = 10.0
    seed: Annotated[int, Field(ge=0, le=2**31 - 1)] = 0


class RobustnessJob(JobParams):
    """Sample which pledged units fail to materialise and report a stored plan's coverage distribution."""

    kind: Literal["robustness"] = "robustness"
    plan_id: PlanRef
    samples: Annotated[int, Field(ge=100, le=200_000)] = 10_000
    seed: Annotated[int, Field(ge=0, le=2**31 - 1)] = 0


class AsksJob(JobParams):
    """Ask what additional units lift a stored plan to a target coverage, verified by re-solving; store the asks
    with the plan (docs/adr/0024)."""

    kind: Literal["asks"] = "asks"
    plan_id: PlanRef
    target: Annotated[float, Field(gt=0, le=1, description="coverage to reach, as a fraction (0.95 for 95 %)")]
    fair_shares: Literal["strict", "prefer", "ignore"] = "strict"
    time_limit: Annotated[float, Field(ge=0.5, le=600, description="seconds for each re-solve")] = 10.0
    rounds: Annotated[int, Field(ge=1, le=10)] = 4
    seed: Annotated[int, Field(ge=0, le=2**31 - 1)] = 0


class RulesJob(JobParams):
    """Evaluate the bundled rules over the incidents and store the evaluations."""

    kind: Literal["rules"] = "rules"
    at: Day | None = None


class BriefJob(JobParams):
    """Produce the brief as a PDF, read as the user who asks (their nation's releasability), stored with the job for
    its download (docs/adr/0040)."""

    kind: Literal["brief"] = "brief"
    scenario: Annotated[str, Field(min_length=1, max_length=80)] | None = None
    plan_id: PlanRef | None = None
    date: Day | None = Field(default=None, description="the situation as of this day (default: the newest data)")
    format: Literal["staff", "minister"] = "staff"
    map_period: Annotated[str, Field(max_length=40, description="the incident map's period: 2026-11, 2026, "
                                     "2026-10-01..2026-11-15 or all (default: the most recent complete month)")] \
        | None = None

    @field_validator("map_period")
    @classmethod
    def _a_period(cls, value: str | None) -> str | None:
        """Refuse a period the brief could not read, when the job is asked for (not when it runs)."""
        if value is not None:
            try:
                parse_map_period(value)
            except InputError as error:
                raise ValueError(error.message) from None
        return value


class SweepJob(JobParams):
    """Run a scenario sweep (docs/sweeps.md) as the submitter and store it with the plans of its runs
    (docs/adr/0053)."""

    kind: Literal["sweep"] = "sweep"
    spec: Annotated[dict[str, Any], Field(description="the sweep file as JSON (docs/sweeps.md)")]

    @field_validator("spec")
    @classmethod
    def _a_sweep(cls, value: dict[str, Any]) -> dict[str, Any]:
        """Refuse a sweep file that is not one, naming its fields, when the job is asked for (not when it runs)."""
        from reassure.services.sweep_files import read_sweep_json  # services/sweep_files reads files, not requests

        try:
            return read_sweep_json(value, "spec").model_dump(mode="json", by_alias=True, exclude_none=True)
        except InputError as error:
            raise ValueError(error.message) from None

    @property
    def sweep(self) -> SweepSpec:
        """Return the sweep file as validated."""
        return SweepSpec.model_validate(self.spec)

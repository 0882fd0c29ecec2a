"""What a caller sends to start a job, and what they see of it."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, model_validator

from reassure.core.days import Day
from reassure.planner.analysis.whatif import Change


class _Request(BaseModel):
    model_config = ConfigDict(extra="forbid")

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


class SolveJob(_Request):
    """Solve a scenario's problem and store the plan."""

    kind: Literal["solve"] = "solve"
    scenario: Annotated[str, Field(min_length=1, max_length=80)]
    time_limit: Annotated[float, Field(ge=0.5, le=600)] = 10.0
    seed: Annotated[int, Field(ge=0, le=2**31 - 1)] = 0
    label: Annotated[str, Field(max_length=200)] = ""


class WhatIfJob(_Request):
    """Re-plan a stored plan after changes (withdrawals, flags, surges) and store it linked to its base."""

    kind: Literal["whatif"] = "whatif"
    plan_id: PlanRef
    changes: Annotated[list[Change], Field(min_length=1, max_length=50)]
    time_limit: Annotated[float, Field(ge=0.5, le=600)] = 10.0
    seed: Annotated[int, Field(ge=0, le=2**31 - 1)] = 0


class RobustnessJob(_Request):
    """Sample which pledged units fail to materialise and report a stored plan's coverage distribution."""

    kind: Literal["robustness"] = "robustness"
    plan_id: PlanRef
    samples: Annotated[int, Field(ge=100, le=200_000)] = 10_000
    seed: Annotated[int, Field(ge=0, le=2**31 - 1)] = 0


class AsksJob(_Request):
    """Ask what additional units lift a stored plan to a target coverage, verified by re-solving; store the asks
    with the plan (docs/adr/0024)."""

    kind: Literal["asks"] = "asks"
    plan_id: PlanRef
    target: Annotated[float, Field(gt=0, le=1, description="coverage to reach, as a fraction (0.95 for 95 %)")]
    fair_shares: Literal["strict", "prefer", "ignore"] = "strict"
    time_limit: Annotated[float, Field(ge=0.5, le=600, description="seconds for each re-solve")] = 10.0
    rounds: Annotated[int, Field(ge=1, le=10)] = 4
    seed: Annotated[int, Field(ge=0, le=2**31 - 1)] = 0


class RulesJob(_Request):
    """Evaluate the bundled rules over the incidents and store the evaluations."""

    kind: Literal["rules"] = "rules"
    at: Day | None = None


JobRequest = Annotated[SolveJob | WhatIfJob | RobustnessJob | RulesJob | AsksJob, Field(discriminator="kind")]


class JobRead(BaseModel):
    """A job as its owner and those it is released to see it."""

    id: str  # public id (`job_…`), never the internal number
    kind: str
    params: dict[str, Any]
    state: Literal["queued", "running", "done", "failed", "cancelled"]
    progress: float
    coverage: float | None
    bound: float | None
    message: str
    result: dict[str, Any]
    plan_id: str | None  # the stored plan's public id
    cancel_requested: bool
    owner: str
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    marking: str

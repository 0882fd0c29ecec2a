"""Read models of pledges, as services return them to the CLI, API and reports."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from reassure.core.days import Day


class PledgeRead(BaseModel):
    """A pledge as a reader sees it, with its marking, standing and grade spelled out."""

    scenario: str
    key: str
    nation: str
    nation_name: str
    domain: str
    capability: str
    quantity: str
    planned_units: int  # what plans count on (docs/adr/0023)
    planned_basis: str  # stated | at_least | range | prior: range and prior are planning assumptions
    planned_note: str  # for people: e.g. "size undisclosed: planned on 2 (prior for a large nation, 1–3; …)"
    personnel_per_unit: int
    where: list[str]
    available_from: date
    available_to: date
    max_tour: int
    min_dwell: int
    caveats: list[str]
    conditions: list[str]
    status: str
    probability: float
    standing: str
    grade: str | None
    sources: list[str]
    marking: str
    notes: str
    # what its verifications say (docs/adr/0042): "verified 2026-11-02 (visit, B2)", "not verified (…)"
    verification: str = "not verified (no verification on record)"
    readiness: str = "not confirmed"  # readiness and notice to move, with the date last confirmed
    # Freshness and renewal (docs/adr/0043): `as_of` is the day it was last known true (stated, else its newest status
    # step or source date); `valid_to` the day it lapses; `renew_by` the day `renewal` is due.
    as_of: date | None = None
    valid_to: date | None = None
    renew_by: date | None = None
    renewal: str = ""
    version: int = 1  # bumped by every write; an edit sends the one it read (docs/adr/0051)


class StatusStepRead(BaseModel):
    """A dated step of a pledge's lifecycle."""

    status: str
    on_date: date


class PledgeHistory(BaseModel):
    """A pledge's current status and its dated history."""

    scenario: str
    key: str
    status: str
    marking: str
    steps: list[StatusStepRead]
    version: int = 1


class PledgeEdit(BaseModel):
    """What an edit of a pledge may change (each field left out stays as it is)."""

    model_config = ConfigDict(extra="forbid")

    probability: Annotated[float | None, Field(ge=0.0, le=1.0)] = None
    notes: Annotated[str | None, Field(max_length=4000)] = None
    notice: Annotated[int | None, Field(ge=0, le=1000)] = None  # notice to move, in periods
    max_tour: Annotated[int | None, Field(ge=1, le=1000)] = None
    min_dwell: Annotated[int | None, Field(ge=0, le=1000)] = None
    valid_to: Day | None = None
    renew_by: Day | None = None
    renewal: Annotated[str | None, Field(max_length=200)] = None

    def changes(self) -> dict[str, object]:
        """Return the fields given, by name."""
        return self.model_dump(exclude_unset=True, exclude_none=True)

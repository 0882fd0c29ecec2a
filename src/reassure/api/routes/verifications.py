"""Verifications of pledged capabilities (docs/adr/0042): list a scenario's, record one (analysts; audited)."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query
from pydantic import BaseModel, ConfigDict, Field

from reassure.api.deps import CallerDep
from reassure.api.pages import Limit, Offset, Page, page
from reassure.core.days import Day
from reassure.domains.verifications.actions import add_verification
from reassure.domains.verifications.schemas import VerificationRead
from reassure.domains.verifications.service import page_verifications

router = APIRouter(tags=["registry"])
Name = Annotated[str, Path(min_length=1, max_length=120)]
Finding = Literal["verified", "shortfall", "not_verified"]


class NewVerification(BaseModel):
    """A verification of a pledge: what was checked, when, by which source and grade, and what was found."""

    model_config = ConfigDict(extra="forbid")

    on_date: Day
    kind: Literal["visit", "readiness_report", "exercise"]
    finding: Finding
    found: Annotated[int | None, Field(ge=0, le=100_000)] = None  # units found ready (a shortfall)
    readiness: Literal["very_high", "high", "medium", "low"] | None = None
    notice: Annotated[int | None, Field(ge=0, le=1000)] = None  # notice to move confirmed, in periods
    source: Annotated[str, Field(min_length=1, max_length=200)]
    grade: Annotated[str, Field(min_length=2, max_length=3)]
    notes: Annotated[str, Field(max_length=2000)] = ""
    marking: Annotated[str | None, Field(max_length=400)] = None  # default: the pledge's; never wider


@router.get("/scenarios/{name}/verifications", response_model=Page[VerificationRead])
def verifications(caller: CallerDep, name: Name, pledge: Annotated[str | None, Query(max_length=80)] = None,
                  finding: Finding | None = None, limit: Limit = 100,
                  offset: Offset = 0) -> Page[VerificationRead]:
    """A scenario's verifications you may see, newest first (optionally of one pledge, or with one finding)."""
    return page(*caller.read(lambda db: page_verifications(name, db=db, pledge=pledge, finding=finding, limit=limit,
                                                           offset=offset)), limit, offset)


@router.post("/scenarios/{name}/pledges/{key}/verifications", response_model=VerificationRead, status_code=201)
def verify(caller: CallerDep, name: Name, key: Name, body: NewVerification) -> VerificationRead:
    """Record a verification of a pledge (analysts; audited); the pledge's standing follows its newest one, and a
    shortfall plans it on the units found."""
    return caller.write(lambda db: add_verification(name, key, db=db, **body.model_dump()))

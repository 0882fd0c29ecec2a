"""Read models of verifications, and of the standing and readiness a pledge takes from them."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel


class VerificationRead(BaseModel):
    """A verification as its reader sees it (kind, finding and readiness as keys: adapters label them)."""

    scenario: str
    pledge: str
    on_date: date
    kind: str
    finding: str
    found: int | None
    readiness: str | None
    notice: int | None
    source: str
    grade: str
    notes: str
    author: str
    nation: str | None
    at: datetime
    marking: str


class PledgeStanding(BaseModel):
    """What a pledge's verifications (those the reader sees) say: the newest finding, and the newest confirmed
    readiness and notice to move with the date they were last confirmed."""

    finding: str | None  # None: no verification on record
    on_date: date | None
    kind: str | None
    grade: str | None
    found: int | None
    text: str  # for people: "verified 2026-11-02 (visit, B2)", "not verified (no verification on record)"
    readiness: str | None
    notice: int | None
    confirmed_on: date | None  # the day readiness/notice were last confirmed
    readiness_text: str  # for people: "high readiness, 2 periods' notice, confirmed 2026-11-02" or "not confirmed"
    rests_on: list[str] = []  # the markings (column form) of the verifications this rests on (`bearing`)

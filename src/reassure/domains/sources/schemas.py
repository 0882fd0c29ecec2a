"""Read models of sources and claims."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel


class SourceRead(BaseModel):
    """A source with how many claims cite it."""

    id: str
    publisher: str
    title: str
    published: date | None
    locator: str | None
    reliability: str
    claims: int
    marking: str


class ClaimRead(BaseModel):
    """A claim with its standing, grade, quantity and sources."""

    key: str
    topic: str
    nation: str | None
    statement: str
    reported_on: date | None
    quantity: str | None
    unit: str | None
    standing: str
    grade: str | None
    grade_meaning: str | None
    sources: list[str]
    marking: str
    as_of: date | None = None  # the day it was last known true: reported_on, else its newest source's date

"""Read model of a legal instrument (SOFA, MoU, ROE profile)."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel


class LegalRead(BaseModel):
    """A legal instrument between a sending nation and a host, with its status, dates, grade and sources."""

    scenario: str
    key: str
    nation: str
    host: str
    kind: str
    status: str
    signed_on: date | None
    in_force_from: date | None
    in_force_to: date | None
    terms: str
    standing: str
    grade: str | None
    sources: list[str]
    marking: str
    renew_by: date | None = None  # docs/adr/0043: the day `renewal` is due; it lapses on in_force_to
    renewal: str = ""

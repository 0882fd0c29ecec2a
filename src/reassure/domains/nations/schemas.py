"""Read models of nations: memberships (NATO, EU, the coalition) and reference figures, each with its source."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, Field


class MembershipRead(BaseModel):
    """A nation's membership of an organisation, from its start to its end (if any)."""

    organisation: str
    role: str
    start: date | None
    end: date | None
    source: str | None
    marking: str


class FigureRead(BaseModel):
    """A reference figure (GDP, population, defence spending) for a year, with its source."""

    indicator: str
    year: int
    value: float
    source: str
    marking: str


class NationRead(BaseModel):
    """A nation (ISO 3166-1 alpha-3) with the memberships and figures released to the viewer."""

    code: str
    name: str
    memberships: list[MembershipRead] = Field(default_factory=list)
    figures: list[FigureRead] = Field(default_factory=list)

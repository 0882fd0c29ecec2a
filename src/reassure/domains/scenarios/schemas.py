"""Read models of scenarios and the coalition summary."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel


class ScenarioRead(BaseModel):
    """A scenario header."""

    name: str
    title: str
    description: str
    standing: str
    horizon_start: date
    period: str
    periods: int
    flags: dict[str, bool]
    ceasefire: date | None = None  # in force from this day: only later incidents are violations
    pledges: int
    tasks: int
    marking: str


class DomainLine(BaseModel):
    """Pledged force in one domain."""

    domain: str
    nations: int
    pledges: int
    units: int
    personnel: int
    conditional_units: int


class NationLine(BaseModel):
    """One nation's pledged force across domains."""

    nation: str
    name: str
    units_by_domain: dict[str, int]
    personnel: int
    conditions: list[str]
    caveats: list[str]
    statuses: dict[str, int]


class CoalitionSummary(BaseModel):
    """Who pledged what, by domain and nation, and how much of it is fact, report or assumption."""

    scenario: ScenarioRead
    pledge_standing: dict[str, int]
    domains: list[DomainLine]
    nations: list[NationLine]
    claim_standing: dict[str, int]
    sources: int

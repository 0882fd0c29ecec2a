"""Read models of incidents and their reports, as services return them to the CLI, API and reports."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, Field, WithJsonSchema

# Incident times are local (Kyiv) as the sources give them, without an offset: not RFC 3339 date-times.
LocalTime = Annotated[datetime, WithJsonSchema({
    "type": "string", "description": "local time in Ukraine as the source reports it: ISO 8601 without an offset",
    "examples": ["2025-09-03T18:00:00"]})]


class Figure(BaseModel):
    """A count as the report gives it."""

    value: int
    qualifier: str

    def __str__(self) -> str:
        mark = {"exact": "", "at_least": "≥", "approx": "~", "at_most": "≤"}.get(self.qualifier, "?")
        return f"{mark}{self.value}"


class RegionRead(BaseModel):
    """A region an account names: its ISO 3166-2:UA code and its English label (what people read)."""

    code: str
    label: str


class WeaponRead(BaseModel):
    """One weapon line of a report."""

    category: str
    model: str | None
    launched: Figure | None = None
    destroyed: Figure | None = None
    suppressed: Figure | None = None
    neutralized: Figure | None = None
    impacted: Figure | None = None
    external_ref: str | None = None


class ReportRead(BaseModel):
    """One source's account of an incident, with its grade, standing and figures, and its raw text."""

    id: str  # SOURCE:REFERENCE, what `reassure incidents relink` takes (a source's own reference, never a row id)
    source: str
    publisher: str
    revision: int
    preferred: bool
    reported_at: LocalTime | None
    reported_by: str | None
    window_start: LocalTime
    window_end: LocalTime
    # how a text's window is known (docs/adr/0021): "stated" times, the "night" its words imply; None for dates only
    # and for a feed's own window
    window_basis: Literal["stated", "night"] | None = None
    external_ref: str
    standing: str
    grade: str | None
    grade_meaning: str | None
    fatalities_best: int | None
    fatalities_low: int | None
    fatalities_high: int | None
    weapons: list[WeaponRead] = Field(default_factory=list)
    regions: list[RegionRead] = Field(default_factory=list)  # the regions this account names
    region_count: Figure | None = None  # regions it says were hit without naming them ("over six regions")
    raw_text: str
    marking: str


class StatedFigure(BaseModel):
    """One source's value of a figure of an incident."""

    source: str
    value: int
    qualifier: str
    shown: str  # e.g. "≥100"


class FigureComparison(BaseModel):
    """A figure two or more independent sources state (e.g. 'drones launched'), each value, and the verdict:
    agree (within the tolerance), compatible (not contradictory, not close enough to corroborate), conflict."""

    figure: str
    verdict: str
    values: list[StatedFigure]


class IncidentRead(BaseModel):
    """An incident with the figures of its preferred report and the sources that reported it."""

    key: str
    kind: str
    start: LocalTime
    end: LocalTime
    timed: bool
    region: str | None
    regions: list[RegionRead] = Field(default_factory=list)  # every region the visible accounts name
    event_type: str | None = None  # UCDP's type of violence: state_based, non_state, one_sided
    latitude: float | None
    longitude: float | None
    attacker: str | None
    defender: str | None
    description: str
    sources: list[str]
    reports: int
    corroborated: bool  # two independent sources agree on its figures (standing verified)
    standing: str  # verified, conflicting or unconfirmed (docs/adr/0017)
    standing_reason: str = ""
    tolerance: str = ""  # the stated tolerance within which figures agree
    figures: list[FigureComparison] = Field(default_factory=list)  # every figure stated by two or more sources
    grade: str | None
    launched: int | None
    destroyed: int | None
    suppressed: int | None
    neutralized: int | None
    fatalities: int | None
    marking: str


class ReviewRead(BaseModel):
    """An analyst's review of an incident as the reader sees it: the standing they judge it to have (None for a
    comment), their reason or comment, who wrote it (user and nation) and when (UTC), and its marking."""

    standing: str | None
    text: str
    author: str
    nation: str | None
    at: datetime
    marking: str


class IncidentDetail(IncidentRead):
    """An incident with every report side by side (conflicting figures are never merged) and the analysts' reviews
    the reader sees, oldest first."""

    accounts: list[ReportRead] = Field(default_factory=list)
    reviews: list[ReviewRead] = Field(default_factory=list)


class ImportSummary(BaseModel):
    """What one import did: rows read and rejected, incidents and reports created, revised or unchanged."""

    origin: str
    source: str
    rows: int = 0
    bad_rows: int = 0
    incidents_created: int = 0
    reports_created: int = 0
    reports_revised: int = 0
    reports_unchanged: int = 0
    reports_attached: int = 0  # new reports added to an incident another source had reported
    weapon_lines: int = 0
    incident_keys: list[str] = Field(default_factory=list)  # incidents this import created or added to

    @property
    def changes(self) -> int:
        """Return how many reports were written."""
        return self.reports_created + self.reports_revised

"""Read models of a scenario's phases."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel


class PhaseDemandRead(BaseModel):
    """A phase's demand on one task, in figures and in words."""

    task: str
    factor: float | None = None
    units: int | None = None
    handover: bool = False
    text: str  # "demand × 0.5", "2 units", "handed over to Ukrainian forces (none stay)"


class PhaseRead(BaseModel):
    """A phase as a reader sees it: its periods and dates, its demand per task and its entry condition."""

    scenario: str
    key: str
    name: str
    start: int
    end: int
    start_date: date
    end_date: date  # the last day of its last period
    demand: list[PhaseDemandRead]
    entry: str
    rule: str | None
    marking: str

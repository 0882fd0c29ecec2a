"""What the sweeps domain returns: a sweep's listing, and the sweep whole with its side-by-side comparison."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel


class SweepRun(BaseModel):
    """One run of a sweep beside the base: its figures, where it falls short first, and the asks it would need."""

    key: str  # stable and plain: "base", "without-FRA", "draw-3"
    label: str  # for people: "without France"
    plan: str | None  # the stored plan's public id (None for a run the reader cannot see: never, a sweep is one mark)
    status: str
    coverage: float
    bound: float
    loss: float  # the base's coverage minus this run's (0 for the base)
    gaps: int
    missing: int  # unit-periods short
    earliest: str | None  # the first gap this run opens beside the base, in words ("AIR-WEST from Mar 2027")
    opened: list[str]  # tasks whose gaps this run opens or widens, most short first
    asks: list[str] | None  # the force-generation asks, when the sweep computed them
    asks_note: str = ""  # why not, and how to get them
    wall_seconds: float = 0.0
    cpu_seconds: float = 0.0


class SweepRead(BaseModel):
    """A stored sweep as listings show it; `id` is its public id (`sweep_…`)."""

    id: str
    name: str
    scenario: str
    variants: int
    base_coverage: float | None
    worst: str | None  # the label of the run that loses most coverage
    author: str
    created_at: datetime
    marking: str


class SweepDetail(SweepRead):
    """A stored sweep whole: its file, where it ran, and every run side by side (base first, then largest loss)."""

    spec: dict[str, Any]
    settings: dict[str, Any]
    runs: list[SweepRun]

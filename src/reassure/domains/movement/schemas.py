"""Read models of freedom-of-movement restrictions."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel


class MovementRead(BaseModel):
    """A restriction as a reader sees it: its public id, kind, times, region (code and label), linked tasks, source,
    grade and standing, and its marking."""

    id: str
    kind: str
    start: datetime
    end: datetime | None
    region: str
    region_label: str
    place: str
    description: str
    scenario: str | None
    tasks: list[str]
    source: str
    grade: str
    standing: str
    recorded_by: str
    marking: str

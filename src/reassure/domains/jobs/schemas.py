"""What a caller sees of a job (the requests of each kind are in services/job_requests.py)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel


class JobRead(BaseModel):
    """A job as its owner and those it is released to see it."""

    id: str  # public id (`job_…`), never the internal number
    kind: str
    params: dict[str, Any]
    state: Literal["queued", "running", "done", "failed", "cancelled"]
    progress: float
    coverage: float | None
    bound: float | None
    message: str
    result: dict[str, Any]
    plan_id: str | None  # the stored plan's public id
    cancel_requested: bool
    owner: str
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    marking: str

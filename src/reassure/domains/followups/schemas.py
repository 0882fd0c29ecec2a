"""Read model of a follow-up."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel


class FollowupRead(BaseModel):
    """A follow-up as its nation reads it: who owns it, what it follows, when it is due, its state and marking."""

    id: str  # the public id (fup_…)
    nation: str
    owner: str
    title: str
    follows_kind: str
    follows_key: str
    due_on: date
    state: str
    overdue: bool  # open and due before the day it was read for
    note: str
    created_by: str
    created_at: datetime
    closed_at: datetime | None
    marking: str

"""What the preferences domain returns: a nation's default scenario, or that it has none."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel


class DefaultScenarioRead(BaseModel):
    """The scenario a nation's pages and briefs open on; `scenario` is None when its admin has chosen none (or the
    chosen one is no longer what its name shows the nation), and then pages ask the reader to choose."""

    nation: str
    scenario: str | None
    title: str | None
    set_by: str | None
    set_at: datetime | None
    marking: str  # the setting's own marking: REL TO the nation


class FollowupOwnerRead(BaseModel):
    """Who owns the follow-ups hooks open for a nation; `owner` is None when none is configured (or the configured
    user is no longer active): hooks then leave their follow-ups unassigned."""

    nation: str
    owner: str | None
    set_by: str | None
    set_at: datetime | None
    marking: str  # REL TO the nation

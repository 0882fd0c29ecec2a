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

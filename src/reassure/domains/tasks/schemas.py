"""Read model of a task (a requirement of the mandate)."""

from __future__ import annotations

from pydantic import BaseModel


class TaskRead(BaseModel):
    """A task as a reader sees it: what, where, how much per period, who may serve, under which command."""

    scenario: str
    key: str
    name: str
    domain: str
    capability: str
    location: str
    sector: str
    demand: list[int]
    priority: int
    requires_legal: list[str]
    multinational: bool
    nations: list[str] | None
    lead_nation: str | None
    command: str | None
    marking: str

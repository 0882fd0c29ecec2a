"""Read model of the command tree."""

from __future__ import annotations

from pydantic import BaseModel


class CommandNodeRead(BaseModel):
    """A node of the command tree with its children (HQ → components → sectors → contingents)."""

    key: str
    name: str
    kind: str
    lead_nation: str | None
    relationship: str | None  # to the parent: national_command, opcon, tacon, coordination
    multinational: bool
    location: str | None
    marking: str
    tasks: list[str]
    children: list[CommandNodeRead]

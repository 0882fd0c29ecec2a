"""Read model of the audit log."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel


class AuditRead(BaseModel):
    """One audit row as the log shows it."""

    id: str  # public id (`aud_…`): the log's own numbers would count other nations' actions
    at: datetime
    actor: str
    actor_nation: str | None
    action: str
    outcome: str
    entity: str
    key: str
    details: dict[str, Any]
    marking: str

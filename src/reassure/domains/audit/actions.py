"""Record audit rows; every action calls this inside its own transaction."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from reassure.db.access import viewer_of
from reassure.domains.audit.models import AuditEntry


def record(db: Session, *, action: str, entity: str, key: str, details: dict[str, Any] | None = None) -> None:
    """Add an audit row naming the session's viewer as the actor."""
    viewer = viewer_of(db)
    db.add(AuditEntry(actor=viewer.user, actor_nation=viewer.nation, action=action, entity=entity,
                      entity_key=key, details=details or {}))

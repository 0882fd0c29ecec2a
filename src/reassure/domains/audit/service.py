"""Read the audit log: admins only, and only rows marked as released to their nation."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from reassure.core.identity import Role
from reassure.core.markings import Releasability
from reassure.db.access import identity_of
from reassure.domains.audit.models import AuditEntry
from reassure.domains.audit.schemas import AuditRead

__all__ = ["AuditRead", "count", "recent"]


def recent(*, db: Session, limit: int = 50, actor: str | None = None, action: str | None = None,
           outcome: str | None = None, since: datetime | None = None) -> list[AuditRead]:
    """Return the newest audit rows first (admins only), optionally filtered."""
    identity_of(db).require(Role.ADMIN, "read the audit log")
    query = select(AuditEntry).order_by(AuditEntry.id.desc())
    if actor:
        query = query.where(AuditEntry.actor == actor)
    if action:
        query = query.where(AuditEntry.action.like(f"{action.replace('%', '')}%"))
    if outcome:
        query = query.where(AuditEntry.outcome == outcome)
    if since:
        query = query.where(AuditEntry.at >= since)
    return [AuditRead(id=e.public_id, at=e.at, actor=e.actor, actor_nation=e.actor_nation, action=e.action,
                      outcome=e.outcome, entity=e.entity, key=e.entity_key, details=dict(e.details),
                      marking=str(Releasability.from_column(e.rel_to)))
            for e in db.scalars(query.limit(max(1, min(limit, 10_000))))]


def count(*, db: Session) -> int:
    """Return how many audit rows the admin may see."""
    identity_of(db).require(Role.ADMIN, "read the audit log")
    return int(db.scalar(select(func.count(AuditEntry.id))) or 0)

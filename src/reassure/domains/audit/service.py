"""Read the audit log."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from reassure.domains.audit.models import AuditEntry


def recent(*, db: Session, limit: int = 50) -> list[AuditEntry]:
    """Return the newest audit rows first."""
    return list(db.scalars(select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit)))


def count(*, db: Session) -> int:
    """Return how many audit rows exist."""
    return int(db.scalar(select(func.count(AuditEntry.id))) or 0)

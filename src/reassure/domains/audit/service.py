"""Read the audit log: admins only, and only rows marked as released to their nation."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from reassure.core.identity import Role
from reassure.core.markings import Releasability
from reassure.db.access import identity_of
from reassure.db.paging import paged
from reassure.domains.audit.models import AuditEntry
from reassure.domains.audit.schemas import AuditRead

__all__ = ["AuditRead", "count", "last_brief", "page_audit", "recent"]


def _query(*, db: Session, actor: str | None, action: str | None, outcome: str | None,
           since: datetime | None) -> Select[AuditEntry]:
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
    return query


def _read(e: AuditEntry) -> AuditRead:
    return AuditRead(id=e.public_id, at=e.at, actor=e.actor, actor_nation=e.actor_nation, action=e.action,
                     outcome=e.outcome, entity=e.entity, key=e.entity_key, details=dict(e.details),
                     marking=str(Releasability.from_column(e.rel_to)))


def recent(*, db: Session, limit: int = 50, actor: str | None = None, action: str | None = None,
           outcome: str | None = None, since: datetime | None = None) -> list[AuditRead]:
    """Return the newest audit rows first (admins only), optionally filtered."""
    query = _query(db=db, actor=actor, action=action, outcome=outcome, since=since)
    return [_read(e) for e in db.scalars(query.limit(max(1, min(limit, 10_000))))]


def page_audit(*, db: Session, limit: int = 50, offset: int = 0, actor: str | None = None, action: str | None = None,
               outcome: str | None = None, since: datetime | None = None) -> tuple[list[AuditRead], int]:
    """Return one page of the audit log, newest first (admins only), optionally filtered, and how many rows match."""
    found, total = paged(db, _query(db=db, actor=actor, action=action, outcome=outcome, since=since), limit=limit,
                         offset=offset)
    return [_read(e) for e in found], total


def count(*, db: Session) -> int:
    """Return how many audit rows the admin may see."""
    identity_of(db).require(Role.ADMIN, "read the audit log")
    return int(db.scalar(select(func.count(AuditEntry.id))) or 0)


def last_brief(scenario: str, reader: str, audience: str, *, db: Session,
               before: int = 200) -> tuple[datetime, dict[str, Any] | None] | None:
    """Return when the reader's nation last rendered a brief of `scenario` for the same reader and audience, and the
    figures it kept (None when it kept none), from the newest `before` brief rows; None when there is none.

    Not the audit log (admins only): one row's date and figures, of a brief this nation's users rendered, marked
    like that brief, so the data layer shows it only to readers released what the brief showed (docs/adr/0035)."""
    me = identity_of(db)
    rows = db.scalars(select(AuditEntry).where(AuditEntry.action == "brief.render", AuditEntry.outcome == "done",
                                               AuditEntry.entity_key == scenario,
                                               AuditEntry.actor_nation == me.nation)
                      .order_by(AuditEntry.id.desc()).limit(before))
    for row in rows:
        after = dict(row.details or {}).get("after") or {}
        if after.get("reader") == reader and after.get("audience", "staff") == audience:
            figures = after.get("figures")
            return row.at, dict(figures) if isinstance(figures, dict) else None
    return None

"""Record audit rows: every action calls this inside its own transaction; denials are written after a rollback."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session

from reassure.core.errors import Denial
from reassure.core.identity import Identity
from reassure.core.markings import Releasability, parse_marking
from reassure.db.access import identity_of
from reassure.domains.audit.models import AuditEntry


def plain(value: Any) -> Any:
    """Return a value as JSON can hold it (dates as ISO text), for the before and after of an audit row."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [plain(v) for v in value]
    return value


def record(db: Session, *, action: str, entity: str, key: str, rel_to: str, before: Any = None,
           after: Any = None, details: dict[str, Any] | None = None, actor: Identity | None = None) -> None:
    """Add an audit row naming the session's user as the actor, marked like the record it describes."""
    who = actor or identity_of(db)
    body: dict[str, Any] = dict(plain(details or {}))
    if before is not None:
        body["before"] = plain(before)
    if after is not None:
        body["after"] = plain(after)
    db.add(AuditEntry(actor=who.user, actor_nation=who.nation, action=action, outcome="done", entity=entity,
                      entity_key=key[:200], details=body, rel_to=rel_to))


def record_denials(db: Session, identity: Identity, denials: list[Denial]) -> None:
    """Add one audit row per refused attempt (in a transaction of its own: the attempt was rolled back)."""
    for d in denials:
        db.add(AuditEntry(actor=identity.user, actor_nation=identity.nation, action=d.action, outcome="denied",
                          entity=d.entity, entity_key=d.key[:200], details=plain(d.details), rel_to=d.rel_to,
                          at=datetime.now(UTC)))


def brief_rendered(db: Session, *, scenario: str, reader: str, marking: str, plan_id: str | None, fmt: str,
                   rel_to: str | None = None, audience: str = "staff", figures: dict[str, Any] | None = None) -> None:
    """Record that the session's user rendered a brief (who, for which reader, of what, marked how, for which
    audience: minister or staff), with the figures its bottom line showed, which the next brief of the same reader
    compares with; the row is marked like the brief, or narrower when `rel_to` says so (a preview's: the admin's
    nation only)."""
    after: dict[str, Any] = {"reader": reader, "plan": plan_id, "format": fmt, "marking": marking,
                             "audience": audience}
    if figures is not None:
        after["figures"] = figures
    record(db, action="brief.render", entity="Brief", key=scenario, rel_to=rel_to or parse_marking(marking).to_column(),
           after=after)


def preview_read(db: Session, *, preview: Identity, read: str) -> None:
    """Record that an admin read a preview of another nation: who, which nation, what was read (a route or a
    command). One row per request or command, written as the admin themselves (the preview's own session is
    read-only), marked REL TO the admin's nation only: the path or command typed may name records of that nation
    which the previewed nation must not learn of (docs/adr/0007)."""
    if preview.view_as is None or preview.preview is None:
        raise ValueError("not a preview")
    actor = preview.acting()
    record(db, action="preview.read", entity="Preview", key=preview.view_as,
           rel_to=Releasability.to(actor.nation).to_column(), actor=actor,
           details={"read": read[:400], "preview_of": preview.view_as, "released_to": preview.audience})

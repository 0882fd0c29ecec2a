"""The audit log: one row per write or denied attempt, marked like the record it describes."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, String
from sqlalchemy.orm import Mapped, mapped_column

from reassure.db.base import Base
from reassure.db.mixins import Marked, public_id_column
from reassure.db.types import UtcDateTime

OUTCOMES = ("done", "denied")


def _now() -> datetime:
    return datetime.now(UTC)


class AuditEntry(Marked, Base):
    """Who did what to which record, when, with the values before and after; or what they were refused."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)  # inside the database only: keys, links, order
    public_id: Mapped[str] = public_id_column("aud")  # what users see and send
    at: Mapped[datetime] = mapped_column(UtcDateTime(), default=_now, index=True)
    actor: Mapped[str] = mapped_column(String(120))
    actor_nation: Mapped[str | None] = mapped_column(String(3))
    action: Mapped[str] = mapped_column(String(80), index=True)
    outcome: Mapped[str] = mapped_column(String(10), default="done", index=True)
    entity: Mapped[str] = mapped_column(String(60))
    entity_key: Mapped[str] = mapped_column(String(200))
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

"""A follow-up: a task one user of a nation owns, due on a day, open until done or dropped, following one record
named generically by kind and key (a rule, an expiring instrument; asks and verifications later)."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import Date, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from reassure.db.base import Base
from reassure.db.mixins import Marked, public_id_column
from reassure.db.types import UtcDateTime

STATES = ("open", "done", "dropped")
# What a follow-up may follow: `follows_key` names the record within its kind (for people: `title`).
FOLLOWS = ("rule", "legal", "pledge", "ask", "verification")


def _now() -> datetime:
    return datetime.now(UTC)


class Followup(Marked, Base):
    """A task of one nation: its owner (a user of that nation who can read what it follows), due date and state.
    Marked REL TO its nation, and no wider than the record it follows."""

    __tablename__ = "followups"

    id: Mapped[int] = mapped_column(primary_key=True)  # inside the database only
    public_id: Mapped[str] = public_id_column("fup")
    nation: Mapped[str] = mapped_column(String(3), index=True)
    owner: Mapped[str] = mapped_column(String(64), index=True)  # a user's name
    title: Mapped[str] = mapped_column(String(300))
    follows_kind: Mapped[str] = mapped_column(String(20))
    follows_key: Mapped[str] = mapped_column(String(200), index=True)
    due_on: Mapped[date] = mapped_column(Date, index=True)
    state: Mapped[str] = mapped_column(String(8), default="open", index=True)
    note: Mapped[str] = mapped_column(Text, default="")
    created_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=_now)
    closed_at: Mapped[datetime | None] = mapped_column(UtcDateTime())

"""Alert channels, rule state changes and delivery attempts, each marked so only its nation (and what the records it
rests on allow) can read it."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import Date, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from reassure.db.base import Base
from reassure.db.mixins import Marked, public_id_column
from reassure.db.types import UtcDateTime

CHANNEL_KINDS = ("webhook", "email")
STATES = ("met", "not met", "unknown")
DELIVERY_STATUSES = ("sending", "delivered", "failed", "gave up")


def _now() -> datetime:
    return datetime.now(UTC)


class AlertChannel(Marked, Base):
    """Where a nation's alerts go: a webhook URL (with the shared secret its bodies are signed with) or e-mail
    recipients. Marked REL TO its nation only; removing one keeps it (inactive) for the delivery log."""

    __tablename__ = "alert_channels"

    id: Mapped[int] = mapped_column(primary_key=True)  # inside the database only
    public_id: Mapped[str] = public_id_column("chan")
    nation: Mapped[str] = mapped_column(String(3), index=True)  # whose view its notifications are built from
    kind: Mapped[str] = mapped_column(String(10))
    label: Mapped[str] = mapped_column(String(80))
    target: Mapped[str] = mapped_column(Text)  # the URL, or recipients separated by commas
    secret: Mapped[str | None] = mapped_column(String(200))  # webhooks: the shared signing secret, never shown
    active: Mapped[bool] = mapped_column(default=True, index=True)
    created_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=_now)
    removed_at: Mapped[datetime | None] = mapped_column(UtcDateTime())


class RuleStateChange(Marked, Base):
    """A rule's state in one nation's view differing from its previous stored evaluation in that view; marked like
    the evaluation that found it."""

    __tablename__ = "rule_state_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = public_id_column("chg")
    nation: Mapped[str] = mapped_column(String(3), index=True)
    rule_id: Mapped[str] = mapped_column(String(80), index=True)
    rule_name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20))
    from_state: Mapped[str] = mapped_column(String(12))
    to_state: Mapped[str] = mapped_column(String(12))
    as_of: Mapped[date] = mapped_column(Date)
    evaluation_id: Mapped[int] = mapped_column(ForeignKey("rule_evaluations.id"))
    previous_id: Mapped[int] = mapped_column(ForeignKey("rule_evaluations.id"))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=_now, index=True)


class AlertDelivery(Marked, Base):
    """One attempt to deliver one state change to one channel: its outcome and, on failure, why."""

    __tablename__ = "alert_deliveries"

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = public_id_column("dlv")  # what `reassure alerts resend` takes (revision 0014)
    channel_id: Mapped[int] = mapped_column(ForeignKey("alert_channels.id"), index=True)
    change_id: Mapped[int | None] = mapped_column(ForeignKey("rule_state_changes.id"), index=True)  # None: a test
    attempt: Mapped[int]
    status: Mapped[str] = mapped_column(String(12))
    http_status: Mapped[int | None]
    error: Mapped[str] = mapped_column(Text, default="")
    at: Mapped[datetime] = mapped_column(UtcDateTime(), default=_now, index=True)

"""A nation's default scenario: chosen by that nation's admin, marked REL TO that nation alone."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from reassure.db.base import Base
from reassure.db.mixins import Marked
from reassure.db.types import UtcDateTime


def _now() -> datetime:
    return datetime.now(UTC)


class NationPreference(Marked, Base):
    """The scenario a nation's pages and briefs open on (one row per nation; none until its admin chooses)."""

    __tablename__ = "nation_preferences"

    id: Mapped[int] = mapped_column(primary_key=True)
    nation_code: Mapped[str] = mapped_column(ForeignKey("nations.code"), unique=True)
    default_scenario_id: Mapped[int] = mapped_column(ForeignKey("scenarios.id", ondelete="CASCADE"), index=True)
    set_by: Mapped[str] = mapped_column(String(64))
    set_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=_now)


class FollowupOwner(Marked, Base):
    """Who owns a nation's follow-ups opened by a hook (a rule firing, an expiring record, a late ask, a failed
    verification): one active user of that nation, chosen by its admin or a planner (docs/adr/0047). One row per
    nation; without one, hooks leave their follow-ups unassigned."""

    __tablename__ = "followup_owners"

    id: Mapped[int] = mapped_column(primary_key=True)
    nation_code: Mapped[str] = mapped_column(ForeignKey("nations.code"), unique=True)
    owner: Mapped[str] = mapped_column(String(64))  # a user's name
    set_by: Mapped[str] = mapped_column(String(64))
    set_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=_now)

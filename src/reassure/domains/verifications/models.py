"""A dated verification of a pledge's capability (docs/adr/0042): a visit, a readiness report or an exercise, with
its source, Admiralty grade and finding (verified, verified with a shortfall of units found, not verified), and the
readiness and notice to move it confirmed. Kept with the pledge record it checks, marked, audited."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from reassure.db.base import Base
from reassure.db.mixins import Marked

KINDS = ("visit", "readiness_report", "exercise")
FINDINGS = ("verified", "shortfall", "not_verified")
READINESS = ("very_high", "high", "medium", "low")


class Verification(Marked, Base):
    """One verification of one pledge: what was checked, when, by which source and grade, and what was found."""

    __tablename__ = "pledge_verifications"

    id: Mapped[int] = mapped_column(primary_key=True)
    scenario_id: Mapped[int] = mapped_column(ForeignKey("scenarios.id", ondelete="CASCADE"), index=True)
    # The pledge record verified (never another record of the same key: natural keys are unique per marking, so
    # another nation may hold a pledge of the same key); its key is kept for people.
    pledge_id: Mapped[int] = mapped_column(ForeignKey("pledges.id", ondelete="CASCADE"), index=True)
    pledge_key: Mapped[str] = mapped_column(String(80), index=True)
    on_date: Mapped[date] = mapped_column(Date)
    kind: Mapped[str] = mapped_column(String(20))  # KINDS
    finding: Mapped[str] = mapped_column(String(16))  # FINDINGS
    found: Mapped[int | None] = mapped_column(Integer)  # units found ready (a shortfall's quantity)
    readiness: Mapped[str | None] = mapped_column(String(12))  # READINESS, when the verification confirmed it
    notice: Mapped[int | None] = mapped_column(Integer)  # notice to move confirmed, in the scenario's periods
    source: Mapped[str] = mapped_column(String(200))
    reliability: Mapped[str] = mapped_column(String(1))
    credibility: Mapped[int] = mapped_column(Integer)
    notes: Mapped[str] = mapped_column(Text, default="")
    author: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[datetime] = mapped_column(DateTime())

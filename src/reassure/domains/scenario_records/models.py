"""Scenarios: a named coalition set-up over a horizon, a base plus changes for what-ifs."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import JSON, Date, ForeignKey, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from reassure.db.base import Base
from reassure.db.mixins import Marked


class Scenario(Marked, Base):
    """A coalition scenario: horizon, flags, and its pledges, tasks, command tree and legal instruments."""

    __tablename__ = "scenarios"
    __table_args__ = (UniqueConstraint("name", "rel_to"),)  # one name per marking: docs/adr/0007

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80), index=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    standing: Mapped[str] = mapped_column(String(12), default="assumption")
    horizon_start: Mapped[date] = mapped_column(Date)
    period: Mapped[str] = mapped_column(String(5))  # month | week
    periods: Mapped[int]
    flags: Mapped[dict[str, bool]] = mapped_column(JSON, default=dict)
    ceasefire: Mapped[date | None] = mapped_column(Date)  # in force from this day: only later events are violations
    # Planning assumptions (docs/adr/0023): {"priors": [{capability, size, low, value, high}], "nation_withdrawal": p}
    assumptions: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict, server_default=text("'{}'"))
    base_id: Mapped[int | None] = mapped_column(ForeignKey("scenarios.id"))
    changes: Mapped[list[ScenarioChange]] = relationship(cascade="all, delete-orphan",
                                                         order_by="ScenarioChange.position")


class ScenarioChange(Marked, Base):
    """One change against the base: a nation withdraws, a flag flips, demand surges (marked like its scenario)."""

    __tablename__ = "scenario_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    scenario_id: Mapped[int] = mapped_column(ForeignKey("scenarios.id", ondelete="CASCADE"), index=True)
    position: Mapped[int]
    kind: Mapped[str] = mapped_column(String(20))  # withdraw | flag | surge
    params: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

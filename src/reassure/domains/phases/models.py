"""A scenario's phases (docs/adr/0044): entry, build-up, steady state, drawdown, transition to Ukrainian forces."""

from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from reassure.db.base import Base
from reassure.db.mixins import Marked


class ScenarioPhase(Marked, Base):
    """A phase of a scenario's mission over periods start … end: its demand per task (a factor or stated units, a
    task handed over to Ukrainian forces) and its entry condition, optionally checked by a monitor rule. Marked like
    its scenario or narrower."""

    __tablename__ = "scenario_phases"
    __table_args__ = (UniqueConstraint("scenario_id", "key", "rel_to"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    scenario_id: Mapped[int] = mapped_column(ForeignKey("scenarios.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(String(80))
    name: Mapped[str] = mapped_column(String(200))
    start_period: Mapped[int]
    end_period: Mapped[int]
    # [{"task": key, "factor": x} | {"task": key, "units": n, "handover": bool}]
    demand: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    entry: Mapped[str] = mapped_column(Text, default="")  # the entry condition in words
    rule_id: Mapped[str | None] = mapped_column(String(120))  # the monitor rule that checks it

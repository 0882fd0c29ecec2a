"""Requirements (tasks): what the mandate needs, where, how much per period, and who may serve."""

from __future__ import annotations

from sqlalchemy import JSON, Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from reassure.db.base import Base
from reassure.db.mixins import Marked


class Task(Marked, Base):
    """A requirement of the mandate: capability, location, sector, demand per period, priority."""

    __tablename__ = "tasks"
    __table_args__ = (UniqueConstraint("scenario_id", "key", "rel_to"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    scenario_id: Mapped[int] = mapped_column(ForeignKey("scenarios.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(String(80))
    name: Mapped[str] = mapped_column(String(200))
    domain: Mapped[str] = mapped_column(String(10))
    capability: Mapped[str] = mapped_column(String(40))
    location: Mapped[str] = mapped_column(String(10))
    sector: Mapped[str] = mapped_column(String(80), default="")
    demand: Mapped[list[int]] = mapped_column(JSON)  # one entry per period
    priority: Mapped[int]
    requires_legal: Mapped[list[str]] = mapped_column(JSON, default=list)
    multinational: Mapped[bool] = mapped_column(default=True)
    nations: Mapped[list[str] | None] = mapped_column(JSON)
    lead_nation: Mapped[str | None] = mapped_column(ForeignKey("nations.code"))
    min_nations: Mapped[int | None] = mapped_column(Integer)  # a multinational task: nations at once
    max_share: Mapped[float | None] = mapped_column(Float)  # a multinational task: most any nation holds
    command_key: Mapped[str | None] = mapped_column(String(80))
    legal_prerequisites: Mapped[str] = mapped_column(Text, default="")

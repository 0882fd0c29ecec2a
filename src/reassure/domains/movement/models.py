"""Restrictions on the force's freedom of movement: denied access, checkpoints, airspace closures and others, each a
dated, graded, sourced and marked record in a region, linked to the tasks it affects (docs/adr/0045)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, DateTime, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from reassure.db.base import Base
from reassure.db.mixins import Graded, Marked, public_id_column
from reassure.domains.sources.models import Source

MOVEMENT_KINDS = ("denied_access", "checkpoint", "airspace_closure", "other")


class MovementRestriction(Graded, Marked, Base):
    """One restriction or incident affecting the force's movement: what kind, from when (to when, if it ended),
    where (an ISO 3166-2:UA region code, the incidents' catalogue), which tasks of which scenario it affects, the
    source that tells of it with its Admiralty grade, and the standing that grade gives (as an incident report's)."""

    __tablename__ = "movement_restrictions"

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = public_id_column("mov")
    kind: Mapped[str] = mapped_column(String(20), index=True)  # MOVEMENT_KINDS
    start: Mapped[datetime] = mapped_column(DateTime(), index=True)
    end: Mapped[datetime | None] = mapped_column(DateTime())  # None: still in force
    region: Mapped[str] = mapped_column(String(8), index=True)  # ISO 3166-2:UA code
    place: Mapped[str] = mapped_column(String(200), default="")  # as the source words it (a crossing, a road)
    description: Mapped[str] = mapped_column(Text, default="")
    scenario: Mapped[str | None] = mapped_column(String(120))  # the scenario whose tasks it affects
    task_keys: Mapped[list[str]] = mapped_column(JSON, default=list)
    source_id: Mapped[str] = mapped_column(ForeignKey("sources.id"), index=True)
    recorded_by: Mapped[str] = mapped_column(String(120))
    recorded_at: Mapped[datetime] = mapped_column(DateTime())
    source: Mapped[Source] = relationship()

"""Legal instruments between a sending nation and a host: SOFA, MoU, ROE profile."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Column, Date, Float, ForeignKey, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from reassure.db.base import Base
from reassure.db.mixins import Graded, Marked
from reassure.domains.sources.models import Source

legal_sources = Table(
    "legal_sources",
    Base.metadata,
    Column("legal_id", ForeignKey("legal_instruments.id", ondelete="CASCADE"), primary_key=True),
    Column("source_id", ForeignKey("sources.id"), primary_key=True),
)

INSTRUMENT_KINDS = ("SOFA", "MoU", "ROE")
INSTRUMENT_STATUS = ("proposed", "negotiating", "signed", "in_force", "suspended", "expired")


class LegalInstrument(Graded, Marked, Base):
    """An agreement that must be in force before a nation's units may start certain tours."""

    __tablename__ = "legal_instruments"
    __table_args__ = (UniqueConstraint("scenario_id", "key", "rel_to"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    scenario_id: Mapped[int] = mapped_column(ForeignKey("scenarios.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(String(80))
    nation_code: Mapped[str] = mapped_column(ForeignKey("nations.code"), index=True)
    host_code: Mapped[str] = mapped_column(ForeignKey("nations.code"))
    kind: Mapped[str] = mapped_column(String(4))
    status: Mapped[str] = mapped_column(String(12))
    signed_on: Mapped[date | None] = mapped_column(Date)
    in_force_from: Mapped[date | None] = mapped_column(Date)
    in_force_to: Mapped[date | None] = mapped_column(Date)
    probability: Mapped[float | None] = mapped_column(Float)  # under negotiation: the chance it comes into force
    terms: Mapped[str] = mapped_column(Text, default="")  # e.g. ROE profile summary
    # Renewal (docs/adr/0043): the day the instrument must be renewed by (a mandate renewal, a parliamentary
    # approval for a period) and what that renewal is; it lapses on in_force_to.
    renew_by: Mapped[date | None] = mapped_column(Date)
    renewal: Mapped[str] = mapped_column(String(200), default="", server_default="")
    sources: Mapped[list[Source]] = relationship(secondary=legal_sources, order_by="[Source.key, Source.id]")

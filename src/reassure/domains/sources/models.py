"""Sources and claims: every fact has sources, a standing, and an Admiralty grade."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Column, Date, ForeignKey, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from reassure.db.base import Base
from reassure.db.mixins import Graded, Marked, Quantified

claim_sources = Table(
    "claim_sources",
    Base.metadata,
    Column("claim_id", ForeignKey("claims.id", ondelete="CASCADE"), primary_key=True),
    Column("source_id", ForeignKey("sources.id"), primary_key=True),
)


class Source(Marked, Base):
    """Where a fact came from: publisher, title, date, locator, and the publisher's reliability."""

    __tablename__ = "sources"
    __table_args__ = (UniqueConstraint("key", "rel_to"),)

    # `key` is the id users write and see; `id` is internal (the key, or key~N when another marking holds
    # that key), so a hidden source never blocks nor shows through a visible one: docs/adr/0007.
    id: Mapped[str] = mapped_column(String(80), primary_key=True)
    key: Mapped[str] = mapped_column(String(80), index=True)
    publisher: Mapped[str] = mapped_column(String(200))
    title: Mapped[str] = mapped_column(String(400))
    published: Mapped[date | None] = mapped_column(Date)
    locator: Mapped[str | None] = mapped_column(String(600))  # URL, file path, page
    reliability: Mapped[str] = mapped_column(String(1), default="F")
    notes: Mapped[str | None] = mapped_column(Text)


class Claim(Graded, Quantified, Marked, Base):
    """A statement of fact (or a planner's assumption) about the coalition, with its sources."""

    __tablename__ = "claims"
    __table_args__ = (UniqueConstraint("key", "rel_to"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(120))
    topic: Mapped[str] = mapped_column(String(60), index=True)  # e.g. formal_commitments, no_ground_troops
    nation_code: Mapped[str | None] = mapped_column(ForeignKey("nations.code"), index=True)
    statement: Mapped[str] = mapped_column(Text)
    reported_on: Mapped[date | None] = mapped_column(Date)
    unit: Mapped[str | None] = mapped_column(String(40))  # what the quantity counts: troops, countries
    sources: Mapped[list[Source]] = relationship(secondary=claim_sources, order_by="[Source.key, Source.id]")

"""Nations, their dated memberships, and reference figures (GDP, population) with attribution."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Date, Float, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from reassure.db.base import Base
from reassure.db.mixins import Marked


class Nation(Base):
    """A state, keyed by ISO 3166-1 alpha-3: public reference data, every ISO country loaded by the migrations
    (an import never adds one, so the table tells nobody which nations hidden records name)."""

    __tablename__ = "nations"

    code: Mapped[str] = mapped_column(String(3), primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    memberships: Mapped[list[Membership]] = relationship(back_populates="nation", cascade="all, delete-orphan",
                                                         order_by="Membership.organisation")
    figures: Mapped[list[NationFigure]] = relationship(cascade="all, delete-orphan")


class Membership(Marked, Base):
    """A dated membership of an organisation (NATO, EU, the coalition) with a role."""

    __tablename__ = "memberships"
    __table_args__ = (UniqueConstraint("nation_code", "organisation", "start", "rel_to"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    nation_code: Mapped[str] = mapped_column(ForeignKey("nations.code"), index=True)
    organisation: Mapped[str] = mapped_column(String(20))  # NATO, EU, COALITION
    role: Mapped[str] = mapped_column(String(20), default="member")  # member, contributor, supporter, observer
    start: Mapped[date | None] = mapped_column(Date)
    end: Mapped[date | None] = mapped_column(Date)
    source_id: Mapped[str | None] = mapped_column(ForeignKey("sources.id"))
    nation: Mapped[Nation] = relationship(back_populates="memberships")


class NationFigure(Marked, Base):
    """A reference figure for burden sharing, e.g. GDP in current USD for a year, with its source."""

    __tablename__ = "nation_figures"
    __table_args__ = (UniqueConstraint("nation_code", "indicator", "year", "rel_to"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    nation_code: Mapped[str] = mapped_column(ForeignKey("nations.code"), index=True)
    indicator: Mapped[str] = mapped_column(String(40))  # gdp_usd, population, defence_pct_gdp
    year: Mapped[int]
    value: Mapped[float] = mapped_column(Float)
    source_id: Mapped[str] = mapped_column(ForeignKey("sources.id"))

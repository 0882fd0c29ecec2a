"""Pledges: what a nation offers, where, when, on what rotation, under which caveats and conditions."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import JSON, Column, Date, Float, ForeignKey, Integer, String, Table, Text, UniqueConstraint, event
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from reassure.db.base import Base
from reassure.db.mixins import Graded, Marked, Quantified
from reassure.domains.sources.models import Source

pledge_sources = Table(
    "pledge_sources",
    Base.metadata,
    Column("pledge_id", ForeignKey("pledges.id", ondelete="CASCADE"), primary_key=True),
    Column("source_id", ForeignKey("sources.id"), primary_key=True),
)

LIFECYCLE = ("announced", "offered", "confirmed", "deployed", "withdrawn")


class Pledge(Graded, Quantified, Marked, Base):
    """A nation's offer of N units of one capability; the quantity counts units, not people."""

    __tablename__ = "pledges"
    __table_args__ = (UniqueConstraint("scenario_id", "key", "rel_to"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    scenario_id: Mapped[int] = mapped_column(ForeignKey("scenarios.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(String(80))
    nation_code: Mapped[str] = mapped_column(ForeignKey("nations.code"), index=True)
    domain: Mapped[str] = mapped_column(String(10))
    capability: Mapped[str] = mapped_column(String(40))
    personnel_per_unit: Mapped[int]
    locations: Mapped[list[str]] = mapped_column(JSON, default=list)
    available_from: Mapped[date] = mapped_column(Date)
    available_to: Mapped[date] = mapped_column(Date)
    max_tour: Mapped[int]  # in the scenario's periods
    min_dwell: Mapped[int]
    caveats: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    conditions: Mapped[list[str]] = mapped_column(JSON, default=list)
    status: Mapped[str] = mapped_column(String(12), default="announced")
    probability: Mapped[float] = mapped_column(Float, default=1.0)
    notice: Mapped[int] = mapped_column(Integer, default=0, server_default="0")  # notice to move, in periods
    notes: Mapped[str] = mapped_column(Text, default="")
    # Freshness and renewal (docs/adr/0043): the day the pledge was last known true (None: its newest status or
    # source date), the day it lapses, and the day it must be renewed by (with what the renewal is).
    as_of: Mapped[date | None] = mapped_column(Date)
    valid_to: Mapped[date | None] = mapped_column(Date)
    renew_by: Mapped[date | None] = mapped_column(Date)
    renewal: Mapped[str] = mapped_column(String(200), default="", server_default="")
    sources: Mapped[list[Source]] = relationship(secondary=pledge_sources, order_by="[Source.key, Source.id]")
    history: Mapped[list[PledgeStatusEvent]] = relationship(
        cascade="all, delete-orphan", order_by=lambda: [PledgeStatusEvent.on_date, PledgeStatusEvent.id])
    # No lost update (docs/adr/0051): bumped by every write of the pledge (its columns, sources or history; see
    # _bump_versions) and checked by the UPDATE itself (`WHERE version = <read>`), so two writers of one pledge
    # cannot both win; an edit sends the version it read and a stale one is refused before anything is written.
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")

    __mapper_args__ = {"version_id_col": version, "version_id_generator": False}  # noqa: RUF012


_WRITTEN = "reassure.pledges_written"  # session.info: the pledges this transaction created or bumped


@event.listens_for(Session, "before_flush")
def _bump_versions(session: Session, _context: object, _instances: object) -> None:
    """Give every pledge this transaction writes its next version, once: a change of its own columns or of its
    sources or history lists (steps added or removed) is a write of the pledge; one it created starts at 1."""
    written: set[Pledge] = session.info.setdefault(_WRITTEN, set())
    written.update(p for p in session.new if isinstance(p, Pledge))
    for pledge in [p for p in session.dirty if isinstance(p, Pledge) and p not in written and session.is_modified(p)]:
        written.add(pledge)
        if pledge.version is not None:
            pledge.version = pledge.version + 1


@event.listens_for(Session, "after_commit")
@event.listens_for(Session, "after_rollback")
def _transaction_ended(session: Session) -> None:
    session.info.pop(_WRITTEN, None)


class PledgeStatusEvent(Marked, Base):
    """A dated step in a pledge's lifecycle (announced → offered → confirmed → deployed → withdrawn), marked like
    its pledge."""

    __tablename__ = "pledge_status_events"
    __table_args__ = (UniqueConstraint("pledge_id", "status", "on_date"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    pledge_id: Mapped[int] = mapped_column(ForeignKey("pledges.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(12))
    on_date: Mapped[date] = mapped_column(Date)

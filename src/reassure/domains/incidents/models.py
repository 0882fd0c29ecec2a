"""Incidents, each source's account of them (reports), and the weapon counts each report gives."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, Float, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from reassure.db.base import Base
from reassure.db.mixins import Graded, Marked
from reassure.domains.sources.models import Source

INCIDENT_KINDS = ("air_attack", "ceasefire_violation", "other")
EVENT_TYPES = ("state_based", "non_state", "one_sided")  # UCDP GED type_of_violence 1, 2, 3
QUALIFIERS = ("exact", "at_least", "approx", "at_most")


class Incident(Marked, Base):
    """Something that happened once, whoever reported it: when, where, what kind, between whom.

    Times are local (Kyiv) as the sources give them, without a zone; `timed` is false when only the dates are
    known (start 00:00, end 23:59:59 of the last day).
    """

    __tablename__ = "incidents"
    __table_args__ = (UniqueConstraint("key", "rel_to"),)  # a feed ingested under a marking is kept per marking

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(200), index=True)
    kind: Mapped[str] = mapped_column(String(24), index=True)
    start: Mapped[datetime] = mapped_column(DateTime(), index=True)
    end: Mapped[datetime] = mapped_column(DateTime())
    timed: Mapped[bool] = mapped_column(default=False)
    region: Mapped[str | None] = mapped_column(String(120), index=True)
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    attacker: Mapped[str | None] = mapped_column(String(120))
    defender: Mapped[str | None] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(Text, default="")
    event_type: Mapped[str | None] = mapped_column(String(16), index=True)  # EVENT_TYPES; None when not coded
    reports: Mapped[list[IncidentReport]] = relationship(
        back_populates="incident", cascade="all, delete-orphan",
        order_by=lambda: [IncidentReport.source_id, IncidentReport.revision, IncidentReport.id])


class IncidentReport(Graded, Marked, Base):
    """One source's account of an incident, kept verbatim; a later account from the same source is a revision."""

    __tablename__ = "incident_reports"
    __table_args__ = (UniqueConstraint("incident_id", "source_id", "revision", "rel_to"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incidents.id", ondelete="CASCADE"), index=True)
    source_id: Mapped[str] = mapped_column(ForeignKey("sources.id"), index=True)
    revision: Mapped[int] = mapped_column(default=1)  # 1 = preliminary, 2+ = revised
    reported_at: Mapped[datetime | None] = mapped_column(DateTime())
    reported_by: Mapped[str | None] = mapped_column(String(200))  # whom the source cites, e.g. the Air Force
    window_start: Mapped[datetime] = mapped_column(DateTime())  # the window as this source gives it
    window_end: Mapped[datetime] = mapped_column(DateTime())
    timed: Mapped[bool] = mapped_column(default=False)
    # how a text report's window is known (docs/adr/0021): "stated" times, the implied "night", NULL dates/feeds
    window_basis: Mapped[str | None] = mapped_column(String(8))
    external_ref: Mapped[str] = mapped_column(String(400), index=True)  # CSV window or event id, file name
    digest: Mapped[str] = mapped_column(String(64))  # fingerprint of text and window: equal means nothing new
    raw_text: Mapped[str] = mapped_column(Text)
    fatalities_best: Mapped[int | None]
    fatalities_low: Mapped[int | None]
    fatalities_high: Mapped[int | None]
    region_count: Mapped[int | None]  # regions the report says were hit without naming them ("over six regions")
    region_count_q: Mapped[str | None] = mapped_column(String(10))
    incident: Mapped[Incident] = relationship(back_populates="reports")
    source: Mapped[Source] = relationship()
    weapons: Mapped[list[WeaponCount]] = relationship(back_populates="report", cascade="all, delete-orphan",
                                                      order_by="WeaponCount.position")
    regions: Mapped[list[IncidentRegion]] = relationship(back_populates="report", cascade="all, delete-orphan",
                                                         order_by="IncidentRegion.id")


class WeaponCount(Marked, Base):
    """One weapon line of a report; each count has a qualifier (exact, at_least, approx, at_most), null = not said."""

    __tablename__ = "weapon_counts"

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("incident_reports.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    category: Mapped[str] = mapped_column(String(24), index=True)  # DESIGN §4 category
    model: Mapped[str | None] = mapped_column(String(200))
    external_ref: Mapped[str | None] = mapped_column(String(400))  # e.g. the Air Force post of a CSV row
    launched: Mapped[int | None]
    launched_q: Mapped[str | None] = mapped_column(String(10))
    destroyed: Mapped[int | None]
    destroyed_q: Mapped[str | None] = mapped_column(String(10))
    suppressed: Mapped[int | None]
    suppressed_q: Mapped[str | None] = mapped_column(String(10))
    neutralized: Mapped[int | None]
    neutralized_q: Mapped[str | None] = mapped_column(String(10))
    impacted: Mapped[int | None]
    impacted_q: Mapped[str | None] = mapped_column(String(10))
    report: Mapped[IncidentReport] = relationship(back_populates="weapons")


class IncidentLink(Marked, Base):
    """An analyst's pinned link: the reports of one source under its own reference belong to this incident.

    Ingestion respects it (a revised text under the same name joins the pinned incident, docs/adr/0017), so a
    correction made with `reassure incidents relink` survives a re-import. Marked like the reports it moves.
    """

    __tablename__ = "incident_links"
    __table_args__ = (UniqueConstraint("source_id", "external_ref", "rel_to"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[str] = mapped_column(ForeignKey("sources.id"), index=True)
    external_ref: Mapped[str] = mapped_column(String(400))
    incident_id: Mapped[int] = mapped_column(ForeignKey("incidents.id", ondelete="CASCADE"), index=True)
    pinned_by: Mapped[str] = mapped_column(String(120))
    pinned_at: Mapped[datetime] = mapped_column(DateTime())


class IncidentRegion(Marked, Base):
    """A region (ISO 3166-2:UA code) one report names for its incident, marked like that report.

    A night attack may reach several regions, so they are rows, not a column; a region a hidden report names is
    hidden with it, so a filter by region never finds an incident through a report the reader may not see.
    """

    __tablename__ = "incident_regions"
    __table_args__ = (UniqueConstraint("report_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incidents.id", ondelete="CASCADE"), index=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("incident_reports.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(8), index=True)
    report: Mapped[IncidentReport] = relationship(back_populates="regions")


REVIEW_STANDINGS = ("verified", "unconfirmed", "conflicting")


class IncidentReview(Marked, Base):
    """An analyst's review of an incident (docs/adr/0037): a standing they judge it to have with the reason, or a
    comment (no standing). Kept by incident key, so it stays with the incident whatever copy or marking of it a
    reader sees; shown on the incident's page beside the standing the sources' figures give, never replacing it."""

    __tablename__ = "incident_reviews"

    id: Mapped[int] = mapped_column(primary_key=True)
    incident_key: Mapped[str] = mapped_column(String(200), index=True)
    standing: Mapped[str | None] = mapped_column(String(16))  # REVIEW_STANDINGS; None for a comment
    text: Mapped[str] = mapped_column(Text)
    author: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[datetime] = mapped_column(DateTime())

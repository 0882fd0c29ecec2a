"""An ask to a nation (docs/adr/0041): so many units of one capability for a window, with the gaps it would close;
drafted → sent → answered (in full, in part, declined; with conditions) → turned into a pledge, each step dated and
sourced, marked like every other record."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import JSON, Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from reassure.db.base import Base
from reassure.db.mixins import Marked, public_id_column

STATES = ("drafted", "sent", "answered", "pledged")
ANSWERS = ("full", "part", "declined")


class ForceAsk(Marked, Base):
    """An ask to one nation for `quantity` units of one capability; the quantity counts units, not people."""

    __tablename__ = "force_asks"

    id: Mapped[int] = mapped_column(primary_key=True)  # inside the database only
    public_id: Mapped[str] = public_id_column("ask")  # what users see and send
    scenario_id: Mapped[int] = mapped_column(ForeignKey("scenarios.id", ondelete="CASCADE"), index=True)
    plan_id: Mapped[int | None] = mapped_column(ForeignKey("plans.id", ondelete="SET NULL"), index=True)
    nation_code: Mapped[str] = mapped_column(ForeignKey("nations.code"), index=True)
    capability: Mapped[str] = mapped_column(String(40))
    quantity: Mapped[int] = mapped_column(Integer)
    personnel_per_unit: Mapped[int] = mapped_column(Integer)
    locations: Mapped[list[str]] = mapped_column(JSON, default=list)
    available_from: Mapped[date] = mapped_column(Date)
    available_to: Mapped[date] = mapped_column(Date)
    max_tour: Mapped[int] = mapped_column(Integer)  # in the scenario's periods
    min_dwell: Mapped[int] = mapped_column(Integer)
    # the gaps it would close: [{"task": key, "first": period, "last": period, "label": "AIR-WEST Jan 2027 – …"}]
    closes: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    note: Mapped[str] = mapped_column(Text, default="")
    state: Mapped[str] = mapped_column(String(12), default="drafted", index=True)
    author: Mapped[str] = mapped_column(String(120))
    drafted_on: Mapped[date] = mapped_column(Date)
    sent_on: Mapped[date | None] = mapped_column(Date)
    sent_source_id: Mapped[str | None] = mapped_column(ForeignKey("sources.id"))
    answer: Mapped[str | None] = mapped_column(String(12))  # ANSWERS
    accepted: Mapped[int | None] = mapped_column(Integer)  # units accepted (the quantity in full; 0 when declined)
    conditions: Mapped[str] = mapped_column(Text, default="")  # the answer's conditions, in the nation's words
    answered_on: Mapped[date | None] = mapped_column(Date)
    answer_source_id: Mapped[str | None] = mapped_column(ForeignKey("sources.id"))
    pledge_id: Mapped[int | None] = mapped_column(ForeignKey("pledges.id", ondelete="SET NULL"))
    pledged_on: Mapped[date | None] = mapped_column(Date)
    answer_by: Mapped[date | None] = mapped_column(Date)  # an answer after it is late (a follow-up: ADR 0047)

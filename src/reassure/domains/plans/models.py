"""A stored plan: the problem snapshot, solver settings and the plan, marked like the records it derives from."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, Float, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from reassure.db.base import Base
from reassure.db.mixins import Marked, public_id_column
from reassure.db.types import UtcDateTime


def _now() -> datetime:
    return datetime.now(UTC)


class StoredPlan(Marked, Base):
    """One solve of a scenario's problem (or a what-if on a stored plan), kept to list, diff and re-check."""

    __tablename__ = "plans"

    id: Mapped[int] = mapped_column(primary_key=True)  # inside the database only: keys, links, order
    public_id: Mapped[str] = public_id_column("plan")  # what users see and send
    scenario: Mapped[str] = mapped_column(String(80), index=True)
    label: Mapped[str] = mapped_column(String(200), default="")
    base_id: Mapped[int | None] = mapped_column(ForeignKey("plans.id", ondelete="SET NULL"))
    # The sweep whose run this plan is (docs/adr/0053); deleting a sweep deletes its plans.
    sweep_id: Mapped[int | None] = mapped_column(ForeignKey("sweeps.id", ondelete="CASCADE"), index=True)
    problem: Mapped[dict[str, Any]] = mapped_column(JSON)  # DESIGN §3 problem as solved
    plan: Mapped[dict[str, Any]] = mapped_column(JSON)  # DESIGN §3 plan
    settings: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)  # method, time limit, seed, workers, changes
    status: Mapped[str] = mapped_column(String(20))
    coverage: Mapped[float] = mapped_column(Float)
    bound: Mapped[float] = mapped_column(Float)
    tours: Mapped[int]
    gaps: Mapped[int]
    author: Mapped[str] = mapped_column(String(64))
    author_nation: Mapped[str] = mapped_column(String(3))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=_now, index=True)

"""A stored sweep: its file, the comparison of its variants, marked like the most restrictive record its problem rests
on; its plans link to it (plans.sweep_id)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, String
from sqlalchemy.orm import Mapped, mapped_column

from reassure.db.base import Base
from reassure.db.mixins import Marked, public_id_column
from reassure.db.types import UtcDateTime


def _now() -> datetime:
    return datetime.now(UTC)


class Sweep(Marked, Base):
    """One sweep of a scenario, stored whole in one transaction once every run has finished (docs/adr/0053)."""

    __tablename__ = "sweeps"

    id: Mapped[int] = mapped_column(primary_key=True)  # inside the database only: keys, links, order
    public_id: Mapped[str] = public_id_column("sweep")  # what users see and send
    name: Mapped[str] = mapped_column(String(120))
    scenario: Mapped[str] = mapped_column(String(80), index=True)
    spec: Mapped[dict[str, Any]] = mapped_column(JSON)  # the sweep file as validated (docs/sweeps.md)
    variants: Mapped[int]  # runs besides the base
    comparison: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)  # per run: figures, plan id
    settings: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)  # where it ran: scheduler, workers, seconds
    author: Mapped[str] = mapped_column(String(64))
    author_nation: Mapped[str] = mapped_column(String(3))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=_now, index=True)

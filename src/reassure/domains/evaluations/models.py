"""A stored evaluation of an exit condition, political trigger or alert."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import JSON, Date, String
from sqlalchemy.orm import Mapped, mapped_column

from reassure.db.base import Base
from reassure.db.mixins import Marked, public_id_column
from reassure.db.types import UtcDateTime


def _now() -> datetime:
    return datetime.now(UTC)


class StoredEvaluation(Marked, Base):
    """A rule's state as of a day: met or not, values, evidence incident keys; who evaluated it and when."""

    __tablename__ = "rule_evaluations"

    id: Mapped[int] = mapped_column(primary_key=True)  # inside the database only: keys, links, order
    public_id: Mapped[str] = public_id_column("eval")  # what users see and send
    rule_id: Mapped[str] = mapped_column(String(80), index=True)
    rule_name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20))
    as_of: Mapped[date] = mapped_column(Date, index=True)
    met: Mapped[bool]
    evaluation: Mapped[dict[str, Any]] = mapped_column(JSON)  # the whole Evaluation (rules/results.py)
    evidence: Mapped[list[str]] = mapped_column(JSON, default=list)  # incident keys the conditions counted
    author: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=_now, index=True)

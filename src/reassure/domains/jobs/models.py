"""A background job: what was asked, by whom, its state and progress, and where its result is; marked like the
result it will produce (a solve like the scenario's problem, a rule evaluation like the incidents)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, Float, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from reassure.db.base import Base
from reassure.db.mixins import Marked, public_id_column
from reassure.db.types import UtcDateTime

JOB_STATES = ("queued", "running", "done", "failed", "cancelled")
FINAL_STATES = ("done", "failed", "cancelled")


def _now() -> datetime:
    return datetime.now(UTC)


class Job(Marked, Base):
    """One background job; the worker runs it as its owner (the owner's roles and nation at run time)."""

    __tablename__ = "jobs"
    __unversioned__ = True  # no kept API answer reads jobs: their progress beats leave the data version (ADR 0052)

    id: Mapped[int] = mapped_column(primary_key=True)  # inside the database only: keys, links, order
    public_id: Mapped[str] = public_id_column("job")  # what users see and send
    kind: Mapped[str] = mapped_column(String(20))
    params: Mapped[dict[str, Any]] = mapped_column(JSON)
    state: Mapped[str] = mapped_column(String(12), index=True)
    progress: Mapped[float] = mapped_column(Float, default=0.0)  # 0..1 of the time limit or the samples
    coverage: Mapped[float | None] = mapped_column(Float)  # best so far (solves and what-ifs)
    bound: Mapped[float | None] = mapped_column(Float)
    message: Mapped[str] = mapped_column(Text, default="")
    result: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    plan_id: Mapped[int | None]  # the stored plan a solve or what-if produced
    # The file a job produced (a brief's PDF), read only when downloaded; its name is `result["file"]`.
    document: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True)
    cancel_requested: Mapped[bool] = mapped_column(default=False)
    owner: Mapped[str] = mapped_column(String(64), index=True)
    owner_nation: Mapped[str] = mapped_column(String(3))
    worker: Mapped[str] = mapped_column(String(80), default="")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=_now, index=True)
    started_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    finished_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    heartbeat_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    # Until when the worker running it vouches for it (renewed by its heartbeat); past it, any live worker fails the
    # job as lost (docs/adr/0051).
    lease_until: Mapped[datetime | None] = mapped_column(UtcDateTime())

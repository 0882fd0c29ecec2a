"""Readiness of a database for this version (docs/adr/0049): it answers, its schema is at the newest revision, and
its durability settings are known (docs/adr/0050). Reasons are short and say nothing about the data."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy.exc import DBAPIError

from reassure.db.engine import durability_problems
from reassure.db.uow import engine_for
from reassure.migrations import current_revision, head_revision
from reassure.settings import Settings


@dataclass(frozen=True)
class Readiness:
    """Whether to send traffic here, why not, and what puts acknowledged writes at risk (reported, not refused)."""

    ready: bool
    reason: str | None = None
    warnings: list[str] = field(default_factory=list)


def readiness(settings: Settings) -> Readiness:
    """Check the settings' database: answering, at the newest schema revision; durability problems as warnings."""
    engine = engine_for(settings)
    try:
        current = current_revision(engine)
        warnings = durability_problems(engine)
    except (DBAPIError, OSError):  # no server, no file, or no folder it can be made in
        return Readiness(False, "database unavailable")
    if current is None:
        return Readiness(False, "database has no schema: run `reassure db upgrade`")
    if current != head_revision():
        return Readiness(False, f"database schema at {current}, this version needs {head_revision()}: run `reassure db "
                         "upgrade`", warnings)
    return Readiness(True, None, warnings)

"""Read freedom-of-movement restrictions (only those released to the session's viewer, db/access.py): a paged
listing, one by its public id, the frame the indicators and rules count, and the marking of what rests on them."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import TYPE_CHECKING, Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session, selectinload

from reassure.core.errors import NotFound
from reassure.core.markings import Releasability, most_restrictive
from reassure.core.regions import region_label
from reassure.db.paging import paged
from reassure.domains.movement.models import MovementRestriction
from reassure.domains.movement.schemas import MovementRead

if TYPE_CHECKING:
    import polars as pl

FRAME_KIND = "movement"  # the kind of a restriction's row in the indicator frame (monitoring/indicators/frame KINDS)


class MovementNotFound(NotFound):
    """No restriction with that id is visible to the viewer (hidden and absent alike)."""


def movement_read(m: MovementRestriction) -> MovementRead:
    """Return a restriction as read."""
    grade = m.grade
    return MovementRead(id=m.public_id, kind=m.kind, start=m.start, end=m.end, region=m.region,
                        region_label=region_label(m.region), place=m.place, description=m.description,
                        scenario=m.scenario, tasks=list(m.task_keys or []), source=m.source.key,
                        grade=str(grade) if grade else "", standing=m.standing, recorded_by=m.recorded_by,
                        marking=str(m.releasability))


def _day(value: date | datetime, *, end: bool = False) -> datetime:
    if isinstance(value, datetime):
        return value
    return datetime.combine(value, time.max if end else time.min)


def _movements(*, kind: str | None, region: str | None, start: date | datetime | None,
               end: date | datetime | None) -> Select[MovementRestriction]:
    query = (select(MovementRestriction).options(selectinload(MovementRestriction.source))
             .order_by(MovementRestriction.start.desc(), MovementRestriction.id.desc()))
    if kind:
        query = query.where(MovementRestriction.kind == kind)
    if region:
        query = query.where(MovementRestriction.region == region)
    if start is not None:
        query = query.where(MovementRestriction.start >= _day(start))
    if end is not None:
        query = query.where(MovementRestriction.start <= _day(end, end=True))
    return query


def list_movements(*, db: Session, kind: str | None = None, region: str | None = None,
                   start: date | datetime | None = None, end: date | datetime | None = None) -> list[MovementRead]:
    """Return the visible restrictions, newest first, optionally of one kind, in one region (a code), from or until
    a day (by their start)."""
    return [movement_read(m) for m in db.scalars(_movements(kind=kind, region=region, start=start, end=end))]


def page_movements(*, db: Session, kind: str | None = None, region: str | None = None,
                   start: date | datetime | None = None, end: date | datetime | None = None, limit: int = 100,
                   offset: int = 0) -> tuple[list[MovementRead], int]:
    """Return one page of what list_movements lists (same filters, same order) and how many there are."""
    found, total = paged(db, _movements(kind=kind, region=region, start=start, end=end), limit=limit, offset=offset)
    return [movement_read(m) for m in found], total


def get_movement(public_id: str, *, db: Session) -> MovementRead:
    """Return the visible restriction with this public id, or raise MovementNotFound."""
    found = db.scalars(select(MovementRestriction).where(MovementRestriction.public_id == public_id)).first()
    if found is None:
        raise MovementNotFound(f"no movement restriction {public_id[:40]!r}")
    return movement_read(found)


def movements_marking(*, db: Session) -> str:
    """Return the marking of a result computed over every restriction the viewer sees: the most restrictive."""
    markings = set(db.scalars(select(MovementRestriction.rel_to).distinct()))
    return most_restrictive(*(Releasability.from_column(m) for m in markings)).to_column()


def movement_frame(*, db: Session) -> pl.DataFrame:
    """Return the visible restrictions as indicator-frame rows (kind "movement", the restriction's kind in the
    `restriction` column, its region code in `regions`, no weapon line), so that indicators and rules count them
    beside the incidents (docs/adr/0045). Its sources are named apart ("KEY (movement)"), so a source that also tells of
    incidents never has its days of incident data stretched by a restriction (coverage counts per source)."""
    import polars as pl

    from reassure.monitoring.indicators.frame import FULL_SCHEMA, MOVEMENT_SCHEMA

    rows: list[dict[str, Any]] = []
    for m in db.scalars(_movements(kind=None, region=None, start=None, end=None)):
        rows.append({"incident_id": m.public_id, "kind": FRAME_KIND, "start": m.start, "end": m.end or m.start,
                     "region": region_label(m.region), "regions": [m.region], "event_type": None,
                     "reliability": m.reliability or "F", "credibility": m.credibility or 6,
                     "sources": [f"{m.source.key} (movement)"], "restriction": m.kind})
    schema = {**FULL_SCHEMA, **MOVEMENT_SCHEMA}
    return pl.DataFrame(rows, schema=schema, orient="row") if rows else pl.DataFrame(schema=schema)

"""Read sources and claims (only those released to the session's viewer)."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session, selectinload

from reassure.core.quantities import QuantityKind
from reassure.db.keys import first_per_key
from reassure.db.paging import paged
from reassure.domains.sources.models import Claim, Source, claim_sources
from reassure.domains.sources.schemas import ClaimRead, SourceRead


def _claim_counts(db: Session, keys: list[str] | None = None) -> dict[str, int]:
    # Counted through the claims, so the access filter leaves out links from claims hidden from the viewer, and
    # only the claims list_claims shows (one per key), citing the source under any of its markings.
    per_source = (select(Source.key, func.count(Claim.id.distinct()))
                  .join(claim_sources, claim_sources.c.source_id == Source.id)
                  .join(Claim, Claim.id == claim_sources.c.claim_id)
                  .where(first_per_key(db, Claim, "key")).group_by(Source.key))
    if keys is not None:
        per_source = per_source.where(Source.key.in_(keys))
    return {key: n for key, n in db.execute(per_source).all()}


def _sources(db: Session) -> Select[Source]:
    return select(Source).where(first_per_key(db, Source, "key")).order_by(Source.key, Source.id)


def _source_reads(found: Sequence[Source], counts: dict[str, int]) -> list[SourceRead]:
    return [SourceRead(id=s.key, publisher=s.publisher, title=s.title, published=s.published, locator=s.locator,
                       reliability=s.reliability, claims=counts.get(s.key, 0), marking=str(s.releasability))
            for s in found]


def list_sources(*, db: Session) -> list[SourceRead]:
    """Return sources by id (one per key, db/keys.py) with how many of the claims listed cite them."""
    return _source_reads(list(db.scalars(_sources(db))), _claim_counts(db))


def page_sources(*, db: Session, limit: int = 100, offset: int = 0) -> tuple[list[SourceRead], int]:
    """Return one page of the sources list_sources lists (same order, same claim counts) and how many there are."""
    found, total = paged(db, _sources(db), limit=limit, offset=offset)
    return _source_reads(found, _claim_counts(db, [s.key for s in found])), total


def _claims(*, db: Session, standing: str | None, topic: str | None, nation: str | None) -> Select[Claim]:
    query = (select(Claim).options(selectinload(Claim.sources)).where(first_per_key(db, Claim, "key"))
             .order_by(Claim.reported_on.desc(), Claim.key, Claim.id))
    if standing:
        query = query.where(Claim.standing == standing)
    if topic:
        query = query.where(Claim.topic == topic)
    if nation:
        query = query.where(Claim.nation_code == nation.upper())
    return query


def list_claims(*, db: Session, standing: str | None = None, topic: str | None = None,
                nation: str | None = None) -> list[ClaimRead]:
    """Return claims (one per key, db/keys.py), newest report first, optionally filtered by standing, topic or
    nation."""
    return [_read(c) for c in db.scalars(_claims(db=db, standing=standing, topic=topic, nation=nation))]


def page_claims(*, db: Session, standing: str | None = None, topic: str | None = None, nation: str | None = None,
                limit: int = 100, offset: int = 0) -> tuple[list[ClaimRead], int]:
    """Return one page of the claims list_claims lists (same filters, same order) and how many there are."""
    found, total = paged(db, _claims(db=db, standing=standing, topic=topic, nation=nation), limit=limit,
                         offset=offset)
    return [_read(c) for c in found], total


def _read(c: Claim) -> ClaimRead:
    grade = c.grade
    quantity = None if c.qty_kind == QuantityKind.UNDISCLOSED and c.unit is None else str(c.quantity)
    return ClaimRead(key=c.key, topic=c.topic, nation=c.nation_code, statement=c.statement,
                     reported_on=c.reported_on, quantity=quantity, unit=c.unit, standing=c.standing,
                     grade=str(grade) if grade else None, grade_meaning=grade.meaning if grade else None,
                     sources=[s.key for s in c.sources], marking=str(c.releasability),
                     as_of=c.reported_on or max((s.published for s in c.sources if s.published), default=None))

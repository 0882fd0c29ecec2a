"""Read sources and claims (only those released to the session's viewer)."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from reassure.core.quantities import QuantityKind
from reassure.db.keys import first_per_key
from reassure.domains.sources.models import Claim, Source, claim_sources
from reassure.domains.sources.schemas import ClaimRead, SourceRead


def list_sources(*, db: Session) -> list[SourceRead]:
    """Return sources by id (one per key, db/keys.py) with how many of the claims listed cite them."""
    # Counted through the claims, so the access filter leaves out links from claims hidden from the viewer, and
    # only the claims list_claims shows (one per key), citing the source under any of its markings.
    per_source = (select(Source.key, func.count(Claim.id.distinct()))
                  .join(claim_sources, claim_sources.c.source_id == Source.id)
                  .join(Claim, Claim.id == claim_sources.c.claim_id)
                  .where(first_per_key(db, Claim, "key")).group_by(Source.key))
    counts: dict[str, int] = {key: n for key, n in db.execute(per_source).all()}
    return [SourceRead(id=s.key, publisher=s.publisher, title=s.title, published=s.published, locator=s.locator,
                       reliability=s.reliability, claims=counts.get(s.key, 0), marking=str(s.releasability))
            for s in db.scalars(select(Source).where(first_per_key(db, Source, "key")).order_by(Source.key))]


def list_claims(*, db: Session, standing: str | None = None, topic: str | None = None,
                nation: str | None = None) -> list[ClaimRead]:
    """Return claims (one per key, db/keys.py), newest report first, optionally filtered by standing, topic or
    nation."""
    query = (select(Claim).options(selectinload(Claim.sources)).where(first_per_key(db, Claim, "key"))
             .order_by(Claim.reported_on.desc(), Claim.key, Claim.id))
    if standing:
        query = query.where(Claim.standing == standing)
    if topic:
        query = query.where(Claim.topic == topic)
    if nation:
        query = query.where(Claim.nation_code == nation.upper())
    return [_read(c) for c in db.scalars(query)]


def _read(c: Claim) -> ClaimRead:
    grade = c.grade
    quantity = None if c.qty_kind == QuantityKind.UNDISCLOSED and c.unit is None else str(c.quantity)
    return ClaimRead(key=c.key, topic=c.topic, nation=c.nation_code, statement=c.statement,
                     reported_on=c.reported_on, quantity=quantity, unit=c.unit, standing=c.standing,
                     grade=str(grade) if grade else None, grade_meaning=grade.meaning if grade else None,
                     sources=[s.key for s in c.sources], marking=str(c.releasability))

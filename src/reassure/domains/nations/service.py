"""Read nations with their memberships and figures (only the marked rows released to the viewer)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from sqlalchemy import Select, or_, select
from sqlalchemy.orm import Session

from reassure.db.keys import first_per_key
from reassure.db.paging import paged
from reassure.domains.nations.models import Membership, Nation, NationFigure
from reassure.domains.nations.schemas import FigureRead, MembershipRead, NationRead
from reassure.domains.sources.models import Source


def _memberships(db: Session) -> Select[Membership, str | None]:
    return (select(Membership, Source.key).outerjoin(Source, Membership.source_id == Source.id)
            .where(first_per_key(db, Membership, "nation_code", "organisation", "start")))


def _figures(db: Session) -> Select[NationFigure, str]:
    return (select(NationFigure, Source.key).join(Source, NationFigure.source_id == Source.id)
            .where(first_per_key(db, NationFigure, "nation_code", "indicator", "year")))


def _listing(db: Session, organisation: str | None, everyone: bool) -> Select[Nation]:
    """The nations listed: with a visible membership (of `organisation` when given) or figure, every one with
    `everyone`; the memberships and figures counted are those listed (one per key, through the access filter)."""
    query = select(Nation).order_by(Nation.code)
    member = _memberships(db).where(Membership.nation_code == Nation.code)
    if organisation:
        return query.where(member.where(Membership.organisation == organisation.upper()).exists())
    if everyone:
        return query
    return query.where(or_(member.exists(), _figures(db).where(NationFigure.nation_code == Nation.code).exists()))


def _reads(nations: Sequence[Nation], *, db: Session) -> list[NationRead]:
    codes = [n.code for n in nations]
    memberships: dict[str, list[MembershipRead]] = defaultdict(list)
    query = (_memberships(db).where(Membership.nation_code.in_(codes))
             .order_by(Membership.nation_code, Membership.organisation, Membership.id))
    for m, source in db.execute(query):
        memberships[m.nation_code].append(MembershipRead(organisation=m.organisation, role=m.role, start=m.start,
                                                         end=m.end, source=source, marking=str(m.releasability)))
    figures: dict[str, list[FigureRead]] = defaultdict(list)
    query_f = (_figures(db).where(NationFigure.nation_code.in_(codes))
               .order_by(NationFigure.nation_code, NationFigure.indicator, NationFigure.year, NationFigure.id))
    for f, source in db.execute(query_f):
        figures[f.nation_code].append(FigureRead(indicator=f.indicator, year=f.year, value=f.value, source=source,
                                                 marking=str(f.releasability)))
    return [NationRead(code=n.code, name=n.name, memberships=memberships.get(n.code, []),
                       figures=figures.get(n.code, [])) for n in nations]


def list_nations(*, db: Session, organisation: str | None = None, everyone: bool = False) -> list[NationRead]:
    """Return nations by code: those with a visible membership or figure (every ISO nation with `everyone`),
    only members of `organisation` (NATO, EU, COALITION) when given."""
    return _reads(list(db.scalars(_listing(db, organisation, everyone))), db=db)


def page_nations(*, db: Session, organisation: str | None = None, everyone: bool = False, limit: int = 300,
                 offset: int = 0) -> tuple[list[NationRead], int]:
    """Return one page of the nations list_nations lists (same filters, same order) and how many there are."""
    found, total = paged(db, _listing(db, organisation, everyone), limit=limit, offset=offset)
    return _reads(found, db=db), total

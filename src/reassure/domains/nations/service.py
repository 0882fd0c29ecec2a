"""Read nations with their memberships and figures (only the marked rows released to the viewer)."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import select
from sqlalchemy.orm import Session

from reassure.db.keys import first_per_key
from reassure.domains.nations.models import Membership, Nation, NationFigure
from reassure.domains.nations.schemas import FigureRead, MembershipRead, NationRead
from reassure.domains.sources.models import Source


def list_nations(*, db: Session, organisation: str | None = None, everyone: bool = False) -> list[NationRead]:
    """Return nations by code: those with a visible membership or figure (every ISO nation with `everyone`),
    only members of `organisation` (NATO, EU, COALITION) when given."""
    memberships: dict[str, list[MembershipRead]] = defaultdict(list)
    query = (select(Membership, Source.key).outerjoin(Source, Membership.source_id == Source.id)
             .where(first_per_key(db, Membership, "nation_code", "organisation", "start"))
             .order_by(Membership.nation_code, Membership.organisation, Membership.id))
    for m, source in db.execute(query):
        memberships[m.nation_code].append(MembershipRead(organisation=m.organisation, role=m.role, start=m.start,
                                                         end=m.end, source=source, marking=str(m.releasability)))
    figures: dict[str, list[FigureRead]] = defaultdict(list)
    query_f = (select(NationFigure, Source.key).join(Source, NationFigure.source_id == Source.id)
               .where(first_per_key(db, NationFigure, "nation_code", "indicator", "year"))
               .order_by(NationFigure.nation_code, NationFigure.indicator, NationFigure.year, NationFigure.id))
    for f, source in db.execute(query_f):
        figures[f.nation_code].append(FigureRead(indicator=f.indicator, year=f.year, value=f.value, source=source,
                                                 marking=str(f.releasability)))
    out = []
    for nation in db.scalars(select(Nation).order_by(Nation.code)):
        found = memberships.get(nation.code, [])
        if organisation and not any(m.organisation == organisation.upper() for m in found):
            continue
        if everyone or found or nation.code in figures:
            out.append(NationRead(code=nation.code, name=nation.name, memberships=found,
                                  figures=figures.get(nation.code, [])))
    return out

"""Read a scenario's legal instruments (only those released to the viewer)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from reassure.db.keys import first_per_key
from reassure.domains.legal.models import LegalInstrument
from reassure.domains.legal.schemas import LegalRead
from reassure.domains.scenario_records.lookup import find_scenario


def list_legal(scenario: str, *, db: Session) -> list[LegalRead]:
    """Return a scenario's SOFAs, MoUs and ROE profiles by nation and kind."""
    s = find_scenario(scenario, db=db)
    rows = db.scalars(select(LegalInstrument)
                      .where(LegalInstrument.scenario_id == s.id,
                             first_per_key(db, LegalInstrument, "scenario_id", "key"))
                      .order_by(LegalInstrument.nation_code, LegalInstrument.kind, LegalInstrument.key))
    return [LegalRead(scenario=s.name, key=lg.key, nation=lg.nation_code, host=lg.host_code, kind=lg.kind,
                      status=lg.status, signed_on=lg.signed_on, in_force_from=lg.in_force_from,
                      in_force_to=lg.in_force_to, terms=lg.terms, standing=lg.standing,
                      grade=str(lg.grade) if lg.grade else None, sources=[src.key for src in lg.sources],
                      marking=str(lg.releasability), renew_by=lg.renew_by, renewal=lg.renewal) for lg in rows]

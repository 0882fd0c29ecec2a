"""Read pledges (only those released to the session's viewer)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import Row, Select, select
from sqlalchemy.orm import Session, selectinload

from reassure.core.errors import InputError, NotFound
from reassure.core.grading import GradeError, parse_grade
from reassure.core.markings import Releasability, most_restrictive
from reassure.core.quantities import Estimate
from reassure.db.keys import first_of, first_per_key
from reassure.db.paging import paged_rows
from reassure.domains.nations.models import Nation
from reassure.domains.planning.problem import PledgeStanding, estimates_and_standings
from reassure.domains.pledges.models import Pledge
from reassure.domains.pledges.schemas import PledgeHistory, PledgeRead, StatusStepRead
from reassure.domains.scenario_records.lookup import find_scenario
from reassure.domains.scenario_records.models import Scenario


def _query(*, db: Session, scenario: str | None, nation: str | None, domain: str | None, standing: str | None,
           status: str | None, min_grade: str | None) -> Select[Pledge, str, str]:
    query = (select(Pledge, Scenario.name, Nation.name).join(Scenario, Pledge.scenario_id == Scenario.id)
             .join(Nation, Pledge.nation_code == Nation.code)
             .options(selectinload(Pledge.sources), selectinload(Pledge.history))
             .where(first_per_key(db, Scenario, "name"), first_per_key(db, Pledge, "scenario_id", "key"))
             .order_by(Scenario.name, Scenario.id, Pledge.nation_code, Pledge.key, Pledge.id))  # ties: one order
    if scenario:
        query = query.where(Scenario.name == scenario)
    if nation:
        query = query.where(Pledge.nation_code == nation.upper())
    if domain:
        query = query.where(Pledge.domain == domain)
    if standing:
        query = query.where(Pledge.standing == standing)
    if status:
        query = query.where(Pledge.status == status)
    if min_grade:
        try:
            grade = parse_grade(min_grade)
        except GradeError as error:
            raise InputError(str(error)) from None
        query = query.where(Pledge.reliability.is_not(None), Pledge.reliability <= grade.reliability,
                            Pledge.credibility <= grade.credibility)
    return query


def _reads(rows: Sequence[Row[Pledge, str, str]], *, db: Session) -> list[PledgeRead]:
    estimates: dict[int, Estimate] = {}
    standings: dict[int, PledgeStanding] = {}
    for sid in {p.scenario_id for p, _, _ in rows}:
        assumptions = db.scalar(select(Scenario.assumptions).where(Scenario.id == sid)) or {}
        mine = [p for p, _, _ in rows if p.scenario_id == sid]
        found, checked = estimates_and_standings(mine, assumptions, db=db)
        estimates.update({p.id: found[p.key][0] for p in mine})
        standings.update({p.id: checked[p.key] for p in mine})
    return [_read(p, s, n, estimates[p.id], standings[p.id]) for p, s, n in rows]


def list_pledges(*, db: Session, scenario: str | None = None, nation: str | None = None,
                 domain: str | None = None, standing: str | None = None, status: str | None = None,
                 min_grade: str | None = None) -> list[PledgeRead]:
    """Return pledges ordered by scenario, nation and key, optionally filtered (`min_grade` B3 keeps graded pledges
    whose source is at least as reliable as B and whose information at least as credible as 3). One pledge per key
    of the scenario the viewer sees under each name (db/keys.py)."""
    query = _query(db=db, scenario=scenario, nation=nation, domain=domain, standing=standing, status=status,
                   min_grade=min_grade)
    return _reads(list(db.execute(query)), db=db)


def page_pledges(*, db: Session, scenario: str | None = None, nation: str | None = None, domain: str | None = None,
                 standing: str | None = None, status: str | None = None, min_grade: str | None = None,
                 limit: int = 100, offset: int = 0) -> tuple[list[PledgeRead], int]:
    """Return one page of the pledges list_pledges lists (same filters, same order) and how many there are."""
    query = _query(db=db, scenario=scenario, nation=nation, domain=domain, standing=standing, status=status,
                   min_grade=min_grade)
    rows, total = paged_rows(db, query, limit=limit, offset=offset)
    return _reads(rows, db=db), total


def find_pledge(scenario: str, key: str, *, db: Session) -> Pledge:
    """Return a visible pledge of a visible scenario (the one db/keys keeps if seen under two markings), or NotFound."""
    s = find_scenario(scenario, db=db)
    found = list(db.scalars(select(Pledge).where(Pledge.scenario_id == s.id, Pledge.key == key)))
    if not found:
        raise NotFound(f"no pledge {key!r} in scenario {scenario!r}")
    return first_of(found, db=db)


def pledge_history(scenario: str, key: str, *, db: Session) -> PledgeHistory:
    """Return a pledge's status and dated lifecycle (announced → offered → confirmed → deployed → withdrawn)."""
    p = find_pledge(scenario, key, db=db)
    return PledgeHistory(scenario=scenario, key=p.key, status=p.status, marking=str(p.releasability), version=p.version,
                         steps=[StatusStepRead(status=h.status, on_date=h.on_date) for h in p.history])


def _read(p: Pledge, scenario: str, nation_name: str, estimate: Estimate, standing: PledgeStanding) -> PledgeRead:
    grade = p.grade
    return PledgeRead(
        scenario=scenario, key=p.key, nation=p.nation_code, nation_name=nation_name, domain=p.domain,
        capability=p.capability, quantity=str(p.quantity), planned_units=estimate.planned,
        planned_basis=estimate.basis, planned_note=estimate.note,
        personnel_per_unit=p.personnel_per_unit, where=list(p.locations), available_from=p.available_from,
        available_to=p.available_to, max_tour=p.max_tour, min_dwell=p.min_dwell,
        caveats=[c["text"] for c in p.caveats], conditions=list(p.conditions), status=p.status,
        probability=p.probability, standing=p.standing, grade=str(grade) if grade else None,
        sources=[s.key for s in p.sources],
        # what the row shows rests on the pledge and on the verifications its standing rests on (docs/adr/0042)
        marking=str(most_restrictive(p.releasability, *(Releasability.from_column(m) for m in standing.rests_on))),
        notes=p.notes,
        verification=standing.text, readiness=standing.readiness_text,
        as_of=pledge_as_of(p), valid_to=p.valid_to, renew_by=p.renew_by, renewal=p.renewal, version=p.version,
    )


def pledge_as_of(p: Pledge) -> date | None:
    """Return the day a pledge was last known true: its own as-of date, else its newest status step or source date."""
    if p.as_of is not None:
        return p.as_of
    return max([*(h.on_date for h in p.history), *(s.published for s in p.sources if s.published)], default=None)


def get_pledge(scenario: str, key: str, *, db: Session) -> PledgeRead:
    """Return one visible pledge of a visible scenario as `list_pledges` reads it, or NotFound (hidden and absent look
    the same)."""
    found = next((p for p in list_pledges(db=db, scenario=scenario) if p.key == key), None)
    if found is None:
        raise NotFound(f"no pledge {key!r} in scenario {scenario!r}")
    return found

"""Sources with the grade-independence check (issue 26 item 8, docs/adr/0045): for each source, the graded items
that cite it and the reader sees (claims, pledges, incident reports, movement records) are checked for a credibility
that follows the reliability letter (core/grade_independence); the sources listing (CLI, API, web) and the brief's
source list flag such a source. Computed on read from what the reader sees, never stored."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from reassure.core.grade_independence import check_grades
from reassure.domains.incidents.models import Incident, IncidentReport
from reassure.domains.movement.models import MovementRestriction
from reassure.domains.pledges.models import Pledge, pledge_sources
from reassure.domains.sources.models import Claim, Source, claim_sources
from reassure.domains.sources.schemas import SourceRead
from reassure.domains.sources.service import list_sources, page_sources


class CheckedSource(SourceRead):
    """A source as listed, with how many graded items cite it and, when flagged, why its grades look judged
    together (None: not flagged, or fewer items than the check needs)."""

    graded: int = 0
    grade_flag: str | None = None


def _pairs(db: Session, keys: list[str]) -> dict[str, list[tuple[str, int]]]:
    queries: list[Select[str, str | None, int | None]] = [
        select(Source.key, Claim.reliability, Claim.credibility).join(
            claim_sources, claim_sources.c.source_id == Source.id).join(Claim, Claim.id == claim_sources.c.claim_id),
        select(Source.key, Pledge.reliability, Pledge.credibility).join(
            pledge_sources, pledge_sources.c.source_id == Source.id).join(
            Pledge, Pledge.id == pledge_sources.c.pledge_id),
        # a report counts with its incident only: one whose incident the reader cannot see is shown nowhere
        select(Source.key, IncidentReport.reliability, IncidentReport.credibility).join(
            IncidentReport, IncidentReport.source_id == Source.id).join(
            Incident, Incident.id == IncidentReport.incident_id),
        select(Source.key, MovementRestriction.reliability, MovementRestriction.credibility).join(
            MovementRestriction, MovementRestriction.source_id == Source.id),
    ]
    found: dict[str, list[tuple[str, int]]] = defaultdict(list)
    for query in queries:
        for key, reliability, credibility in db.execute(query.where(Source.key.in_(keys))):
            if reliability is not None and credibility is not None:
                found[key].append((reliability, credibility))
    return found


def _checked(db: Session, sources: list[SourceRead]) -> list[CheckedSource]:
    pairs = _pairs(db, [s.id for s in sources])
    out = []
    for s in sources:
        check = check_grades(pairs.get(s.id, []))
        out.append(CheckedSource(**s.model_dump(), graded=check.items, grade_flag=check.flag))
    return out


def checked_sources(*, db: Session) -> list[CheckedSource]:
    """Return the sources list_sources lists, each with the grade-independence check over what the reader sees."""
    return _checked(db, list_sources(db=db))


def page_checked_sources(*, db: Session, limit: int = 100, offset: int = 0) -> tuple[list[CheckedSource], int]:
    """Return one page of checked_sources (page_sources' order and total)."""
    found, total = page_sources(db=db, limit=limit, offset=offset)
    return _checked(db, found), total

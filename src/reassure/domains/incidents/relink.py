"""Move a report to another incident, or to a new one, and pin it there so re-imports respect it (docs/adr/0017).

`relink_report` is an audited action (re-exported by domains/incidents/actions.py): it checks the analyst role,
moves every revision of the report the analyst may write, and stores an IncidentLink that ingestion follows.
"""

from __future__ import annotations

from datetime import UTC, datetime

from pydantic import BaseModel
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from reassure.core.errors import Denial, Forbidden, InputError, NotFound, Problem
from reassure.core.identity import Role
from reassure.core.markings import PUBLIC, Releasability
from reassure.db.access import identity_of
from reassure.domains.audit.actions import record
from reassure.domains.incidents.models import Incident, IncidentLink, IncidentReport
from reassure.domains.incidents.service import IncidentNotFound
from reassure.domains.sources.models import Source


class ReportNotFound(NotFound):
    """No report with that id is visible to the analyst (hidden and absent alike)."""


class RelinkResult(BaseModel):
    """What a relink did: the report, the incident it left and the one it is now pinned to."""

    report: str
    before: list[str]
    after: str
    moved: int  # reports (revisions) moved; 0 when the report was already there (the pin is still stored)
    created: bool  # a new incident was made for it


def _parse(report: str) -> tuple[str, str]:
    source, sep, ref = report.partition(":")
    if not sep or not source or not ref:
        raise InputError([Problem("", "", "REPORT", f"expected SOURCE:REFERENCE as `reassure incidents --key KEY` "
                                  f"shows it (e.g. seed-000:report.txt), got {report[:80]!r}")])
    return source, ref


def relink_report(report: str, *, db: Session, to: str | None = None, new: bool = False) -> RelinkResult:
    """Move the report `report` (SOURCE:REFERENCE) to the incident `to` (a key) or, with `new`, to a new incident
    of its own window; pin it there so ingestion respects the correction. Needs the analyst role."""
    identity = identity_of(db)
    try:
        identity.require(Role.ANALYST, "relink reports")
    except Forbidden as error:
        error.denials = [Denial(action="incidents.relink", entity="IncidentReport", key=report[:200],
                                rel_to=Releasability.to(identity.nation).to_column(),
                                details={"reason": error.message})]
        raise
    if new == (to is not None):
        raise InputError([Problem("", "", "--to/--new", "give either --to INCIDENT or --new")])
    source_key, ref = _parse(report)
    rows = [r for r in db.scalars(select(IncidentReport).join(Source, IncidentReport.source_id == Source.id)
                                  .where(Source.key == source_key, IncidentReport.external_ref == ref)
                                  .order_by(IncidentReport.revision, IncidentReport.id))
            if identity.may_mark(r.releasability)]
    if not rows:
        raise ReportNotFound(f"no report {report[:120]!r} that you may change")
    markings = sorted({r.rel_to for r in rows})
    if len(markings) > 1:
        raise InputError([Problem("", "", "REPORT", f"{report[:80]!r} is stored under {len(markings)} markings: "
                                  "relink each copy from a session of the nation that wrote it")])
    rel_to = markings[0]
    old = [db.get(Incident, i) for i in dict.fromkeys(r.incident_id for r in rows)]
    before = sorted({i.key for i in old if i is not None})
    created = False
    if new:
        first = rows[0]
        template = old[0]
        target = Incident(key=_fresh_key(db, template.kind if template else "air_attack", first, rel_to),
                          kind=template.kind if template else "air_attack", start=first.window_start,
                          end=first.window_end, timed=first.timed, region=template.region if template else None,
                          attacker=template.attacker if template else None,
                          defender=template.defender if template else None,
                          description=(template.description if template else "") or "Air attack", rel_to=rel_to)
        db.add(target)
        db.flush()
        created = True
    else:
        copies = list(db.scalars(select(Incident).where(Incident.key == to)))
        if not copies:
            raise IncidentNotFound(f"no incident {to!r}")
        target = next((c for c in copies if c.rel_to == rel_to), None) or next(
            (c for c in copies if c.rel_to == PUBLIC), None)  # type: ignore[assignment]
        if target is None:
            raise InputError([Problem("", "", "--to", f"incident {to!r} is released more narrowly than the report "
                                      f"({Releasability.from_column(rel_to)}): some of its readers could not see "
                                      "the report there")])
        if old and old[0] is not None and target.kind != old[0].kind:
            raise InputError([Problem("", "", "--to", f"incident {to!r} is a {target.kind}, the report is about "
                                      f"a {old[0].kind}")])
    moving = [r for r in rows if r.incident_id != target.id]
    if moving:
        base = db.scalar(select(func.max(IncidentReport.revision)).where(
            IncidentReport.incident_id == target.id, IncidentReport.source_id == rows[0].source_id)) or 0
        for n, r in enumerate(moving, start=1):
            r.incident_id = target.id
            r.revision = base + n
            for region in r.regions:  # the regions a report names go with it
                region.incident_id = target.id
        db.flush()
    link = db.scalar(select(IncidentLink).where(IncidentLink.source_id == rows[0].source_id,
                                                IncidentLink.external_ref == ref, IncidentLink.rel_to == rel_to))
    if link is None:
        db.add(IncidentLink(source_id=rows[0].source_id, external_ref=ref, incident_id=target.id,
                            pinned_by=identity.user, pinned_at=datetime.now(UTC).replace(tzinfo=None), rel_to=rel_to))
    else:
        link.incident_id, link.pinned_by = target.id, identity.user
        link.pinned_at = datetime.now(UTC).replace(tzinfo=None)
    db.flush()
    for incident in old:
        _drop_if_empty(db, incident)
    record(db, action="incidents.relink", entity="IncidentReport", key=report[:200], rel_to=rel_to,
           before={"incidents": before}, after={"incident": target.key, "pinned": True, "new": created},
           details={"reports_moved": len(moving)})
    return RelinkResult(report=report, before=before, after=target.key, moved=len(moving), created=created)


def _drop_if_empty(db: Session, incident: Incident | None) -> None:
    """Delete an incident left without reports, unless it is PUBLIC (it may hold reports hidden from this analyst:
    it stays, showing no figures to those who see none of them)."""
    if incident is None or incident.rel_to == PUBLIC:
        return
    left = db.scalar(select(func.count(IncidentReport.id)).where(IncidentReport.incident_id == incident.id))
    if not left:  # not PUBLIC: its reports are all marked like it, so this analyst sees every one of them
        db.delete(incident)
        db.flush()


def _fresh_key(db: Session, kind: str, report: IncidentReport, rel_to: str) -> str:
    """Return a key for a new incident made for a report: kind, date and the report's digest, suffixed if taken."""
    base = f"{kind}:{report.window_start:%Y-%m-%d}:{report.digest[:10]}"
    taken = set(db.scalars(select(Incident.key).where(Incident.key.like(f"{base}%"), Incident.rel_to == rel_to)))
    key, n = base, 1
    while key in taken:
        n += 1
        key = f"{base}~{n}"
    return key

"""Read incidents (only what is released to the session's viewer) and build the indicators' incident frame."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any, TypeVar

from sqlalchemy import Select, select
from sqlalchemy.orm import Session, selectinload

from reassure.core.grading import AdmiraltyGrade
from reassure.domains.incidents.models import Incident, IncidentReport, WeaponCount
from reassure.domains.incidents.schemas import Figure, IncidentDetail, IncidentRead, ReportRead, WeaponRead
from reassure.monitoring.report import COUNT_FIELDS

if TYPE_CHECKING:
    import polars as pl


class IncidentNotFound(LookupError):
    """No incident with that key is visible to the viewer."""


_EPOCH = datetime(1970, 1, 1)
_Q = TypeVar("_Q", bound=Select[*tuple[Any, ...]])


def preference(reliability: str | None, credibility: int | None, revision: int, reported_at: datetime | None,
               report_id: int) -> tuple[Any, ...]:
    """Return a sort key putting the preferred report first: best grade, then latest revision, then newest.

    The best grade is the best source reliability (A before B), then the best credibility (1 before 2).
    """
    age = -((reported_at or _EPOCH) - _EPOCH).total_seconds()
    return (reliability or "Z", credibility or 9, -revision, age, -report_id)


def _since(day: date | datetime | None) -> datetime | None:
    return day if isinstance(day, datetime) or day is None else datetime.combine(day, time(0))


def _until(day: date | datetime | None) -> datetime | None:
    """Return the exclusive end: a date means through the end of that day."""
    return day if isinstance(day, datetime) or day is None else datetime.combine(day, time(0)) + timedelta(days=1)


def _filtered(query: _Q, *, kind: str | None, start: date | datetime | None, end: date | datetime | None,
              region: str | None = None) -> _Q:
    if kind:
        query = query.where(Incident.kind == kind)
    if (since := _since(start)) is not None:
        query = query.where(Incident.start >= since)
    if (until := _until(end)) is not None:
        query = query.where(Incident.start < until)
    if region:
        query = query.where(Incident.region == region)
    return query


def _preferred_reports(reports: Iterable[Any]) -> dict[int, Any]:
    """Return the preferred report of each incident from rows with incident_id and the preference fields."""
    best: dict[int, Any] = {}
    for r in reports:
        current = best.get(r.incident_id)
        if current is None or preference(r.reliability, r.credibility, r.revision, r.reported_at, r.id) < preference(
                current.reliability, current.credibility, current.revision, current.reported_at, current.id):
            best[r.incident_id] = r
    return best


def incident_frame(*, db: Session, kind: str | None = None, start: date | datetime | None = None,
                   end: date | datetime | None = None, region: str | None = None) -> pl.DataFrame:
    """Return the visible incidents as INCIDENT_SCHEMA rows: the preferred report's weapon lines per incident.

    An incident whose preferred report lists no weapons gives one row with null category and counts. Its
    fatalities sit on the first row only, so that summing over weapon lines counts them once.
    """
    import polars as pl  # loaded here so that commands that only list incidents start fast

    from reassure.monitoring.frame import COUNT_COLUMNS, INCIDENT_SCHEMA, validate_incident_frame

    incidents = db.execute(_filtered(select(Incident.id, Incident.key, Incident.kind, Incident.start, Incident.end,
                                            Incident.region).order_by(Incident.start, Incident.id),
                                     kind=kind, start=start, end=end, region=region)).all()
    report_rows = db.execute(_filtered(
        select(IncidentReport.id, IncidentReport.incident_id, IncidentReport.source_id, IncidentReport.revision,
               IncidentReport.reported_at, IncidentReport.reliability, IncidentReport.credibility,
               IncidentReport.fatalities_best).join(Incident, IncidentReport.incident_id == Incident.id),
        kind=kind, start=start, end=end, region=region)).all()
    sources: dict[int, set[str]] = defaultdict(set)
    for r in report_rows:
        sources[r.incident_id].add(r.source_id)
    preferred = _preferred_reports(report_rows)
    wanted = {r.id for r in preferred.values()}
    lines: dict[int, list[Any]] = defaultdict(list)
    weapon_query = _filtered(
        select(WeaponCount.report_id, WeaponCount.category, WeaponCount.model,
               *(getattr(WeaponCount, c) for c in COUNT_COLUMNS))
        .join(IncidentReport, WeaponCount.report_id == IncidentReport.id)
        .join(Incident, IncidentReport.incident_id == Incident.id)
        .order_by(WeaponCount.report_id, WeaponCount.position),
        kind=kind, start=start, end=end, region=region)
    for w in db.execute(weapon_query):
        if w.report_id in wanted:
            lines[w.report_id].append(w)
    rows: list[dict[str, Any]] = []
    for inc in incidents:
        report = preferred.get(inc.id)
        if report is None:
            continue  # no report visible to this viewer: nothing to count
        base = {"incident_id": inc.key, "kind": inc.kind, "start": inc.start, "end": inc.end, "region": inc.region,
                "reliability": report.reliability or "F", "credibility": report.credibility or 6,
                "sources": sorted(sources[inc.id])}
        weapons = lines.get(report.id) or [None]
        for i, w in enumerate(weapons):
            row = dict(base, fatalities=report.fatalities_best if i == 0 else None,
                       category=w.category if w else None, model=w.model if w else None)
            row.update({c: getattr(w, c) if w else None for c in COUNT_COLUMNS})
            rows.append(row)
    return validate_incident_frame(pl.DataFrame(rows, schema=INCIDENT_SCHEMA, orient="row")
                                   if rows else pl.DataFrame(schema=INCIDENT_SCHEMA))


def list_incidents(*, db: Session, kind: str | None = None, start: date | datetime | None = None,
                   end: date | datetime | None = None, region: str | None = None,
                   limit: int | None = None) -> list[IncidentRead]:
    """Return visible incidents, newest first, with their preferred report's figures and their sources."""
    query = _filtered(select(Incident).order_by(Incident.start.desc(), Incident.id.desc()), kind=kind, start=start,
                      end=end, region=region)
    query = query.options(selectinload(Incident.reports).selectinload(IncidentReport.weapons))
    if limit:
        query = query.limit(limit)
    return [_read(incident) for incident in db.scalars(query)]


def get_incident(key: str, *, db: Session) -> IncidentDetail:
    """Return one incident with every visible report side by side, or raise IncidentNotFound."""
    incident = db.scalar(select(Incident).where(Incident.key == key).options(
        selectinload(Incident.reports).selectinload(IncidentReport.weapons),
        selectinload(Incident.reports).selectinload(IncidentReport.source)))
    if incident is None:
        raise IncidentNotFound(f"no incident {key!r} is visible to you")
    summary = _read(incident)
    top = _preferred(incident.reports)
    accounts = [_report(r, preferred=r is top) for r in sorted(
        incident.reports, key=lambda r: preference(r.reliability, r.credibility, r.revision, r.reported_at, r.id))]
    return IncidentDetail(**summary.model_dump(), accounts=accounts)


def _preferred(reports: list[IncidentReport]) -> IncidentReport | None:
    return min(reports, key=lambda r: preference(r.reliability, r.credibility, r.revision, r.reported_at, r.id),
               default=None)


def _total(weapons: list[WeaponCount], column: str) -> int | None:
    values = [getattr(w, column) for w in weapons if getattr(w, column) is not None]
    return sum(values) if values else None


def _read(incident: Incident) -> IncidentRead:
    top = _preferred(incident.reports)
    sources = sorted({r.source_id for r in incident.reports})
    weapons = top.weapons if top else []
    grade = top.grade if top else None
    corroborated = len(sources) >= 2
    standing = "verified" if corroborated else (top.standing if top else "unconfirmed")
    return IncidentRead(
        key=incident.key, kind=incident.kind, start=incident.start, end=incident.end, timed=incident.timed,
        region=incident.region, latitude=incident.latitude, longitude=incident.longitude,
        attacker=incident.attacker, defender=incident.defender, description=incident.description,
        sources=sources, reports=len(incident.reports), corroborated=corroborated, standing=standing,
        grade=str(grade) if grade else None, launched=_total(weapons, "launched"),
        destroyed=_total(weapons, "destroyed"), suppressed=_total(weapons, "suppressed"),
        neutralized=_total(weapons, "neutralized"), fatalities=top.fatalities_best if top else None,
        marking=str(incident.releasability))


def _figure(w: WeaponCount, name: str) -> Figure | None:
    value, qualifier = getattr(w, name), getattr(w, f"{name}_q")
    return None if value is None else Figure(value=value, qualifier=qualifier or "exact")


def _report(r: IncidentReport, *, preferred: bool) -> ReportRead:
    grade: AdmiraltyGrade | None = r.grade
    weapons = [WeaponRead(category=w.category, model=w.model, external_ref=w.external_ref,
                          **{name: _figure(w, name) for name in COUNT_FIELDS}) for w in r.weapons]
    return ReportRead(
        source=r.source_id, publisher=r.source.publisher, revision=r.revision, preferred=preferred,
        reported_at=r.reported_at, reported_by=r.reported_by, window_start=r.window_start, window_end=r.window_end,
        external_ref=r.external_ref, standing=r.standing, grade=str(grade) if grade else None,
        grade_meaning=grade.meaning if grade else None, fatalities_best=r.fatalities_best,
        fatalities_low=r.fatalities_low, fatalities_high=r.fatalities_high, weapons=weapons, raw_text=r.raw_text,
        marking=str(r.releasability))

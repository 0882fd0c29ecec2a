"""Read incidents (only what is released to the session's viewer) and build the indicators' incident frame."""

from __future__ import annotations

import threading
from collections import OrderedDict, defaultdict
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any, TypeVar

from sqlalchemy import Select, desc, func, or_, select
from sqlalchemy.orm import Session, selectinload

from reassure.core.errors import NotFound
from reassure.core.grading import AdmiraltyGrade
from reassure.core.markings import Releasability, most_restrictive
from reassure.core.regions import region_code, region_label
from reassure.db.access import identity_of
from reassure.db.paging import paged_rows
from reassure.domains.incidents.models import (
    Incident,
    IncidentLink,
    IncidentRegion,
    IncidentReport,
    IncidentReview,
    WeaponCount,
)
from reassure.domains.incidents.schemas import (
    Figure,
    FigureComparison,
    IncidentDetail,
    IncidentRead,
    RegionRead,
    ReportRead,
    ReviewRead,
    StatedFigure,
    WeaponRead,
)
from reassure.domains.sources.models import Source
from reassure.monitoring.report import COUNT_FIELDS, Count, WeaponCounts
from reassure.monitoring.standing import TOLERANCE, SourceFigures, StandingResult, incident_standing

if TYPE_CHECKING:
    import polars as pl


class IncidentNotFound(NotFound):
    """No incident with that key is visible to the viewer (hidden and absent alike)."""


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
        # Any spelling or code; a value that is no region matches nothing. The regions are the visible reports'
        # (the access filter applies to the subquery too), so a hidden report never brings an incident in.
        code = region_code(region) or region
        query = query.where(Incident.id.in_(select(IncidentRegion.incident_id).where(IncidentRegion.code == code)))
    return query


def _preferred_reports(reports: Iterable[Any], canon: dict[int, int]) -> dict[int, Any]:
    """Return the preferred report of each (merged) incident from rows with incident_id and the preference fields."""
    best: dict[int, Any] = {}
    for r in reports:
        incident = canon[r.incident_id]
        current = best.get(incident)
        if current is None or preference(r.reliability, r.credibility, r.revision, r.reported_at, r.id) < preference(
                current.reliability, current.credibility, current.revision, current.reported_at, current.id):
            best[incident] = r
    return best


def _merge_by_key(incidents: Iterable[Any]) -> tuple[list[Any], dict[int, int]]:
    """Return one incident per key and each incident id's representative.

    The same key stored under several markings (a feed ingested by one nation under its marking and by another
    publicly, docs/adr/0007) is one incident to a viewer who sees both: its reports are pooled, never counted twice.
    """
    first: dict[str, Any] = {}
    canon: dict[int, int] = {}
    for inc in incidents:
        kept = first.setdefault(inc.key, inc)
        canon[inc.id] = kept.id
    return list(first.values()), canon


_FRAMES: OrderedDict[tuple[Any, ...], pl.DataFrame] = OrderedDict()
_FRAMES_LOCK = threading.Lock()
FRAME_CACHE = 16  # frames kept: per database, viewer nation, filters and state of the incidents


def incidents_version(*, db: Session) -> tuple[Any, ...]:
    """Return a fingerprint of the incidents and reports the viewer sees; any import, revision, removal or relink
    changes it (a relink may keep every count, id and revision: the sum of the reports' incident ids moves, and the
    pins' newest time changes, docs/adr/0021)."""
    incidents = db.execute(select(func.count(Incident.id), func.max(Incident.id), func.max(Incident.end))).one()
    reports = db.execute(select(func.count(IncidentReport.id), func.max(IncidentReport.id),
                                func.sum(IncidentReport.revision), func.sum(IncidentReport.incident_id))).one()
    links = db.execute(select(func.count(IncidentLink.id), func.max(IncidentLink.pinned_at))).one()
    return (*incidents, *reports, *links)


def incident_frame(*, db: Session, kind: str | None = None, start: date | datetime | None = None,
                   end: date | datetime | None = None, region: str | None = None) -> pl.DataFrame:
    """Return the visible incidents as INCIDENT_SCHEMA rows (see `_incident_frame`), from a small cache keyed by the
    database, the nations the viewer reads for (two in a preview) and whether PUBLIC only, the filters and the
    version of what the viewer sees: a frame is only ever reused for the same visible data."""
    bind = db.get_bind()
    url = str(bind.engine.url)
    identity = identity_of(db)
    key = (url, identity.readers, identity.public_only, kind, start, end, region, incidents_version(db=db))
    with _FRAMES_LOCK:
        if key in _FRAMES:
            _FRAMES.move_to_end(key)
            return _FRAMES[key]
    frame = _incident_frame(db=db, kind=kind, start=start, end=end, region=region)
    with _FRAMES_LOCK:
        _FRAMES[key] = frame
        while len(_FRAMES) > FRAME_CACHE:
            _FRAMES.popitem(last=False)
    return frame


def _incident_frame(*, db: Session, kind: str | None = None, start: date | datetime | None = None,
                    end: date | datetime | None = None, region: str | None = None) -> pl.DataFrame:
    """Return the visible incidents as INCIDENT_SCHEMA rows: the preferred report's weapon lines per incident.

    An incident whose preferred report lists no weapons gives one row with null category and counts. Its
    fatalities sit on the first row only, so that summing over weapon lines counts them once.
    """
    import polars as pl  # loaded here so that commands that only list incidents start fast

    from reassure.monitoring.indicators.frame import COUNT_COLUMNS, FULL_SCHEMA, validate_incident_frame

    incidents = db.execute(_filtered(select(Incident.id, Incident.key, Incident.kind, Incident.start, Incident.end,
                                            Incident.region, Incident.event_type)
                                     .order_by(Incident.start, Incident.id),
                                     kind=kind, start=start, end=end, region=region)).all()
    incidents, canon = _merge_by_key(incidents)
    report_rows = db.execute(_filtered(
        select(IncidentReport.id, IncidentReport.incident_id, Source.key.label("source_key"), IncidentReport.revision,
               IncidentReport.reported_at, IncidentReport.reliability, IncidentReport.credibility,
               IncidentReport.fatalities_best).join(Incident, IncidentReport.incident_id == Incident.id)
        .join(Source, IncidentReport.source_id == Source.id),
        kind=kind, start=start, end=end, region=region)).all()
    report_rows = [r for r in report_rows if r.incident_id in canon]
    sources: dict[int, set[str]] = defaultdict(set)
    for r in report_rows:
        sources[canon[r.incident_id]].add(r.source_key)
    preferred = _preferred_reports(report_rows, canon)
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
    codes: dict[int, set[str]] = defaultdict(set)
    for place in db.execute(_filtered(select(IncidentRegion.incident_id, IncidentRegion.code)
                                      .join(Incident, IncidentRegion.incident_id == Incident.id),
                                      kind=kind, start=start, end=end, region=region)):
        if place.incident_id in canon:
            codes[canon[place.incident_id]].add(place.code)
    rows: list[dict[str, Any]] = []
    for inc in incidents:
        report = preferred.get(inc.id)
        if report is None:
            continue  # no report visible to this viewer: nothing to count
        base = {"incident_id": inc.key, "kind": inc.kind, "start": inc.start, "end": inc.end, "region": inc.region,
                "regions": sorted(codes[inc.id]), "event_type": inc.event_type,
                "reliability": report.reliability or "F", "credibility": report.credibility or 6,
                "sources": sorted(sources[inc.id])}
        weapons = lines.get(report.id) or [None]
        for i, w in enumerate(weapons):
            row = dict(base, fatalities=report.fatalities_best if i == 0 else None,
                       category=w.category if w else None, model=w.model if w else None)
            row.update({c: getattr(w, c) if w else None for c in COUNT_COLUMNS})
            rows.append(row)
    return validate_incident_frame(pl.DataFrame(rows, schema=FULL_SCHEMA, orient="row")
                                   if rows else pl.DataFrame(schema=FULL_SCHEMA))


def list_incidents(*, db: Session, kind: str | None = None, start: date | datetime | None = None,
                   end: date | datetime | None = None, region: str | None = None,
                   limit: int | None = None) -> list[IncidentRead]:
    """Return visible incidents, newest first, with their preferred report's figures and their sources."""
    query = _filtered(select(Incident).order_by(Incident.start.desc(), Incident.id.desc()), kind=kind, start=start,
                      end=end, region=region)
    query = query.options(selectinload(Incident.reports).selectinload(IncidentReport.weapons),
                          selectinload(Incident.reports).selectinload(IncidentReport.source),
        selectinload(Incident.reports).selectinload(IncidentReport.regions))
    if limit:
        query = query.limit(limit * 4)  # room for copies of one key under several markings, merged below
    groups: dict[str, list[Incident]] = {}
    for incident in db.scalars(query):
        groups.setdefault(incident.key, []).append(incident)
        if limit and len(groups) > limit:
            groups.pop(incident.key)
            break
    return [_read(group) for group in groups.values()]


STANDINGS = ("verified", "conflicting", "unconfirmed")


def _searched(query: _Q, *, source: str | None, text: str | None) -> _Q:
    """Narrow a select of incidents to those a visible report of `source` (its key) tells of, and to those whose
    place (region as written, or a region it names), summary or key holds `text` (any case)."""
    if source:
        query = query.where(Incident.id.in_(select(IncidentReport.incident_id).join(
            Source, IncidentReport.source_id == Source.id).where(Source.key == source)))
    words = " ".join((text or "").split()).lower()
    if words:
        pattern = "%" + words.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        found = [func.lower(column).like(pattern, escape="\\")
                 for column in (Incident.region, Incident.description, Incident.key)]
        if (code := region_code(words)) is not None:
            found.append(Incident.id.in_(select(IncidentRegion.incident_id).where(IncidentRegion.code == code)))
        query = query.where(or_(*found))
    return query


def page_incidents(*, db: Session, kind: str | None = None, start: date | datetime | None = None,
                   end: date | datetime | None = None, region: str | None = None, source: str | None = None,
                   text: str | None = None, standing: str | None = None, limit: int = 50,
                   offset: int = 0) -> tuple[list[IncidentRead], int]:
    """Return one page of visible incidents, newest first, and how many there are in all (both counted over the
    incidents the viewer sees, one per key however many markings it is stored under); filtered by kind, start day,
    region, a source that tells of them, free text over their place and summary, and their standing."""
    keys = _searched(_filtered(select(Incident.key, func.max(Incident.start).label("latest"),
                                      func.max(Incident.id).label("last")).group_by(Incident.key),
                               kind=kind, start=start, end=end, region=region), source=source, text=text)
    if standing:
        keys = keys.where(_standing_clause(db, standing, kind=kind, start=start, end=end, region=region,
                                           source=source, text=text))
    rows, total = paged_rows(db, keys.order_by(desc("latest"), desc("last"), Incident.key), limit=limit, offset=offset)
    page = [r.key for r in rows]
    groups = _groups(db, page)
    return [_read(group) for group in groups.values() if group], total


def incident_sources(*, db: Session) -> list[str]:
    """Return the keys of the sources of the reports the reader sees, sorted (what the search offers)."""
    return sorted(set(db.scalars(select(Source.key).join(IncidentReport, IncidentReport.source_id == Source.id)
                                 .distinct())))


def _groups(db: Session, keys: list[str]) -> dict[str, list[Incident]]:
    """Return the visible copies of each incident key, with their reports loaded, in the keys' order."""
    groups: dict[str, list[Incident]] = {key: [] for key in keys}
    for chunk in range(0, len(keys), 500):
        query = select(Incident).where(Incident.key.in_(keys[chunk:chunk + 500])).order_by(Incident.id).options(
            selectinload(Incident.reports).selectinload(IncidentReport.weapons),
            selectinload(Incident.reports).selectinload(IncidentReport.source),
            selectinload(Incident.reports).selectinload(IncidentReport.regions))
        for incident in db.scalars(query):
            groups[incident.key].append(incident)
    return groups


def _standing_clause(db: Session, standing: str, **filters: Any) -> Any:
    """Return a condition on Incident.key keeping the incidents of `standing` as the reader sees them.

    An incident one source (or none) tells of the reader can only see unconfirmed; only those two or more sources
    tell of need their standing computed from the visible reports (monitoring/standing.py), and the page is then
    still cut by the database (docs/adr/0037)."""
    if standing not in STANDINGS:
        raise ValueError(f"unknown standing {standing!r}")
    search = {k: filters.pop(k) for k in ("source", "text")}
    several = _searched(_filtered(select(Incident.key).join(IncidentReport, IncidentReport.incident_id == Incident.id)
                                  .group_by(Incident.key)
                                  .having(func.count(func.distinct(IncidentReport.source_id)) >= 2), **filters),
                        **search)
    candidates = list(db.scalars(several))
    matched = [key for key, group in _groups(db, candidates).items() if group and _read(group).standing == standing]
    if standing == "unconfirmed":
        return or_(Incident.key.not_in(several), Incident.key.in_(matched))
    return Incident.key.in_(matched)


def get_incident(key: str, *, db: Session) -> IncidentDetail:
    """Return one incident with every visible report side by side, or raise IncidentNotFound."""
    group = list(db.scalars(select(Incident).where(Incident.key == key).order_by(Incident.id).options(
        selectinload(Incident.reports).selectinload(IncidentReport.weapons),
        selectinload(Incident.reports).selectinload(IncidentReport.source),
        selectinload(Incident.reports).selectinload(IncidentReport.regions))))
    if not group:
        raise IncidentNotFound(f"no incident {key!r}")
    summary = _read(group)
    reports = [r for incident in group for r in incident.reports]
    top = _preferred(reports)
    accounts = [_report(r, preferred=r is top) for r in sorted(
        reports, key=lambda r: preference(r.reliability, r.credibility, r.revision, r.reported_at, r.id))]
    return IncidentDetail(**summary.model_dump(), accounts=accounts, reviews=reviews_of(key, db=db))


def reviews_of(key: str, *, db: Session) -> list[ReviewRead]:
    """Return the analysts' reviews of an incident key the reader sees, oldest first."""
    rows = db.scalars(select(IncidentReview).where(IncidentReview.incident_key == key)
                      .order_by(IncidentReview.created_at, IncidentReview.id))
    return [review_read(r) for r in rows]


def review_read(review: IncidentReview) -> ReviewRead:
    """Return a stored review as readers see it (author, their nation, time and marking)."""
    return ReviewRead(standing=review.standing, text=review.text, author=review.author, nation=review.owner_nation,
                      at=review.created_at, marking=str(review.releasability))


def _preferred(reports: list[IncidentReport]) -> IncidentReport | None:
    return min(reports, key=lambda r: preference(r.reliability, r.credibility, r.revision, r.reported_at, r.id),
               default=None)


def _total(weapons: list[WeaponCount], column: str) -> int | None:
    values = [getattr(w, column) for w in weapons if getattr(w, column) is not None]
    return sum(values) if values else None


def _read(group: list[Incident]) -> IncidentRead:
    """Read one incident as the viewer sees it: the visible copies of its key pooled (see _merge_by_key)."""
    incident = group[0]
    reports = [r for copy in group for r in copy.reports]
    top = _preferred(reports)
    sources = sorted({r.source.key for r in reports})
    weapons = top.weapons if top else []
    grade = top.grade if top else None
    result = standing_of(reports)
    return IncidentRead(
        key=incident.key, kind=incident.kind, start=incident.start, end=incident.end, timed=incident.timed,
        region=incident.region, regions=_regions(r.code for report in reports for r in report.regions),
        event_type=incident.event_type, latitude=incident.latitude, longitude=incident.longitude,
        attacker=incident.attacker, defender=incident.defender, description=incident.description,
        sources=sources, reports=len(reports), corroborated=result.standing == "verified", standing=result.standing,
        standing_reason=result.reason, tolerance=TOLERANCE, figures=_comparisons(result),
        grade=str(grade) if grade else None, launched=_total(weapons, "launched"),
        destroyed=_total(weapons, "destroyed"), suppressed=_total(weapons, "suppressed"),
        neutralized=_total(weapons, "neutralized"), fatalities=top.fatalities_best if top else None,
        # the standing and figures derive from every visible report: marked no wider than the narrowest of them
        marking=str(most_restrictive(*(copy.releasability for copy in group), *(r.releasability for r in reports)))
        if len(group) == 1 else " + ".join(str(copy.releasability) for copy in group))


def standing_of(reports: list[IncidentReport]) -> StandingResult:
    """Return an incident's standing from the reports the reader sees (a hidden report counts as absent): each
    source's preferred report, best first, compared across independent publishers (monitoring/standing.py)."""
    per_source: dict[str, IncidentReport] = {}
    for r in sorted(reports, key=lambda r: preference(r.reliability, r.credibility, r.revision, r.reported_at, r.id)):
        per_source.setdefault(r.source.key, r)
    return incident_standing([SourceFigures(source=r.source.key, publisher=r.source.publisher,
                                            weapons=[_counts(w) for w in r.weapons], fatalities=r.fatalities_best)
                              for r in per_source.values()])


def _counts(w: WeaponCount) -> WeaponCounts:
    return WeaponCounts.model_validate({"category": w.category, **{
        name: Count(value=getattr(w, name), qualifier=getattr(w, f"{name}_q") or "exact")
        for name in COUNT_FIELDS if getattr(w, name) is not None}})


def _comparisons(result: StandingResult) -> list[FigureComparison]:
    return [FigureComparison(figure=c.figure, verdict=c.verdict, values=[
        StatedFigure(source=source, value=count.value, qualifier=count.qualifier,
                     shown=str(Figure(value=count.value, qualifier=count.qualifier)))
        for source, count in c.values]) for c in result.comparisons]


def report_id(source_key: str, external_ref: str) -> str:
    """Return the id users see for a source's report: its source key and its own reference ('seed-000:a.txt')."""
    return f"{source_key}:{external_ref}"


def _regions(codes: Iterable[str]) -> list[RegionRead]:
    return [RegionRead(code=code, label=region_label(code)) for code in sorted(set(codes))]


def _figure(w: WeaponCount, name: str) -> Figure | None:
    value, qualifier = getattr(w, name), getattr(w, f"{name}_q")
    return None if value is None else Figure(value=value, qualifier=qualifier or "exact")


def _report(r: IncidentReport, *, preferred: bool) -> ReportRead:
    grade: AdmiraltyGrade | None = r.grade
    weapons = [WeaponRead(category=w.category, model=w.model, external_ref=w.external_ref,
                          **{name: _figure(w, name) for name in COUNT_FIELDS}) for w in r.weapons]
    return ReportRead(
        id=report_id(r.source.key, r.external_ref), source=r.source.key, publisher=r.source.publisher,
        revision=r.revision, preferred=preferred,
        reported_at=r.reported_at, reported_by=r.reported_by, window_start=r.window_start, window_end=r.window_end,
        window_basis=r.window_basis,  # type: ignore[arg-type]  # the column holds only these values
        external_ref=r.external_ref, standing=r.standing, grade=str(grade) if grade else None,
        grade_meaning=grade.meaning if grade else None, fatalities_best=r.fatalities_best,
        fatalities_low=r.fatalities_low, fatalities_high=r.fatalities_high, weapons=weapons,
        regions=_regions(x.code for x in r.regions),
        region_count=None if r.region_count is None else Figure(value=r.region_count,
                                                                qualifier=r.region_count_q or "exact"),
        raw_text=r.raw_text,
        marking=str(r.releasability))


def attack_keys_on(day: date, *, db: Session, kind: str = "air_attack") -> list[str]:
    """Return the keys of the visible incidents of a kind dated `day`: whose window ends that day (a night is dated
    by the morning it is reported, docs/adr/0004), oldest first, one per key."""
    start, end = datetime.combine(day, time(0)), datetime.combine(day, time(0)) + timedelta(days=1)
    rows = db.execute(select(Incident.key).where(Incident.kind == kind, Incident.end >= start, Incident.end < end)
                      .order_by(Incident.start, Incident.id))
    return list(dict.fromkeys(key for (key,) in rows))


def latest_attack_day(*, db: Session, kind: str = "air_attack", min_sources: int = 2) -> date | None:
    """Return the day of the most recent visible attack with reports from at least `min_sources` sources the reader
    sees, else of the most recent visible attack (None when the reader sees none)."""
    counted = (select(Incident.end).join(IncidentReport, IncidentReport.incident_id == Incident.id)
               .where(Incident.kind == kind).group_by(Incident.id, Incident.end)
               .having(func.count(func.distinct(IncidentReport.source_id)) >= min_sources)
               .order_by(Incident.end.desc()).limit(1))
    found = db.scalar(counted)
    if found is None:
        found = db.scalar(select(func.max(Incident.end)).where(Incident.kind == kind))
    return found.date() if found is not None else None


def incidents_marking(*, db: Session) -> str:
    """Return the marking of a result computed over every incident the viewer sees: the most restrictive of them.

    A rule's state rests on all visible incidents, not only the evidence (an unmet state too), so it is released
    no more widely than the narrowest incident or report in the viewer's picture.
    """
    markings = set(db.scalars(select(Incident.rel_to).distinct())) | set(
        db.scalars(select(IncidentReport.rel_to).distinct()))
    return most_restrictive(*(Releasability.from_column(m) for m in markings)).to_column()


def region_counts(*, db: Session, kind: str | None = None, start: date | datetime | None = None,
                  end: date | datetime | None = None) -> dict[str, int]:
    """Return how many visible incidents (one per key) each region (ISO 3166-2:UA code) has, by the regions their
    visible reports name; an attack on several regions counts in each, incidents without a region are left out, and
    a region name that is no Ukrainian region is counted under that name."""
    counted = select(IncidentRegion.code, func.count(func.distinct(Incident.key))).join(
        Incident, IncidentRegion.incident_id == Incident.id)
    query = _filtered(counted.group_by(IncidentRegion.code), kind=kind, start=start, end=end)
    counts = {str(code): int(count) for code, count in db.execute(query)}
    # A region a source wrote that is no Ukrainian region is counted under its own name, so that what no map region
    # matches is still said (the brief's map names it apart), never silently dropped.
    named = _filtered(select(Incident.region, func.count(func.distinct(Incident.key))).where(
        Incident.region.is_not(None)).group_by(Incident.region), kind=kind, start=start, end=end)
    for name, count in db.execute(named):
        if region_code(name) is None:
            counts[str(name)] = counts.get(str(name), 0) + int(count)
    return counts

"""The common operating picture (docs/adr/0039): incidents by oblast for one period (a month or a week, never "all
dates"), the planned force of the scenario's baseline plan by sector, and the contributors, each as the viewer sees
them. The map page and its charts draw what these return; nothing here knows of a page."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date, timedelta
from typing import Literal

from pydantic import BaseModel, Field
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from reassure.core.coverage import merged_ranges
from reassure.core.labels import capability_label
from reassure.core.markings import Releasability
from reassure.core.nations import nation_label
from reassure.core.regions import REGION_LABELS, region_label
from reassure.domains.command.service import command_tree, flatten
from reassure.domains.incidents.models import Incident
from reassure.domains.incidents.service import incident_frame, incidents_marking, region_counts
from reassure.domains.plans.service import default_plan, get_stored
from reassure.domains.scenarios.service import coalition_summary
from reassure.domains.tasks.service import list_tasks
from reassure.monitoring.indicators.coverage import coverage_from_frame
from reassure.planner.instance import Plan, Problem
from reassure.services.coalition import NationRow, nation_rows

Every = Literal["month", "week"]
NO_SECTOR = "no sector given (air, sea or theatre-wide tasks)"

# Where a sector is drawn: the place its name stands for (longitude, latitude). A sector not listed here (an
# airspace without a place, or a task with no sector) is listed beside the map, never dropped.
SECTOR_PLACES: dict[str, tuple[str, float, float]] = {
    "Kyiv": ("Kyiv", 30.52, 50.45),
    "Lviv": ("Lviv", 24.03, 49.84),
    "Odesa": ("Odesa", 30.73, 46.48),
    "Odesa approaches": ("off Odesa", 30.95, 46.15),
    "Dnipro": ("Dnipro", 35.05, 48.46),
    "Poland": ("Rzeszów, Poland", 22.00, 50.04),
    "Romania": ("Constanța, Romania", 28.63, 44.18),
    "Poland/Romania": ("Poland and Romania", 25.50, 47.40),
    "Black Sea": ("Black Sea", 31.50, 44.30),
    "Western Ukraine airspace": ("western Ukraine (air)", 25.60, 49.20),
    "Southern airspace": ("southern Ukraine (air)", 32.00, 46.90),
}


class Period(BaseModel):
    """One month or week of the incident layer, and how much of it the viewer's data covers: `coverage` is "full",
    "partial" (some days: a period the data starts or stops in, or one not yet over) or "none" (no data, never
    quiet). `previous`/`next` are the neighbouring periods' first days (None past the data)."""

    every: Every
    start: date
    end: date  # inclusive
    label: str
    days: int
    covered_days: int
    coverage: Literal["full", "partial", "none"]
    previous: date | None
    next: date | None


class RegionCount(BaseModel):
    """A region's incidents in the period (by ISO 3166-2:UA code, or a name no region matches)."""

    code: str
    name: str
    count: int


class IncidentLayer(BaseModel):
    """The incident layer: one period, its counts by region (every oblast listed, 0 where none is released), the
    viewer's data span (first and last incident day) and the marking the counts rest on."""

    period: Period
    regions: list[RegionCount]
    unmatched: list[RegionCount] = Field(default_factory=list)  # region names that are no Ukrainian region
    total: int
    first: date | None
    last: date | None
    marking: str


class SectorForce(BaseModel):
    """The planned force in one sector: its tasks, the most units the plan puts there in one period and the most
    the tasks demand in one period, the nations serving, and where it is drawn (None: listed beside the map)."""

    sector: str
    place: str | None
    lon: float | None
    lat: float | None
    tasks: list[str]
    capabilities: list[str]
    planned: int
    demanded: int
    nations: list[str]


class ForcePicture(BaseModel):
    """The planned force of a scenario's baseline plan by sector (a planning assumption); `plan` None: no plan."""

    plan: str | None = None
    plan_label: str = ""
    marking: str = ""
    sectors: list[SectorForce] = Field(default_factory=list)


# --- periods ---------------------------------------------------------------------------------------------------


def period_span(every: Every, day: date) -> tuple[date, date]:
    """Return the first and last day of the month or ISO week (Monday to Sunday) holding `day`."""
    if every == "week":
        start = day - timedelta(days=day.weekday())
        return start, start + timedelta(days=6)
    start = day.replace(day=1)
    following = (start + timedelta(days=32)).replace(day=1)
    return start, following - timedelta(days=1)


def shifted(every: Every, start: date, steps: int) -> date:
    """Return the first day of the period `steps` periods after (negative: before) the one starting on `start`."""
    if every == "week":
        return start + timedelta(weeks=steps)
    month = start.year * 12 + start.month - 1 + steps
    return date(month // 12, month % 12 + 1, 1)


def default_period_day(every: Every, last: date | None, today: date) -> date:
    """Return a day of the period shown when none is asked for: the most recent period that is complete both in the
    data (ends on or before its last day) and in time (is over before today); with no data, the last complete one."""
    newest = min(last, today - timedelta(days=1)) if last is not None else today - timedelta(days=1)
    start, end = period_span(every, newest)
    return start if end <= newest else shifted(every, start, -1)


def period_label(every: Every, start: date, end: date) -> str:
    """Return a period in words: "March 2025", "week of 3 March 2025 (3–9 March)"."""
    if every == "month":
        return start.strftime("%B %Y")
    return f"week of {start.day} {start.strftime('%B %Y')} ({start.day} {start.strftime('%b')}–{end.day} " \
           f"{end.strftime('%b')})"


def period_of(every: Every, day: date, *, ranges: Sequence[tuple[date, date]], today: date) -> Period:
    """Return the period holding `day` and how many of its days the data covers: the days within the sources'
    `ranges` (first to last day of each source's data, merged), never past yesterday."""
    start, end = period_span(every, day)
    days = (end - start).days + 1
    stop = min(end, today - timedelta(days=1))
    covered = sum(max(0, (min(stop, high) - max(start, low)).days + 1) for low, high in ranges)
    coverage: Literal["full", "partial", "none"] = "none" if covered == 0 else "full" if covered == days \
        else "partial"
    before, after = shifted(every, start, -1), shifted(every, start, 1)
    return Period(every=every, start=start, end=end, label=period_label(every, start, end), days=days,
                  covered_days=covered, coverage=coverage,
                  previous=before if ranges and period_span(every, before)[1] >= ranges[0][0] else None,
                  next=after if after < today else None)


# --- incident layer --------------------------------------------------------------------------------------------


def data_ranges(*, db: Session) -> list[tuple[date, date]]:
    """Return the days the viewer's incident data covers: each source's first to last day (as the security page
    states its coverage), merged into sorted, disjoint ranges; [] without any incident."""
    frame = incident_frame(db=db)
    return merged_ranges(coverage_from_frame(frame)) if frame.height else []


def incident_layer(*, db: Session, every: Every = "month", day: date | None = None,
                   today: date | None = None) -> IncidentLayer:
    """Return the incidents by oblast of one period: the one holding `day`, else the most recent complete one
    (default_period_day). Every oblast is listed (0 when none is released: no data is not shown as quiet, the map
    draws it grey); a region name no oblast matches is listed apart."""
    today = today or date.today()
    ranges = data_ranges(db=db)
    first, last = (ranges[0][0], ranges[-1][1]) if ranges else (None, None)
    period = period_of(every, day or default_period_day(every, last, today), ranges=ranges, today=today)
    counts = region_counts(db=db, start=period.start, end=period.end)
    regions = sorted((RegionCount(code=code, name=name, count=counts.get(code, 0))
                      for code, name in REGION_LABELS.items()), key=lambda r: (-r.count, r.name))
    unmatched = [RegionCount(code=k, name=region_label(k), count=v) for k, v in sorted(counts.items())
                 if k not in REGION_LABELS]
    total = db.scalar(select(func.count(func.distinct(Incident.key))).where(
        Incident.start >= period.start, Incident.start < period.end + timedelta(days=1))) or 0
    return IncidentLayer(period=period, regions=regions, unmatched=unmatched, total=int(total), first=first,
                         last=last, marking=str(Releasability.from_column(incidents_marking(db=db))))


# --- planned force ---------------------------------------------------------------------------------------------


def force_by_sector(scenario: str, *, db: Session, plan_id: str | None = None) -> ForcePicture:
    """Return the planned force of a stored plan (default: the scenario's baseline, as the plan page opens on) by
    the sector of each task: per sector the most units the plan places there in one period and the most its tasks
    demand in one period. A task with no sector (or whose record the viewer does not see) counts under NO_SECTOR."""
    plan_id = plan_id or default_plan(scenario, db=db)
    if plan_id is None:
        return ForcePicture()
    stored = get_stored(plan_id, db=db)
    problem, plan = Problem.model_validate(stored.problem), Plan.model_validate(stored.plan)
    records = {t.key: t for t in list_tasks(scenario, db=db)}
    nation_of = {u.id: u.nation for u in problem.units}
    sector_of = {t.id: (records[t.id].sector if t.id in records else "") or NO_SECTOR for t in problem.tasks}
    periods = problem.horizon.periods
    planned: dict[str, list[int]] = defaultdict(lambda: [0] * periods)
    demanded: dict[str, list[int]] = defaultdict(lambda: [0] * periods)
    nations: dict[str, set[str]] = defaultdict(set)
    for task in problem.tasks:
        demand = task.demand if isinstance(task.demand, list) else [task.demand] * periods
        for t, d in enumerate(demand[:periods]):
            demanded[sector_of[task.id]][t] += d
    for tour in plan.tours:
        sector = sector_of.get(tour.task, NO_SECTOR)
        for t in range(tour.start, min(tour.end, periods - 1) + 1):
            planned[sector][t] += 1
        if tour.unit in nation_of:
            nations[sector].add(nation_of[tour.unit])
    rows = []
    for sector in sorted(set(demanded) | set(planned)):
        tasks = [t for t in problem.tasks if sector_of[t.id] == sector]
        place = SECTOR_PLACES.get(sector)
        rows.append(SectorForce(
            sector=sector, place=place[0] if place else None, lon=place[1] if place else None,
            lat=place[2] if place else None,
            tasks=[records[t.id].name if t.id in records else t.id for t in tasks],
            capabilities=sorted({capability_label(t.capability) for t in tasks}),
            planned=max(planned[sector], default=0), demanded=max(demanded[sector], default=0),
            nations=sorted(nation_label(n) for n in nations[sector])))
    rows.sort(key=lambda r: (-r.planned, r.sector))
    return ForcePicture(plan=stored.public_id, plan_label=stored.label or stored.public_id,
                        marking=str(stored.releasability), sectors=rows)


class CommonPicture(BaseModel):
    """The map page's picture: the incident layer of one period, the planned force by sector and the contributors
    (the overview's nation rows)."""

    incidents: IncidentLayer
    force: ForcePicture
    nations: list[NationRow]


def common_picture(scenario: str, *, db: Session, every: Every = "month", day: date | None = None,
                   today: date | None = None) -> CommonPicture:
    """Return the common operating picture of a scenario as the viewer sees it (see incident_layer and
    force_by_sector); an unknown or hidden scenario raises ScenarioNotFound."""
    summary = coalition_summary(scenario, db=db)
    leads = {n.lead_nation for n, _ in flatten(command_tree(scenario, db=db)) if n.lead_nation}
    return CommonPicture(incidents=incident_layer(db=db, every=every, day=day, today=today),
                         force=force_by_sector(scenario, db=db), nations=nation_rows(summary, leads))

"""The indicator table as a service: counts and interception rates (Wilson 95 %) per period, from the incidents
the viewer sees (the CLI, the API, the dashboard and the brief render these rows; none of them computes them)."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from reassure.core.coverage import PeriodFigure, SourceCoverage, Staleness, change_per_day
from reassure.core.errors import InputError
from reassure.core.markings import Releasability, most_restrictive
from reassure.domains.incidents.service import incident_frame, incidents_marking

STALE_AFTER_DAYS = 14  # the default age past which a picture's newest data is stale (setting stale_after_days)

if TYPE_CHECKING:
    import polars as pl

EVERY = {"day": "1d", "week": "1w", "month": "1mo"}


class IndicatorRow(BaseModel):
    """One period: attacks and weapon counts as reported (None = not reported), rates with their intervals."""

    period_start: date
    attacks: int | None
    launched: int | None
    destroyed: int | None
    suppressed: int | None
    neutralized: int | None
    destroyed_rate: float | None
    destroyed_low: float | None
    destroyed_high: float | None
    neutralized_rate: float | None
    neutralized_low: float | None
    neutralized_high: float | None
    violations: int | None  # ceasefire-violation incidents in the period; None where no source covers it, before the
    # ceasefire or without one
    days: int = 0  # days in the period
    air_days: int = 0  # days of it that a source of air attacks covers (the counts above count those days)
    air_coverage: str = "full"  # full, partial (air_days of days) or none: then every air figure is unknown
    violation_days: int = 0  # days of it that a source of ceasefire violations covers
    violations_coverage: str = "full"  # full, partial or none (then `violations` is None: unknown, not 0)
    launched_per_day: float | None = None  # launched / air_days: comparable across whole and partial periods
    launched_change: float | None = None  # launched per day against the previous period's (0.1 = +10 %)

    @property
    def partial(self) -> bool:
        """Whether the air figures cover only part of the period."""
        return self.air_coverage == "partial"


class IndicatorTable(BaseModel):
    """The rows of an indicator table, what they cover (each source's days) and whether the data is stale."""

    every: str
    min_grade: str | None
    incident_rows: int  # weapon lines of the incidents counted
    rows: list[IndicatorRow]
    ceasefire: date | None = None  # the scenario's ceasefire day: violations count from it on
    violations_note: str | None = None  # why the violations column is empty (no ceasefire date set)
    marking: str = "PUBLIC"  # the most restrictive marking of the incidents and reports the rows rest on
    coverage: list[SourceCoverage] = Field(default_factory=list)
    staleness: Staleness | None = None


def indicator_rows(frame: pl.DataFrame, every: str, last: int = 0,
                   coverage: list[SourceCoverage] | None = None, *,
                   ceasefire: date | None = None) -> list[IndicatorRow]:
    """Return the indicator rows of an incident frame (the pure part, shared with the demo); `coverage` is each
    source's days (default: found in the frame). A period no air-attack source covers has unknown air figures, one
    no violation source covers has unknown violations (None), never 0. Violations count from the ceasefire day on
    (periods that start before it have none), and not at all without a ceasefire date."""
    import polars as pl

    from reassure.monitoring.indicators import counts_by_period, indicator_series, interception_rates
    from reassure.monitoring.indicators.coverage import coverage_from_frame, period_coverage
    from reassure.monitoring.indicators.series import violations_series

    if every not in EVERY:
        raise InputError(f"--every must be day, week or month, got {every!r}")
    if frame.height == 0:
        return []
    interval = EVERY[every]
    coverage = coverage_from_frame(frame) if coverage is None else coverage
    table = counts_by_period(frame, interval, by=()).join(interception_rates(frame, interval, by=()),
                                                          on="period_start", how="full", coalesce=True)
    grid = indicator_series(frame, "violations", interval, coverage=coverage).select(
        "period_start", pl.col("covered_days").alias("violation_days"))  # every period, with data or not
    table = table.join(grid, on="period_start", how="full", coalesce=True)
    counted = violations_series(frame, interval, ceasefire, coverage=coverage)
    if counted is None:
        table = table.with_columns(pl.lit(None, dtype=pl.Float64).alias("violations")).sort("period_start")
    else:
        violations = counted.select("period_start", pl.col("value").alias("violations"))
        table = table.join(violations, on="period_start", how="left", coalesce=True).sort("period_start")
    if last:
        table = table.tail(last)
    starts = table["period_start"].to_list()
    ends = table.select(pl.col("period_start").dt.offset_by(interval))["period_start"].to_list()
    air = period_coverage(starts, ends, coverage, ["air_attack"])
    vio = period_coverage(starts, ends, coverage, ["ceasefire_violation"])
    rows = []
    for r, a, v in zip(table.iter_rows(named=True), air.iter_rows(named=True), vio.iter_rows(named=True),
                       strict=True):
        start = r["period_start"]
        covered = a["coverage"] != "none"
        quiet = covered and r.get("n_incidents") is None  # covered, and no attack in it: a quiet period
        launched = 0 if quiet else _int(r.get("launched"))
        rows.append(IndicatorRow(
            period_start=start.date() if isinstance(start, datetime) else start,
            attacks=0 if quiet else r.get("n_incidents") if covered else None,
            launched=launched if covered else None, destroyed=0 if quiet else _int(r.get("destroyed")),
            suppressed=0 if quiet else _int(r.get("suppressed")),
            neutralized=0 if quiet else _int(r.get("neutralized")),
            destroyed_rate=r.get("destroyed_rate"), destroyed_low=r.get("destroyed_low"),
            destroyed_high=r.get("destroyed_high"), neutralized_rate=r.get("neutralized_rate"),
            neutralized_low=r.get("neutralized_low"), neutralized_high=r.get("neutralized_high"),
            violations=_int(r.get("violations")) if v["coverage"] != "none" else None,
            days=a["days"], air_days=a["covered_days"], air_coverage=a["coverage"],
            violation_days=v["covered_days"], violations_coverage=v["coverage"],
            launched_per_day=(launched / a["covered_days"]) if covered and launched is not None else None))
    figures = launched_figures(rows)
    for i in range(1, len(rows)):
        rows[i].launched_change = change_per_day(figures[i], figures[i - 1])
    return rows


def launched_figures(rows: list[IndicatorRow]) -> list[PeriodFigure]:
    """Return each row's launched figure with the days of air-attack data it rests on, for per-day comparisons."""
    return [PeriodFigure(period_start=r.period_start, value=None if r.air_coverage == "none" else r.launched,
                         covered_days=r.air_days, days=r.days) for r in rows]


def _int(value: float | int | None) -> int | None:
    return None if value is None else int(value)


def indicator_table(*, db: Session, every: str = "month", start: date | None = None, end: date | None = None,
                    region: str | None = None, min_grade: str | None = None, last: int = 0,
                    today: date | None = None, stale_after_days: int = STALE_AFTER_DAYS,
                    ceasefire: date | None = None, ceasefire_marking: str | None = None) -> IndicatorTable:
    """Return the indicator table over the incidents the viewer sees, optionally filtered, with each source's days
    (taken from every incident the viewer sees, so a filter never makes a source look silent) and whether the
    newest data is older than `stale_after_days` on `today` (default: the current day). Violations count from the
    ceasefire day on; without one the column is empty and says why. The table is marked no wider than the incidents
    and the scenario that sets the ceasefire (`ceasefire_marking`)."""
    from reassure.monitoring.indicators.coverage import coverage_from_frame
    from reassure.monitoring.indicators.frame import filter_min_grade
    from reassure.monitoring.indicators.series import NO_CEASEFIRE

    frame = incident_frame(db=db, start=start, end=end, region=region)
    try:
        frame = filter_min_grade(frame, min_grade)
    except ValueError as error:
        raise InputError(str(error)) from None
    everything = incident_frame(db=db)
    coverage = coverage_from_frame(filter_min_grade(everything, min_grade) if min_grade else everything)
    rests_on = [Releasability.from_column(incidents_marking(db=db))]
    if ceasefire is not None and ceasefire_marking is not None:  # the scenario that sets the ceasefire date
        rests_on.append(Releasability.from_column(ceasefire_marking))
    marking = str(most_restrictive(*rests_on))
    return IndicatorTable(every=every, min_grade=min_grade, incident_rows=frame.height,
                          rows=indicator_rows(frame, every, last, coverage, ceasefire=ceasefire),
                          ceasefire=ceasefire, violations_note=None if ceasefire else NO_CEASEFIRE, marking=marking,
                          coverage=coverage, staleness=picture_staleness(coverage, today, stale_after_days))


def picture_staleness(coverage: list[SourceCoverage], today: date | None, stale_after_days: int) -> Staleness:
    """Return whether the newest data any source covers is older than stale_after_days on today (default: now)."""
    from datetime import UTC

    from reassure.core.coverage import newest_day, staleness

    return staleness(newest_day(coverage), today or datetime.now(UTC).date(), stale_after_days)


class CategoryRow(BaseModel):
    """Weapons of one category in one period, as reported (None = not reported)."""

    period_start: date
    category: str
    launched: int | None
    destroyed: int | None


def attacks_by_category(*, db: Session, every: str = "month", last: int = 24) -> list[CategoryRow]:
    """Return launched and destroyed per period and weapon category over the viewer's air attacks (the last
    `last` periods that have any)."""
    from reassure.monitoring.indicators import counts_by_period

    if every not in EVERY:
        raise InputError(f"every must be day, week or month, got {every!r}")
    frame = incident_frame(db=db)
    if frame.height == 0:
        return []
    table = counts_by_period(frame, EVERY[every], by=("category",)).drop_nulls("category").sort("period_start")
    periods = sorted(set(table["period_start"].to_list()))[-last:] if last else None
    rows = []
    for r in table.iter_rows(named=True):
        if periods is not None and r["period_start"] not in periods:
            continue
        start = r["period_start"]
        rows.append(CategoryRow(period_start=start.date() if isinstance(start, datetime) else start,
                                category=r["category"], launched=_int(r.get("launched")),
                                destroyed=_int(r.get("destroyed"))))
    return rows

"""The indicator table as a service: counts and interception rates (Wilson 95 %) per period, from the incidents
the viewer sees (the CLI, the API, the dashboard and the brief render these rows; none of them computes them)."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from pydantic import BaseModel
from sqlalchemy.orm import Session

from reassure.core.errors import InputError
from reassure.core.markings import Releasability
from reassure.domains.incidents.service import incident_frame, incidents_marking

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
    violations: int | None  # ceasefire-violation incidents in the period; None before the ceasefire or without one


class IndicatorTable(BaseModel):
    """The rows of an indicator table and what they cover."""

    every: str
    min_grade: str | None
    incident_rows: int  # weapon lines of the incidents counted
    rows: list[IndicatorRow]
    ceasefire: date | None = None  # the scenario's ceasefire day: violations count from it on
    violations_note: str | None = None  # why the violations column is empty (no ceasefire date set)
    marking: str = "PUBLIC"  # the most restrictive marking of the incidents and reports the rows rest on


def indicator_rows(frame: pl.DataFrame, every: str, last: int = 0, *,
                   ceasefire: date | None = None) -> list[IndicatorRow]:
    """Return the indicator rows of an incident frame (the pure part, shared with the demo); violations count from the
    ceasefire day on (periods that start before it have none), and not at all without a ceasefire date."""
    import polars as pl

    from reassure.monitoring.indicators import counts_by_period, indicator_series, interception_rates
    from reassure.monitoring.indicators.series import violations_series

    if every not in EVERY:
        raise InputError(f"--every must be day, week or month, got {every!r}")
    if frame.height == 0:
        return []
    interval = EVERY[every]
    table = counts_by_period(frame, interval, by=()).join(interception_rates(frame, interval, by=()),
                                                          on="period_start", how="full", coalesce=True)
    grid = indicator_series(frame, "violations", interval).select("period_start")  # every period, with data or not
    table = table.join(grid, on="period_start", how="full", coalesce=True)
    counted = violations_series(frame, interval, ceasefire)
    if counted is None:
        table = table.with_columns(pl.lit(None, dtype=pl.Float64).alias("violations")).sort("period_start")
    else:
        violations = counted.select("period_start", pl.col("value").alias("violations"))
        table = table.join(violations, on="period_start", how="left", coalesce=True).sort("period_start")
    if last:
        table = table.tail(last)
    rows = []
    for r in table.iter_rows(named=True):
        start = r["period_start"]
        rows.append(IndicatorRow(
            period_start=start.date() if isinstance(start, datetime) else start, attacks=r.get("n_incidents"),
            launched=_int(r.get("launched")), destroyed=_int(r.get("destroyed")),
            suppressed=_int(r.get("suppressed")), neutralized=_int(r.get("neutralized")),
            destroyed_rate=r.get("destroyed_rate"), destroyed_low=r.get("destroyed_low"),
            destroyed_high=r.get("destroyed_high"), neutralized_rate=r.get("neutralized_rate"),
            neutralized_low=r.get("neutralized_low"), neutralized_high=r.get("neutralized_high"),
            violations=_int(r.get("violations"))))
    return rows


def _int(value: float | int | None) -> int | None:
    return None if value is None else int(value)


def indicator_table(*, db: Session, every: str = "month", start: date | None = None, end: date | None = None,
                    region: str | None = None, min_grade: str | None = None, last: int = 0,
                    ceasefire: date | None = None) -> IndicatorTable:
    """Return the indicator table over the incidents the viewer sees, optionally filtered (violations count from the
    ceasefire day on; without one the column is empty and says why)."""
    from reassure.monitoring.indicators.frame import filter_min_grade
    from reassure.monitoring.indicators.series import NO_CEASEFIRE

    frame = incident_frame(db=db, start=start, end=end, region=region)
    try:
        frame = filter_min_grade(frame, min_grade)
    except ValueError as error:
        raise InputError(str(error)) from None
    marking = str(Releasability.from_column(incidents_marking(db=db)))
    return IndicatorTable(every=every, min_grade=min_grade, incident_rows=frame.height,
                          rows=indicator_rows(frame, every, last, ceasefire=ceasefire), ceasefire=ceasefire,
                          violations_note=None if ceasefire else NO_CEASEFIRE, marking=marking)


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

"""What the data covers: each source's date range, periods covered fully, partly or not at all, and staleness.

A source covers the days from the first to the last day it has data for (the start day of its earliest and latest
incident), or the range it declares. A source *of a kind* is one that has reported incidents of that kind. A period
is `full` when some source of the relevant kind covers every day of it, `partial` when only some days, and `none`
when no source of that kind covers any day: its figures are unknown, never quiet or zero (docs/adr/0018).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime

import polars as pl

from reassure.core.coverage import (
    CoverageStatus,
    SourceCoverage,
    Staleness,
    covered_days,
    for_kinds,
    merged_ranges,
    newest_day,
    staleness,
    status_of,
)

__all__ = [
    "COVERAGE_SCHEMA",
    "CoverageStatus",
    "SourceCoverage",
    "Staleness",
    "coverage_from_frame",
    "covered_days",
    "for_kinds",
    "merged_ranges",
    "newest_day",
    "period_coverage",
    "staleness",
    "status_of",
]

COVERAGE_SCHEMA: dict[str, pl.DataType] = {
    "days": pl.Int64(),
    "covered_days": pl.Int64(),
    "coverage": pl.Utf8(),
}


def _day(value: date | datetime) -> date:
    return value.date() if isinstance(value, datetime) else value


def coverage_from_frame(frame: pl.DataFrame | pl.LazyFrame,
                        declared: Iterable[SourceCoverage] = ()) -> list[SourceCoverage]:
    """Return each (source, kind) pair's coverage: the source's first to last day of data (any kind), for every
    kind it reports; a declared coverage of a (source, kind) replaces the one found in the data."""
    lf = frame.lazy() if isinstance(frame, pl.DataFrame) else frame
    rows = (lf.select("kind", "start", pl.col("sources")).explode("sources").drop_nulls("sources")
            .group_by("sources").agg(pl.col("start").min().alias("first"), pl.col("start").max().alias("last"),
                                     pl.col("kind").unique().sort().alias("kinds"))
            .sort("sources").collect())
    found: dict[tuple[str, str], SourceCoverage] = {}
    for source, first, last, kinds in rows.iter_rows():
        for kind in kinds:
            found[(source, kind)] = SourceCoverage(source=source, kind=kind, first=_day(first), last=_day(last))
    for item in declared:
        found[(item.source, item.kind)] = item
    return [found[k] for k in sorted(found)]


def period_coverage(period_starts: Sequence[datetime], period_ends: Sequence[datetime],
                    coverage: Iterable[SourceCoverage], kinds: Sequence[str] | None,
                    cutoff: datetime | None = None) -> pl.DataFrame:
    """Return days, covered_days and coverage (full, partial, none) of each period; days at or after cutoff are
    not covered (the data stops there)."""
    ranges = merged_ranges(for_kinds(coverage, kinds))
    stop = _day(cutoff) if cutoff is not None else None
    days, covered, status = [], [], []
    for start, end in zip(period_starts, period_ends, strict=True):
        first, after = _day(start), _day(end)
        n = (after - first).days
        c = covered_days(ranges, first, min(after, stop) if stop is not None else after)
        days.append(n)
        covered.append(c)
        status.append(status_of(n, c))
    return pl.DataFrame({"days": days, "covered_days": covered, "coverage": status}, schema=COVERAGE_SCHEMA)

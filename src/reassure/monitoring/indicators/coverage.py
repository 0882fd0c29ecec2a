"""What the data covers: each source's date range, periods covered fully, partly or not at all, and staleness.

A source covers the days from the first to the last day it has data for (the start day of its earliest and latest
incident), or the range it declares. A source *of a kind* is one that has reported incidents of that kind. A period
is `full` when some source of the relevant kind covers every day of it, `partial` when only some days, and `none`
when no source of that kind covers any day: its figures are unknown, never quiet or zero (docs/adr/0018).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime, timedelta
from typing import Literal

import polars as pl
from pydantic import BaseModel, ConfigDict

CoverageStatus = Literal["full", "partial", "none"]
COVERAGE_SCHEMA: dict[str, pl.DataType] = {
    "days": pl.Int64(),
    "covered_days": pl.Int64(),
    "coverage": pl.Utf8(),
}


class SourceCoverage(BaseModel):
    """The days one source covers for one kind of incident (first and last inclusive); declared or from its data."""

    model_config = ConfigDict(frozen=True)

    source: str
    kind: str
    first: date
    last: date
    declared: bool = False

    def describe(self) -> str:
        """Say in words which days the source covers."""
        how = "declared" if self.declared else "data"
        return f"{self.source} ({self.kind.replace('_', ' ')}): {self.first.isoformat()} to {self.last.isoformat()} " \
               f"({how})"


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


def for_kinds(coverage: Iterable[SourceCoverage], kinds: Sequence[str] | None) -> list[SourceCoverage]:
    """Keep the coverage of sources of the given kinds (None: every kind)."""
    return [c for c in coverage if kinds is None or c.kind in kinds]


def merged_ranges(coverage: Iterable[SourceCoverage]) -> list[tuple[date, date]]:
    """Return the days covered as sorted, disjoint, inclusive (first, last) ranges."""
    out: list[tuple[date, date]] = []
    for first, last in sorted((c.first, c.last) for c in coverage if c.last >= c.first):
        if out and first <= out[-1][1] + timedelta(days=1):
            out[-1] = (out[-1][0], max(out[-1][1], last))
        else:
            out.append((first, last))
    return out


def covered_days(ranges: Sequence[tuple[date, date]], start: date, end: date) -> int:
    """Count the days in [start, end) (end exclusive) that the merged ranges cover."""
    total = 0
    for first, last in ranges:
        lo, hi = max(first, start), min(last + timedelta(days=1), end)
        if hi > lo:
            total += (hi - lo).days
    return total


def status_of(days: int, covered: int) -> CoverageStatus:
    """Return full, partial or none for a period of `days` days of which `covered` are covered."""
    if covered <= 0:
        return "none"
    return "full" if covered >= days else "partial"


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


def newest_day(coverage: Iterable[SourceCoverage]) -> date | None:
    """Return the last day any source covers (None when there is no data)."""
    lasts = [c.last for c in coverage]
    return max(lasts) if lasts else None


class Staleness(BaseModel):
    """Whether a picture's newest data is older than a stated age."""

    model_config = ConfigDict(frozen=True)

    newest: date | None  # the day of the newest data; None: no data at all
    today: date
    max_age_days: int
    stale: bool
    age_days: int | None

    def describe(self) -> str:
        """Say in words how old the newest data is, and whether that is stale."""
        if self.newest is None:
            return "no data: the picture is unknown"
        if self.stale:
            return (f"stale: the newest data is of {self.newest.isoformat()}, {self.age_days} days before "
                    f"{self.today.isoformat()} (older than {self.max_age_days} days)")
        return f"current: the newest data is of {self.newest.isoformat()}"


def staleness(newest: date | None, today: date, max_age_days: int) -> Staleness:
    """Return whether data whose newest day is `newest` is stale on `today` (older than max_age_days); no data
    at all counts as stale."""
    if newest is None:
        return Staleness(newest=None, today=today, max_age_days=max_age_days, stale=True, age_days=None)
    age = (today - newest).days
    return Staleness(newest=newest, today=today, max_age_days=max_age_days, stale=age > max_age_days, age_days=age)

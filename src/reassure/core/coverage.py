"""Coverage and honest comparison, without polars: which days each source covers, whether a picture is stale, and
per-day comparisons of periods (a partly covered period is never compared as a whole one). docs/adr/0018.

The polars side (finding coverage in an incident frame, marking a series' periods) is in
`reassure.monitoring.indicators.coverage`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from typing import Literal

from pydantic import BaseModel, ConfigDict

CoverageStatus = Literal["full", "partial", "none"]
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


class PeriodFigure(BaseModel):
    """One period's figure and how many of its days the data covers."""

    model_config = ConfigDict(frozen=True)

    period_start: date
    value: float | None  # None: unknown (no source covers the period)
    covered_days: int
    days: int

    @property
    def partial(self) -> bool:
        """Whether the data covers only some of the period's days."""
        return 0 < self.covered_days < self.days


class Span(BaseModel):
    """A run of periods summed: the total, the days covered and the rate per day."""

    model_config = ConfigDict(frozen=True)

    first: date
    last: date
    total: float
    covered_days: int
    days: int

    @property
    def per_day(self) -> float:
        """Return the total per covered day."""
        return self.total / self.covered_days if self.covered_days else 0.0


class Comparison(BaseModel):
    """The last n periods against the n before, per day of data, with the partly covered periods named."""

    model_config = ConfigDict(frozen=True)

    recent: Span
    before: Span
    change_per_day: float | None  # (recent per day - before per day) / before per day; None when before is 0
    change_total: float | None  # the same on the totals, misleading when a period is partial: shown for contrast
    partial: tuple[PeriodFigure, ...]


def _span(figures: Sequence[PeriodFigure]) -> Span:
    return Span(first=figures[0].period_start, last=figures[-1].period_start,
                total=sum(f.value or 0.0 for f in figures), covered_days=sum(f.covered_days for f in figures),
                days=sum(f.days for f in figures))


def compare_last(figures: Sequence[PeriodFigure], n: int = 3) -> Comparison | None:
    """Compare the last n periods with the n before them, per covered day; None when fewer than 2n periods are
    known (a period with an unknown value, or no covered day, makes the comparison impossible)."""
    if n < 1 or len(figures) < 2 * n:
        return None
    recent, before = list(figures[-n:]), list(figures[-2 * n:-n])
    if any(f.value is None or f.covered_days == 0 for f in (*recent, *before)):
        return None
    a, b = _span(recent), _span(before)
    change = (a.per_day - b.per_day) / b.per_day if b.per_day else None
    change_total = (a.total - b.total) / b.total if b.total else None
    return Comparison(recent=a, before=b, change_per_day=change, change_total=change_total,
                      partial=tuple(f for f in (*before, *recent) if f.partial))


def change_per_day(current: PeriodFigure, previous: PeriodFigure) -> float | None:
    """Return the change per covered day from one period to the next; None when either is unknown or the previous
    is zero."""
    if current.value is None or previous.value is None or not current.covered_days or not previous.covered_days:
        return None
    before = previous.value / previous.covered_days
    return (current.value / current.covered_days - before) / before if before else None

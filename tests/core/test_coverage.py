"""Coverage without polars: merged ranges, covered days, staleness and per-day comparisons of periods."""

from __future__ import annotations

from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from reassure.core.coverage import (
    PeriodFigure,
    SourceCoverage,
    change_per_day,
    compare_last,
    covered_days,
    merged_ranges,
    staleness,
    status_of,
)

days = st.dates(min_value=date(2025, 1, 1), max_value=date(2025, 3, 31))


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(days, days), max_size=6), days, days)
def test_covered_days_count_each_day_once(ranges: list[tuple[date, date]], a: date, b: date) -> None:
    start, end = min(a, b), max(a, b)
    cover = [SourceCoverage(source=f"s{i}", kind="air_attack", first=min(x, y), last=max(x, y))
             for i, (x, y) in enumerate(ranges)]
    merged = merged_ranges(cover)
    brute = {date.fromordinal(d) for c in cover for d in range(c.first.toordinal(), c.last.toordinal() + 1)}
    assert covered_days(merged, start, end) == sum(1 for d in brute if start <= d < end)
    assert all(merged[i][1] < merged[i + 1][0] for i in range(len(merged) - 1))


def test_status_and_staleness() -> None:
    assert (status_of(30, 0), status_of(30, 6), status_of(30, 30)) == ("none", "partial", "full")
    old = staleness(date(2026, 6, 6), date(2026, 12, 7), 14)
    assert old.stale and old.age_days == 184 and "2026-06-06" in old.describe()
    assert not staleness(date(2026, 12, 1), date(2026, 12, 7), 14).stale
    assert staleness(None, date(2026, 12, 7), 14).stale


def test_the_last_three_months_compared_per_day_name_the_partial_one() -> None:
    """Totals hide a rise that per-day figures show, when the last month holds 6 days of data."""
    months = [(1, 6_000, 31), (2, 6_300, 28), (3, 8_035, 31), (4, 8_187, 30), (5, 10_098, 31), (6, 2_388, 6)]
    figures = [PeriodFigure(period_start=date(2026, m, 1), value=v, covered_days=c,
                            days=30 if m in (4, 6) else 28 if m == 2 else 31) for m, v, c in months]
    c = compare_last(figures)
    assert c is not None and c.change_per_day is not None and c.change_total is not None
    assert round(c.change_total * 100) == 2 and round(c.change_per_day * 100) == 37  # 20,673 vs 20,335 in all
    assert [p.period_start.month for p in c.partial] == [6] and c.recent.covered_days == 67
    assert round(c.recent.per_day, 1) == round(20_673 / 67, 1)
    assert change_per_day(figures[-1], figures[-2]) == (2_388 / 6 - 10_098 / 31) / (10_098 / 31)


def test_an_unknown_period_leaves_the_comparison_out() -> None:
    figures = [PeriodFigure(period_start=date(2026, m, 1), value=None if m == 2 else 10.0, covered_days=0 if m == 2
                            else 30, days=30) for m in range(1, 7)]
    assert compare_last(figures) is None
    assert change_per_day(figures[1], figures[0]) is None

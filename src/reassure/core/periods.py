"""Map calendar dates to planning periods (months or weeks counted from a horizon start)."""

from __future__ import annotations

from datetime import date


def period_containing(start: date, period: str, day: date) -> int:
    """Return the index of the period that contains a day (negative before the start)."""
    if period == "week":
        return (day - start).days // 7
    return (day.year - start.year) * 12 + (day.month - start.month)


def first_period_from(start: date, period: str, day: date) -> int:
    """Return the first period that begins on or after a day (a SOFA in force mid-month counts next month)."""
    index = period_containing(start, period, day)
    if period == "week":
        return index if (day - start).days % 7 == 0 else index + 1
    return index if day.day == 1 else index + 1  # monthly periods are calendar months

"""The period a brief's incident map shows: a period the reader chooses (a month `2026-11`, a year `2026`, two days
`2026-10-01..2026-11-15`, or `all`), by default the most recent complete month before the situation's day
(docs/adr/0040). The map's title names it, so a map is never read as "all dates" by mistake."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

from reassure.core.errors import InputError

ALL = "all"
_MONTH = re.compile(r"(\d{4})-(\d{2})")
_YEAR = re.compile(r"\d{4}")
_RANGE = re.compile(r"(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})")


@dataclass(frozen=True)
class MapPeriod:
    """The days a map counts incidents over, first and last included; both None: every date."""

    start: date | None
    end: date | None

    @property
    def words(self) -> str:
        """Say the period for a title: "November 2026", "2026", "1 Oct 2026 to 15 Nov 2026", "all dates"."""
        if self.start is None or self.end is None:
            return "all dates"
        if self.start.day == 1 and self.end == _month_end(self.start):
            return self.start.strftime("%B %Y")
        if (self.start.month, self.start.day, self.end.month, self.end.day) == (1, 1, 12, 31) \
                and self.start.year == self.end.year:
            return str(self.start.year)
        return f"{self.start.day} {self.start:%b %Y} to {self.end.day} {self.end:%b %Y}"


ALL_DATES = MapPeriod(None, None)


def _month_end(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def last_complete_month(reference: date) -> MapPeriod:
    """Return the most recent calendar month that ends on or before `reference`."""
    end = reference if reference == _month_end(reference) else reference.replace(day=1) - timedelta(days=1)
    return MapPeriod(end.replace(day=1), end)


def parse_map_period(text: str) -> MapPeriod:
    """Read a period key: `YYYY-MM`, `YYYY`, `YYYY-MM-DD..YYYY-MM-DD` or `all`; InputError naming the field."""
    value = text.strip()
    try:
        if value.lower() == ALL:
            return ALL_DATES
        if m := _MONTH.fullmatch(value):
            first = date(int(m.group(1)), int(m.group(2)), 1)
            return MapPeriod(first, _month_end(first))
        if _YEAR.fullmatch(value):
            return MapPeriod(date(int(value), 1, 1), date(int(value), 12, 31))
        if m := _RANGE.fullmatch(value):
            start, end = date.fromisoformat(m.group(1)), date.fromisoformat(m.group(2))
            if end < start:
                raise InputError(f"map period {value!r}: the last day is before the first")
            return MapPeriod(start, end)
    except ValueError:
        pass
    raise InputError(f"map period {value!r}: expected a month (2026-11), a year (2026), two days "
                     "(2026-10-01..2026-11-15) or all")

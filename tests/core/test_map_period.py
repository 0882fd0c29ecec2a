"""The brief map's period (docs/adr/0040): the keys a reader may give, the default (the most recent complete month)
and the words of the map's title; a bad key is refused naming what is expected."""

from __future__ import annotations

from datetime import date

import pytest

from reassure.core.errors import InputError
from reassure.core.map_period import ALL_DATES, MapPeriod, last_complete_month, parse_map_period


@pytest.mark.parametrize(("key", "start", "end", "words"), [
    ("2026-11", date(2026, 11, 1), date(2026, 11, 30), "November 2026"),
    ("2024-02", date(2024, 2, 1), date(2024, 2, 29), "February 2024"),
    ("2025", date(2025, 1, 1), date(2025, 12, 31), "2025"),
    ("2026-10-01..2026-11-15", date(2026, 10, 1), date(2026, 11, 15), "1 Oct 2026 to 15 Nov 2026"),
    (" ALL ", None, None, "all dates"),
])
def test_a_period_key_reads_as_its_days_and_words(key: str, start: date | None, end: date | None, words: str) -> None:
    period = parse_map_period(key)
    assert (period.start, period.end, period.words) == (start, end, words)


@pytest.mark.parametrize("key", ["2026-13", "last month", "2026-11-15..2026-11-01", "", "2026-1"])
def test_a_bad_key_is_refused_with_what_is_expected(key: str) -> None:
    with pytest.raises(InputError, match=r"expected a month|before the first"):
        parse_map_period(key)


def test_the_default_is_the_most_recent_complete_month() -> None:
    assert last_complete_month(date(2026, 12, 7)) == MapPeriod(date(2026, 11, 1), date(2026, 11, 30))
    assert last_complete_month(date(2026, 1, 1)) == MapPeriod(date(2025, 12, 1), date(2025, 12, 31))
    assert last_complete_month(date(2026, 11, 30)) == MapPeriod(date(2026, 11, 1), date(2026, 11, 30))  # complete
    assert ALL_DATES.words == "all dates"

"""A report's own time window: 'from 18:00 on 13 September' to 09:00 the next morning, or to the end it states."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reassure.monitoring.extraction.dates import resolve_window

D = dt.datetime


@pytest.mark.parametrize(("text", "attack", "window"), [
    ("From 18:00 on 13 September, the enemy attacked with 59 drones.", dt.date(2025, 9, 14),
     (D(2025, 9, 13, 18), D(2025, 9, 14, 9))),
    ("From 18:00 on 5 May to 07:00 on 6 May the enemy launched 24 drones.", dt.date(2024, 5, 6),
     (D(2024, 5, 5, 18), D(2024, 5, 6, 7))),
    ("У ніч на 14 вересня (з 18:00 13 вересня) противник атакував 59 ударними БпЛА.", dt.date(2025, 9, 14),
     (D(2025, 9, 13, 18), D(2025, 9, 14, 9))),
    ("з 19.30 3 вересня до 09.00 4 вересня збито 84 дрони", dt.date(2025, 9, 4),
     (D(2025, 9, 3, 19, 30), D(2025, 9, 4, 9))),
    ("From 18:00 until 07:30 the enemy launched 40 drones.", dt.date(2025, 9, 14),
     (D(2025, 9, 13, 18), D(2025, 9, 14, 7, 30))),
])
def test_a_stated_window_is_read(text: str, attack: dt.date, window: tuple[D, D]) -> None:
    assert resolve_window(text, attack) == window


@pytest.mark.parametrize("text", [
    "Overnight on 14 September Russia launched 50 drones.",  # a night without times stays dates-only
    "The enemy launched 24 drones at 18:00.",  # a time, not a window's start
    "From 18:00 on 1 September the enemy launched 24 drones.",  # ends two weeks before the attack date: not trusted
])
def test_no_window_or_an_untrusted_one_is_none(text: str) -> None:
    assert resolve_window(text, dt.date(2025, 9, 14)) is None


@given(st.text(max_size=200), st.dates(min_value=dt.date(2001, 1, 1), max_value=dt.date(2099, 12, 31)))
def test_any_text_gives_none_or_a_window_that_ends_after_it_starts(text: str, attack: dt.date) -> None:
    window = resolve_window(text, attack)
    assert window is None or window[0] < window[1]

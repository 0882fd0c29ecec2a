"""iCalendar texts (RFC 5545): a plan's tours as all-day events on plain data, with escaped text, folded lines and
the day after the last as DTEND."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from reassure.exports.calendar import escape, fold, tours_calendar

STAMP = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)


@dataclass
class Tour:
    unit: str = "FRA-FS-1"
    nation: str = "FRA"
    capability: str = "fighter_squadron"
    task: str = "AIR-WEST"
    location: str = "air"
    start: date = date(2027, 1, 1)
    end: date = date(2027, 4, 30)
    first_period: int = 0
    last_period: int = 3
    personnel: int = 300
    marking: str = "REL TO FRA, GBR"


def _unfolded(text: str) -> list[str]:
    return text.replace("\r\n ", "").split("\r\n")


def test_a_tour_is_one_all_day_event_that_says_it_is_a_planning_assumption() -> None:
    text = tours_calendar([Tour(), Tour(unit="FRA-FS-2", first_period=4, start=date(2027, 5, 1),
                                         end=date(2027, 5, 31))], plan="p-abc", nation="fra", stamp=STAMP)
    lines = _unfolded(text)
    assert text.startswith("BEGIN:VCALENDAR\r\n") and text.endswith("END:VCALENDAR\r\n")
    assert "X-WR-CALNAME:reassure plan p-abc-FRA" in lines and text.count("BEGIN:VEVENT") == 2
    assert "UID:p-abc-FRA-FS-1-AIR-WEST-0@reassure" in lines and "DTSTAMP:20260102T030405Z" in lines
    assert "DTSTART;VALUE=DATE:20270101" in lines and "DTEND;VALUE=DATE:20270501" in lines  # the day after the last
    assert "SUMMARY:FRA-FS-1 on AIR-WEST" in lines and "CATEGORIES:FRA,fighter_squadron" in lines
    assert ("DESCRIPTION:Plan p-abc (planning assumption\\, not an order): FRA-FS-1 (FRA\\, fighter_squadron\\, 300 "
            "personnel) on task AIR-WEST\\, periods 0-3. Marking: REL TO FRA\\, GBR.") in lines
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))


def test_a_whole_plans_calendar_is_named_by_the_plan_alone() -> None:
    text = tours_calendar([], plan="p-abc", stamp=STAMP)
    assert "X-WR-CALNAME:reassure plan p-abc" in _unfolded(text) and "BEGIN:VEVENT" not in text


def test_text_from_data_is_escaped_and_never_starts_a_property() -> None:
    text = tours_calendar([Tour(unit="X\r\nBEGIN:VEVENT;a,b\\", location="a\nb")], plan="p", stamp=STAMP)
    assert _unfolded(text).count("BEGIN:VEVENT") == 1  # the text stays inside its property
    assert "SUMMARY:X\\nBEGIN:VEVENT\\;a\\,b\\\\ on AIR-WEST" in _unfolded(text)
    assert "LOCATION:a\\nb" in _unfolded(text)
    assert escape("a;b,c\\d\ne") == "a\\;b\\,c\\\\d\\ne"


def test_folding_never_cuts_a_character() -> None:
    line = "SUMMARY:" + "é" * 100
    folded = fold(line)
    assert all(len(part.encode()) <= 75 for part in folded.split("\r\n"))
    assert folded.replace("\r\n ", "") == line and fold("short") == "short"

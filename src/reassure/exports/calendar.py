"""iCalendar (RFC 5545): one all-day event per tour, so a nation can put its rotations in its calendar. `tours_calendar`
writes a plan's tours (any objects with a tour's fields, as the plans domain reads them) as one calendar text."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Protocol

PRODID = "-//reassure//rotation plan//EN"


class Tour(Protocol):
    """A tour with real dates: a unit of a nation on a task from its first to its last day (the plans domain's
    TourRead has these fields)."""

    unit: str
    nation: str
    capability: str
    task: str
    location: str
    start: date
    end: date
    first_period: int
    last_period: int
    personnel: int
    marking: str


@dataclass(frozen=True)
class Event:
    """An all-day event from `first` to `last` inclusive."""

    uid: str
    summary: str
    first: date
    last: date
    description: str = ""
    location: str = ""
    categories: tuple[str, ...] = ()


def escape(text: str) -> str:
    """Escape a TEXT value (backslash, semicolon, comma, newline)."""
    return (text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\r\n", "\\n")
            .replace("\n", "\\n").replace("\r", "\\n"))


def fold(line: str) -> str:
    """Fold a content line at 75 octets (continuation lines start with a space), never inside a UTF-8 character."""
    data = line.encode("utf-8")
    if len(data) <= 75:
        return line
    parts, start, limit = [], 0, 75
    while start < len(data):
        end = min(start + limit, len(data))
        while end < len(data) and (data[end] & 0xC0) == 0x80:  # do not cut a multi-byte character
            end -= 1
        parts.append(data[start:end].decode("utf-8"))
        start, limit = end, 74  # the leading space takes one octet
    return "\r\n ".join(parts)


def calendar(events: Iterable[Event], *, name: str, stamp: datetime | None = None) -> str:
    """Return a VCALENDAR with one all-day VEVENT per event (DTEND is the day after the last, as RFC 5545 says)."""
    now = (stamp or datetime.now(UTC)).astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{PRODID}", "CALSCALE:GREGORIAN", "METHOD:PUBLISH",
             f"X-WR-CALNAME:{escape(name)}"]
    for e in events:
        lines += ["BEGIN:VEVENT", f"UID:{escape(e.uid)}", f"DTSTAMP:{now}",
                  f"DTSTART;VALUE=DATE:{e.first:%Y%m%d}", f"DTEND;VALUE=DATE:{e.last + timedelta(days=1):%Y%m%d}",
                  f"SUMMARY:{escape(e.summary)}"]
        if e.description:
            lines.append(f"DESCRIPTION:{escape(e.description)}")
        if e.location:
            lines.append(f"LOCATION:{escape(e.location)}")
        if e.categories:
            lines.append("CATEGORIES:" + ",".join(escape(c) for c in e.categories))
        lines += ["TRANSP:TRANSPARENT", "END:VEVENT"]
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)


def tours_calendar(tours: Iterable[Tour], *, plan: str, nation: str | None = None,
                   stamp: datetime | None = None) -> str:
    """Return a stored plan's tours (one nation's, named by `nation`) as a calendar of all-day events, one a tour,
    each saying that the plan is a planning assumption, not an order, and carrying its marking."""
    suffix = f"-{nation.upper()}" if nation else ""
    events = [Event(uid=f"{plan}-{t.unit}-{t.task}-{t.first_period}@reassure", summary=f"{t.unit} on {t.task}",
                    first=t.start, last=t.end, location=t.location, categories=(t.nation, t.capability),
                    description=(f"Plan {plan} (planning assumption, not an order): {t.unit} ({t.nation}, "
                                 f"{t.capability}, {t.personnel} personnel) on task {t.task}, periods "
                                 f"{t.first_period}-{t.last_period}. Marking: {t.marking}."))
              for t in tours]
    return calendar(events, name=f"reassure plan {plan}{suffix}", stamp=stamp)

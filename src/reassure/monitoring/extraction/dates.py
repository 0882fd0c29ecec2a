"""Find attack dates in report text (English and Ukrainian).

Conventions: a night that spans two days ("night of 6-7 September", "17.03-18.03", "from 18:00 on 5 May
to 07:00 on 6 May") is dated by its last day, the morning the Air Force reports it. A date without a
year takes the year of the reference date (the ``date`` argument), or of another dated mention in the
text; one that would then fall more than a week after the reference date is taken from the year before.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

_EN_MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "oct": 10,
    "nov": 11, "dec": 12,
}  # fmt: skip
_UK_MONTHS = {
    "січня": 1, "лютого": 2, "березня": 3, "квітня": 4, "травня": 5, "червня": 6, "липня": 7, "серпня": 8,
    "вересня": 9, "жовтня": 10, "листопада": 11, "грудня": 12,
}  # fmt: skip
_MONTH = (
    r"(?P<mon>(?:January|February|March|April|May|June|July|August|September|October|November|December"
    r"|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?)"
)
_DAY = r"(?P<d1>\d{1,2})(?:st|nd|rd|th)?"
_DAY2 = r"(?:\s*(?:-|to|and|/)\s*(?P<d2>\d{1,2})(?:st|nd|rd|th)?)?"
_YEAR = r"(?:,?\s+(?P<y>\d{4}))?"
_PATTERNS = tuple(
    re.compile(pattern)
    for pattern in (
        r"(?<!\d)(?P<y>\d{4})-(?P<m>\d{2})-(?P<d1>\d{2})(?!\d)",
        # 17.03-18.03(.23), 30.03.-31.03, 21.03-22.03.23: a night across two days
        r"(?<![\d.])\d{1,2}\.\d{2}\.?\s?-\s?(?P<d1>\d{1,2})\.(?P<m>\d{2})(?:\.(?P<y>\d{2,4}))?(?![\d])",
        r"(?<![\d.])(?P<d1>\d{1,2})\.(?P<m>\d{1,2})\.(?P<y>\d{4}|\d{2})(?![\d])",
        rf"\b{_MONTH}\s+{_DAY}{_DAY2}(?!\d){_YEAR}(?![\d:])",
        rf"(?<![\d.:]){_DAY}{_DAY2}\s+(?:of\s+)?{_MONTH}{_YEAR}\b",
        r"(?<![\d.:])(?P<d1>\d{1,2})(?:\s*-\s*(?P<d2>\d{1,2}))?\s+(?P<ukmon>січня|лютого|березня|квітня"
        r"|травня|червня|липня|серпня|вересня|жовтня|листопада|грудня)(?:\s+(?P<y>\d{4}))?",
    )
)
_FROM_TO = re.compile(r"\b(?:from|з|від)\b[^.;]{0,30}$", re.IGNORECASE)
_TO = re.compile(r"^[^.;]{0,25}\b(?:to|until|till|до|по)\b", re.IGNORECASE)


@dataclass(frozen=True)
class DateHit:
    """A date written in the text; ``year`` is None when the text leaves it out."""

    start: int
    end: int
    day: int
    month: int
    year: int | None


def find_dates(text: str) -> list[DateHit]:
    """Return every date written in ``text``, in order, without overlaps."""
    hits: list[DateHit] = []
    taken: list[tuple[int, int]] = []
    for pattern in _PATTERNS:
        for match in pattern.finditer(text):
            if any(s < match.end() and match.start() < e for s, e in taken):
                continue
            hit = _to_hit(match)
            if hit is not None:
                hits.append(hit)
                taken.append((match.start(), match.end()))
    return sorted(hits, key=lambda h: h.start)


def _to_hit(match: re.Match[str]) -> DateHit | None:
    groups = match.groupdict()
    day = int(groups.get("d2") or groups["d1"])
    if groups.get("m"):
        month = int(groups["m"])
    elif groups.get("ukmon"):
        month = _UK_MONTHS[groups["ukmon"].lower()]
    else:
        month = _EN_MONTHS[groups["mon"].rstrip(".")[:3].lower()]
    year = int(groups["y"]) if groups.get("y") else None
    if year is not None and year < 100:
        year += 2000
    if not (1 <= month <= 12 and 1 <= day <= 31) or (year is not None and not 2000 <= year <= 2100):
        return None
    return DateHit(match.start(), match.end(), day, month, year)


def date_spans(text: str) -> list[tuple[int, int]]:
    """Return the character spans of dates in ``text`` (their numbers are not counts)."""
    return [(hit.start, hit.end) for hit in find_dates(text)]


def _materialise(hit: DateHit, reference: dt.date | None, fallback_year: int | None) -> dt.date | None:
    year = hit.year or (reference.year if reference else fallback_year)
    if year is None:
        return None
    try:
        found = dt.date(year, hit.month, hit.day)
    except ValueError:
        return None
    if hit.year is None and reference is not None and found > reference + dt.timedelta(days=7):
        try:
            found = dt.date(year - 1, hit.month, hit.day)
        except ValueError:
            return None
    return found


def _pick(text: str, hits: list[DateHit]) -> DateHit:
    """Return the date a run of hits refers to: the end of a "from X to Y" period, else the first."""
    first = hits[0]
    if (
        len(hits) > 1
        and _FROM_TO.search(text[max(0, first.start - 30) : first.start])
        and _TO.search(text[first.end : hits[1].start])
    ):
        return hits[1]
    return first


def resolve_date(text: str, focus: list[tuple[int, int]], reference: dt.date | None) -> dt.date | None:
    """Return the attack date: first date in the ``focus`` spans, else first in the text, else reference."""
    hits = find_dates(text)
    if not hits:
        return reference
    fallback_year = next((h.year for h in hits if h.year is not None), None)
    focused = [h for h in hits if any(s <= h.start < e for s, e in focus)]
    for pool in (focused, hits):
        if pool:
            picked = _pick(text, pool)
            found = _materialise(picked, reference, fallback_year)
            if found is None:
                continue
            nxt = next((h for h in pool if h.start > picked.start), None)
            if nxt is not None and nxt.start - picked.end <= 40:
                following = _materialise(nxt, reference, fallback_year)
                if following == found + dt.timedelta(days=1):
                    return following  # "08.05.2023 22.00 - 09.05.2023 04.00": the night ends on the 9th
            return found
    return reference


# "from 18:00 on 13 September", "з 18:00 13 вересня", "(from 18.00 on 13.09)": a stated start of the window ...
_WINDOW_START = re.compile(r"\b(?:from|since|з|від)\s+(?P<h>[01]?\d|2[0-3])[:.](?P<m>[0-5]\d)\b", re.IGNORECASE)
# ... and its stated end, "to 09:00 on 14 September", "until 07:00", "до 09:00 14 вересня"
_WINDOW_END = re.compile(r"^[^.;]{0,12}?\b(?:to|until|till|до|по)\s+(?P<h>[01]?\d|2[0-3])[:.](?P<m>[0-5]\d)\b",
                         re.IGNORECASE)
_ON = re.compile(r"^\s*(?:on|of|,)?\s*(?:the\s+)?$", re.IGNORECASE)
REPORT_HOUR = 9  # the Air Force reports a night at about 09:00: a window with a stated start only ends then


def _date_after(text: str, at: int, hits: list[DateHit], reference: dt.date | None) -> dt.date | None:
    """Return the date written right after a time ("18:00 on 13 September"), else None."""
    for hit in hits:
        if hit.start >= at and _ON.match(text[at:hit.start]):
            return _materialise(hit, reference, reference.year if reference else None)
    return None


def resolve_window(text: str, attack_date: dt.date | None) -> tuple[dt.datetime, dt.datetime] | None:
    """Return the time window a report states for its attack ("from 18:00 on 13 September [to 09:00 on 14
    September]"), local time, or None when it states no start time.

    A start without a date is on the day before the attack date (at or after noon) or on it (before noon); an end
    not stated is the next REPORT_HOUR (09:00) after the start, when the Air Force reports the night. A window
    that does not end on the attack date or the day after, or ends before it starts, is not trusted (None).
    """
    hits = find_dates(text)
    for match in _WINDOW_START.finditer(text):
        hour, minute = int(match["h"]), int(match["m"])
        day = _date_after(text, match.end(), hits, attack_date)
        if day is None:
            if attack_date is None:
                continue
            day = attack_date - dt.timedelta(days=1) if hour >= 12 else attack_date
        start = dt.datetime.combine(day, dt.time(hour, minute))
        end = None
        tail = text[match.end():match.end() + 60]
        following = next((h for h in hits if h.start >= match.end() and _ON.match(text[match.end():h.start])), None)
        offset = following.end - match.end() if following is not None and following.start - match.end() < 20 else 0
        if (stop := _WINDOW_END.match(tail[offset:])) is not None:
            end_day = _date_after(text, match.end() + offset + stop.end(), hits, attack_date)
            end_time = dt.time(int(stop["h"]), int(stop["m"]))
            end = dt.datetime.combine(end_day or start.date(), end_time)
            if end_day is None and end <= start:
                end += dt.timedelta(days=1)
        if end is None:
            end = dt.datetime.combine(start.date(), dt.time(REPORT_HOUR))
            if end <= start:
                end += dt.timedelta(days=1)
        if end <= start or (attack_date is not None and end.date() not in (attack_date,
                                                                              attack_date + dt.timedelta(days=1))):
            return None
        return start, end
    return None


NIGHT_START_HOUR = 18  # the Air Force's night reports run from 18:00 to the morning report (REPORT_HOUR)
# Words that place an attack at night: "overnight", "last night", "the night of", "night attack"; "вночі", "уночі",
# "у ніч на", "протягом ночі", "нічна атака". Daytime words next to them make the text cover more than a night.
_NIGHT = re.compile(r"\b(?:over\s?night|night)\b|(?<!\w)(?:у?вночі|уночі|(?:у|в)\s+ніч|ночі|нічн\w*)(?!\w)",
                    re.IGNORECASE)
_DAYTIME = re.compile(r"\b(?:during\s+the\s+day|daytime|in\s+the\s+(?:afternoon|daytime)|this\s+afternoon)\b"
                  r"|(?<!\w)(?:вдень|удень|протягом\s+дня|по\s+обіді|денн\w*)(?!\w)", re.IGNORECASE)


def says_night(text: str) -> bool:
    """Return whether the text places its attack at night and nowhere in the day."""
    return _NIGHT.search(text) is not None and _DAYTIME.search(text) is None


def night_window(attack_date: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """Return the night ending on the morning of ``attack_date``: 18:00 the day before to 09:00 that day."""
    day_before = attack_date - dt.timedelta(days=1)
    return (dt.datetime.combine(day_before, dt.time(NIGHT_START_HOUR)),
            dt.datetime.combine(attack_date, dt.time(REPORT_HOUR)))

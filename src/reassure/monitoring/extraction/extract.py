"""Report-text extraction: English or Ukrainian text about an air attack → the JSON of DESIGN §4.

Pure and deterministic: regular expressions and word lists, no network, no models. What the text does
not state stays null; nothing is estimated.

How a text is read (details in the helper modules of this package):
- ``tokens``: normalise, split into sentences, tokenise (model names such as "Kh-101" are one
  token, dates are masked so their digits are never counts).
- ``numbers``: counts with qualifiers: "over/more than N" → at_least, "about/around/nearly N" → approx,
  "up to/no more than N" → at_most, "all 14" → 14 exact, number words ("twenty-three", "both",
  "a dozen" → 12 approx), ranges "between 40 and 50"/"40-50" → 40 at_least (see its docstring).
- ``engine``/``mentions``: weapon phrases and categories, and the cue that gives each
  count its field: launched; destroyed (shot down, downed, intercepted); suppressed (jammed,
  "locationally lost", lost from radar, "failed to reach their targets": losses not put down to a
  kinetic intercept, e.g. electronic warfare or decoys); neutralized ("shot down or suppressed",
  "intercepted or jammed", "neutralised"); impacted (weapon hits only: "hits by 19 UAVs" counts,
  "hit 14 locations" does not). Drones that "returned" to Russia are in no field.
- ``merge``: mentions → one entry per weapon.
- ``ukrainian``: Ukrainian lexicon and the Air Force "ЗНИЩЕНО" lists (destroyed only).
- ``dates``: the attack date ("overnight on 4 September", "On Sept. 4, 2025", "23.01.2024"):
  the first date in a sentence that carries counts, else the first date in the text, else ``date``.

No figure is invented: every count carries the spans of the original text that write it (``WeaponCounts.spans``,
an optional §4 key, docs/adr/0016); a figure the text does not write is left out: "all drones were downed" with no
number, "the rest were lost", "all but one of the 23", "most of the drones" (only the total is written). "All"
or "every one" without a number copies the launched figure it refers to, and points at it. Weapons are merged
by catalogue key (``monitoring.weapon_keys``: "шахедів" and "Shahed-136/131" are one weapon).

Attacker and defender are Russia and Ukraine unless the counted weapons are called Ukrainian (Russian
ministry reports); ``reported_by`` is the argument, else the issuer the text names, else null.
"""

from __future__ import annotations

import datetime as dt
import re

from reassure.monitoring.extraction.dates import night_window, resolve_date, resolve_window, says_night
from reassure.monitoring.extraction.engine import Mention
from reassure.monitoring.extraction.lexicon import ENGLISH
from reassure.monitoring.extraction.mentions import extract_mentions
from reassure.monitoring.extraction.merge import merge_mentions
from reassure.monitoring.extraction.regions import extract_region_count, extract_regions
from reassure.monitoring.extraction.tokens import normalize_mapped
from reassure.monitoring.extraction.ukrainian import (
    UKRAINIAN,
    has_destroyed_list,
    is_morning_post,
    parse_destroyed_list,
)
from reassure.monitoring.report import AirAttackReport, ReportWindow

_REPORTERS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern, re.IGNORECASE), name)
    for pattern, name in (
        (
            r"(?:Ukraine's|Ukrainian)\s+air\s+force|air\s+force\s+of\s+the\s+armed\s+forces\s+of\s+Ukraine"
            r"|Повітрян\w+\s+Сил|Повітряне\s+командування|kpszsu|\bthe\s+air\s+force\s+(?:said|reported)",
            "Ukrainian Air Force",
        ),
        (
            r"Russia(?:'s|n)\s+(?:Ministry\s+of\s+)?Defen[cs]e(?:\s+Ministry)?|Ministry\s+of\s+Defen[cs]e\s+of\s+"
            r"the\s+Russian\s+Federation|Міноборони\s+(?:РФ|Росії)",
            "Russian Ministry of Defence",
        ),
        (
            r"Ministry\s+of\s+Defen[cs]e\s+of\s+Ukraine|Міністерство\s+оборони\s+України",
            "Ukrainian Ministry of Defence",
        ),
        (r"General\s+Staff|Генеральн\w+\s+штаб", "General Staff of the Armed Forces of Ukraine"),
    )
)


def detect_language(text: str) -> str:
    """Return "uk" when most letters of ``text`` are Cyrillic, else "en"."""
    words = (w for w in text.split() if not _LINK.search(w))  # per word: a regex over the text backtracked
    letters = [c for w in words for c in w if c.isalpha()]
    cyrillic = sum(1 for c in letters if "\u0400" <= c <= "\u04ff")
    return "uk" if letters and cyrillic / len(letters) > 0.4 else "en"


def detect_reporter(text: str) -> str | None:
    """Return who the text says issued the figures (the first such mention), else None."""
    found = [(m.start(), name) for pattern, name in _REPORTERS if (m := pattern.search(text))]
    return min(found)[1] if found else None


def _sides(mentions: list[Mention]) -> tuple[str, str]:
    """Return (attacker, defender): Russia on Ukraine unless the counted weapons are called Ukrainian."""
    nations = {m.phrase.nation for m in mentions if m.phrase.nation}
    if nations == {"UKR"}:
        return "UKR", "RUS"
    return "RUS", "UKR"


_LINK = re.compile(r"https?://|www\.")
MAX_REPORT_CHARS = 100_000  # an Air Force post is under 5,000 characters; a whole day's digest under 50,000


class ReportTooLong(ValueError):
    """A text too long to be one report; extraction is linear in its length, but refuses beyond this."""


def extract_report(text: str, *, date: dt.date | None = None, reported_by: str | None = None) -> AirAttackReport:
    """Extract the §4 air-attack report from English or Ukrainian report text (at most MAX_REPORT_CHARS), with the
    regions it names, the number of regions it states (extraction/regions.py) and its time window."""
    report = _extract_counts(text, date=date, reported_by=reported_by)
    report.regions = extract_regions(text)
    report.region_count = extract_region_count(text)
    report.window = report_window(text, report.date)
    return report


def report_window(text: str, attack_date: dt.date | None) -> ReportWindow | None:
    """Return the report's time window (docs/adr/0021): the one it states ("from 18:00 on 13 September"), else the
    night ending on the morning of its date when it says the attack was at night ("overnight", "вночі") or is the
    Air Force's morning post (a "ЗНИЩЕНО" list posted before noon), else None (the report is known by its date only)."""
    stated = resolve_window(text, attack_date)
    if stated is not None:
        return ReportWindow.of(stated[0], stated[1], "stated")
    if attack_date is not None and (says_night(text) or is_morning_post(text)):
        start, end = night_window(attack_date)
        return ReportWindow.of(start, end, "night")
    return None


def _extract_counts(text: str, *, date: dt.date | None, reported_by: str | None) -> AirAttackReport:
    if len(text) > MAX_REPORT_CHARS:
        raise ReportTooLong(f"the text is {len(text):,} characters; one report is at most {MAX_REPORT_CHARS:,}")
    normal = normalize_mapped(text)
    reporter = reported_by or detect_reporter(normal.text)
    if has_destroyed_list(text):
        return AirAttackReport(
            reported_by=reporter or "Ukrainian Air Force",
            date=resolve_date(normal.text, [], date),
            weapons=parse_destroyed_list(normal),
        )
    lexicon = UKRAINIAN if detect_language(text) == "uk" else ENGLISH
    mentions, spans = extract_mentions(normal.text, lexicon)
    attacker, defender = _sides(mentions)
    return AirAttackReport(
        reported_by=reporter,
        attacker=attacker,
        defender=defender,
        date=resolve_date(normal.text, spans, date),
        weapons=merge_mentions(mentions, normal.original),
    )

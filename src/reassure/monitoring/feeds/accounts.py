"""One source's account of an incident, as importers build it, and the rule that finds the incident it is about.

Pure: the database side (domains/incidents) loads candidates, calls `match_accounts`, and writes. The rule is
documented in docs/adr/0004-incidents-and-dedup.md.
"""

from __future__ import annotations

import hashlib
import json
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from reassure.core.errors import Problem
from reassure.core.regions import region_code, same_region
from reassure.monitoring.feeds.csv_rows import CsvFile, Row
from reassure.monitoring.report import COUNT_FIELDS, QUALIFIER_RANK, Count, WeaponCounts
from reassure.monitoring.standing import compare

# An Air Force report dated D describes the night before it, so a window known only by its dates also
# matches from noon of the previous day.
DATE_ONLY_LEAD = timedelta(hours=12)
# Two stated (timed) windows are about the same attack only when they overlap over at least this share of the
# shorter one: a night report 18:00-09:00 and a morning strike 08:00-12:00 are two attacks (docs/adr/0017).
MIN_TIMED_COVER = 0.5


@dataclass
class Account:
    """What one source says about one incident: when, where, which weapons, how many, in its own words."""

    kind: str
    start: datetime
    end: datetime
    timed: bool  # False when the source gave dates only (start 00:00, end 23:59:59 of the last day)
    external_ref: str  # the source's own id for it: a CSV window or event id, a file name
    raw_text: str
    reliability: str
    credibility: int
    standing: str
    key: str | None = None  # natural key for a new incident, e.g. 'ucdp:147997'
    region: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    attacker: str | None = None
    defender: str | None = None
    description: str = ""
    reported_at: datetime | None = None
    reported_by: str | None = None
    fatalities: tuple[int | None, int | None, int | None] = (None, None, None)  # best, low, high
    weapons: list[WeaponCounts] = field(default_factory=list)
    weapon_refs: list[str | None] = field(default_factory=list)
    regions: list[str] = field(default_factory=list)  # ISO 3166-2:UA codes the source names (besides `region`)
    region_count: Count | None = None  # regions the source says were hit without naming them
    event_type: str | None = None  # UCDP's type of violence: state_based, non_state, one_sided
    # A text's window: "stated" times, or the "night" its words imply (timed, but never given to a dates-only
    # incident as its times); None for dates only and for a feed's own window (docs/adr/0021).
    window_basis: str | None = None

    def region_codes(self) -> list[str]:
        """Return the codes of every region the account names: its `regions`, else the code of its `region`."""
        if self.regions:
            return list(dict.fromkeys(self.regions))
        code = region_code(self.region)
        return [code] if code else []

    def digest(self) -> str:
        """Return a fingerprint of what the source said (text and window): equal means nothing new."""
        payload = json.dumps([self.raw_text, self.start.isoformat(), self.end.isoformat(), self.timed])
        return hashlib.sha256(payload.encode("utf-8")).hexdigest()

    def match_window(self) -> tuple[datetime, datetime]:
        """Return the window used for matching (a dates-only window reaches back to the previous noon)."""
        return window_for_matching(self.start, self.end, self.timed)

    def launched_by_category(self) -> dict[str, Count]:
        """Return the launched count per weapon category, summed over lines."""
        return launched_by_category(self.weapons)


@dataclass
class ParsedFeed:
    """The accounts read from a feed file, the rows that could not be read, and how many rows there were."""

    origin: str
    accounts: list[Account] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    rows: int = 0
    lines: int = 0  # weapon lines (air attacks) or events (UCDP) in the accounts

    def readable(self, feed: CsvFile, on_row: Callable[[int, int], None] | None) -> Iterator[tuple[Row, str]]:
        """Yield each readable row with its place ('row N'); count every row, report progress, keep problems."""
        for item in feed.rows():
            self.rows += 1
            if on_row is not None and self.rows % 250 == 0:
                on_row(self.rows, feed.rows_expected)
            if isinstance(item, Problem):
                self.problems.append(item)
                continue
            yield item, f"row {item.number}"
        if on_row is not None:
            on_row(self.rows, self.rows)

    def reject(self, where: str, column: str, message: str) -> None:
        """Record a row that cannot be imported, naming its column and the reason."""
        self.problems.append(Problem(self.origin, where, column, message))


@dataclass(frozen=True)
class Candidate:
    """An incident already stored that a new account might be about."""

    id: int
    kind: str
    start: datetime
    end: datetime
    timed: bool
    region: str | None
    rel_to: str
    sources: frozenset[str]


def window_for_matching(start: datetime, end: datetime, timed: bool) -> tuple[datetime, datetime]:
    """Return the window used for matching: as given when timed, else from noon of the day before."""
    return (start, end) if timed else (start - DATE_ONLY_LEAD, end)


def overlap_seconds(a: tuple[datetime, datetime], b: tuple[datetime, datetime]) -> float | None:
    """Return how long two closed windows overlap (0 when they touch), or None when they are apart."""
    gap = (min(a[1], b[1]) - max(a[0], b[0])).total_seconds()
    return gap if gap >= 0 else None


def launched_by_category(weapons: list[WeaponCounts]) -> dict[str, Count]:
    """Sum launched per category; the sum is exact only when every part is, else it takes the loosest part."""
    sums: dict[str, list[Count]] = {}
    for line in weapons:
        if line.launched is not None:
            sums.setdefault(line.category, []).append(line.launched)
    out = {}
    for category, counts in sums.items():
        loosest = min(counts, key=lambda c: QUALIFIER_RANK[c.qualifier]).qualifier
        out[category] = Count(value=sum(c.value for c in counts), qualifier=loosest)
    return out


def figures_agree(a: Mapping[str, Count], b: Mapping[str, Count]) -> int:
    """Score how far two accounts' launched figures agree: +1 per shared category that agrees within the tolerance
    of monitoring/standing.py, -1 per conflict, 0 when merely compatible ("over 100" and 112)."""
    score = 0
    for category in set(a) & set(b):
        verdict = compare(a[category], b[category])
        score += 1 if verdict == "agree" else -1 if verdict == "conflict" else 0
    return score


def window_fit(a: tuple[datetime, datetime], b: tuple[datetime, datetime]) -> float:
    """Return how well two windows fit: their overlap over their union (1 = the same window, 0 = apart)."""
    overlap = (min(a[1], b[1]) - max(a[0], b[0])).total_seconds()
    union = (max(a[1], b[1]) - min(a[0], b[0])).total_seconds()
    return max(0.0, overlap) / union if union > 0 else 1.0


@dataclass(frozen=True)
class MatchRules:
    """How one import matches: its source, marking, and whether the source lists each incident once."""

    source_id: str
    rel_to: str
    one_report_per_incident: bool  # datasets (CSV rows, UCDP events): never two of their records on one incident


def paired_windows(account: Account, candidate: Candidate) -> tuple[tuple[datetime, datetime],
                                                                     tuple[datetime, datetime]]:
    """Return the account's and the candidate's windows as matching compares them (docs/adr/0021).

    A window known by its dates reaches back to noon of the day before (an Air Force report dated D describes the
    night before it) only against another dates-only window; against an incident whose times are known, a report
    of dates only is its calendar days, so it never joins an attack that happened wholly outside them (the
    afternoon before). A report that says "overnight" is timed with the night it implies, so it is matched as one.
    """
    if candidate.timed and not account.timed:
        return (account.start, account.end), (candidate.start, candidate.end)
    return account.match_window(), window_for_matching(candidate.start, candidate.end, candidate.timed)


def eligible(account: Account, candidate: Candidate, rules: MatchRules) -> float | None:
    """Return the overlap in seconds if a candidate may be the account's incident, else None."""
    if candidate.kind != account.kind or not same_region(candidate.region, account.region):
        return None
    if candidate.rel_to != rules.rel_to and candidate.rel_to != "PUBLIC":
        return None  # never attach to an incident some readers of this report may not see
    if rules.one_report_per_incident and rules.source_id in candidate.sources:
        return None
    mine, theirs = paired_windows(account, candidate)
    overlap = overlap_seconds(mine, theirs)
    if overlap is not None and account.timed and candidate.timed:
        shorter = min((mine[1] - mine[0]).total_seconds(), (theirs[1] - theirs[0]).total_seconds())
        if shorter > 0 and overlap < MIN_TIMED_COVER * shorter:
            return None  # two stated windows that barely touch: two attacks
    return overlap


def match_accounts(accounts: list[Account], candidates: list[Candidate], rules: MatchRules,
                   figures: Callable[[int], Mapping[str, Count]]) -> list[int | None]:
    """Return, per account, the id of the stored incident it is about, or None for a new incident.

    A candidate qualifies on kind, compatible region, marking and overlapping window (see eligible). Among
    several, the best agrees most on launched figures, then fits best in time (overlap over union, so a stated
    night prefers the stated night to a whole day known only by its date), then starts nearest. When the
    source lists each incident once, pairs are taken best first so no incident gets two of its records.
    """
    index = _WindowIndex(candidates)
    pairs: list[tuple[tuple[int, float, float], int, int]] = []
    cache: dict[int, Mapping[str, Count]] = {}
    for i, account in enumerate(accounts):
        found = [(c, o) for c in index.near(account.match_window())
                 if (o := eligible(account, c, rules)) is not None]
        # Figures rank even a lone candidate: matches are taken best first across all accounts, so an
        # account whose figures fit must beat one that merely overlaps longer.
        mine = account.launched_by_category() if found else {}
        for candidate, _overlap in found:
            fit = window_fit(*paired_windows(account, candidate))
            agree = 0
            if mine:
                if candidate.id not in cache:
                    cache[candidate.id] = figures(candidate.id)
                agree = figures_agree(mine, cache[candidate.id])
            nearness = -abs((candidate.start - account.start).total_seconds())
            pairs.append(((agree, fit, nearness), i, candidate.id))
    pairs.sort(key=lambda p: (p[0], -p[1], -p[2]), reverse=True)
    chosen: list[int | None] = [None] * len(accounts)
    taken: set[int] = set()
    for _score, i, candidate_id in pairs:
        if chosen[i] is not None or (rules.one_report_per_incident and candidate_id in taken):
            continue
        chosen[i] = candidate_id
        taken.add(candidate_id)
    return chosen


class _WindowIndex:
    """Candidates sorted by start, to find those near a window without scanning them all."""

    def __init__(self, candidates: list[Candidate]) -> None:
        self.items = sorted(candidates, key=lambda c: (c.start, c.id))
        self.starts = [window_for_matching(c.start, c.end, c.timed)[0] for c in self.items]
        spans = [c.end - s for c, s in zip(self.items, self.starts, strict=True)]
        self.longest = max(spans, default=timedelta(0))

    def near(self, window: tuple[datetime, datetime]) -> list[Candidate]:
        """Return the candidates whose matching window may overlap the given one."""
        low = bisect_left(self.starts, window[0] - self.longest)
        high = bisect_right(self.starts, window[1])
        return self.items[low:high]


def count_columns(line: WeaponCounts) -> dict[str, int | str | None]:
    """Return a weapon line's counts as columns: launched, launched_q, destroyed, destroyed_q, ..."""
    out: dict[str, int | str | None] = {}
    for name in COUNT_FIELDS:
        count = line.count(name)
        out[name] = None if count is None else count.value
        out[f"{name}_q"] = None if count is None else count.qualifier
    return out

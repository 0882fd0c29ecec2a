"""Read the "Massive Missile Attacks on Ukraine" per-attack CSV into accounts: one per attack window.

Each row is one weapon model in one attack window (time_start → time_end). Rows of the same window are one
incident, and so are rows of one Air Force post with the same start (a post gives drones and missiles
different end times); the incident spans its rows' windows, is reported once by the dataset, and has one
weapon line per row. `not_reach_goal` (lost, e.g. to
electronic warfare) is the §4 `suppressed`; `neutralized` is left unreported because the file does not
state it (indicators derive it from destroyed + suppressed). Every figure is the Air Force's own claim.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from reassure.core.regions import normalise_region, region_code
from reassure.monitoring.feeds.accounts import Account, ParsedFeed
from reassure.monitoring.feeds.csv_rows import (
    CellError,
    CsvFile,
    Row,
    RowError,
    Stamp,
    blank,
    parse_count,
    parse_stamp,
)
from reassure.monitoring.feeds.weapons import WeaponCatalogue
from reassure.monitoring.report import Count, WeaponCounts, inconsistency

SOURCE_ID = "mmau"
SOURCE = {
    "id": SOURCE_ID,
    "publisher": "Ukrainian Air Force Command, digitised by Petro Ivaniuk (Kaggle piterfm)",
    "title": "Massive Missile Attacks on Ukraine: missiles and drones launched and destroyed per attack",
    "locator": "https://www.kaggle.com/datasets/piterfm/massive-missile-attacks-on-ukraine",
    "reliability": "B",
    "notes": "One side's claims (the defender's air force), digitised from its posts; attribution required.",
}
GRADE = ("B", 2)  # an official body usually right about its own intercepts; the figures are probably true
STANDING = "unconfirmed"  # one party's claims, not independently verified
REQUIRED = ("time_start", "time_end", "model", "launched", "destroyed")


@dataclass
class _Line:
    row: Row
    start: Stamp
    end: Stamp
    weapon: WeaponCounts
    target: str | None
    post: str | None


def read_air_attacks(path: Path, catalogue: WeaponCatalogue,
                     on_row: Callable[[int, int], None] | None = None) -> ParsedFeed:
    """Read the CSV; rows that cannot be read become problems naming the row and the reason."""
    feed = CsvFile(path, REQUIRED)
    parsed = ParsedFeed(feed.origin)
    lines: list[_Line] = []
    for item, where in parsed.readable(feed, on_row):
        try:
            lines.append(_read_row(item, catalogue))
        except RowError as error:
            parsed.reject(where, error.column, str(error))
    for group in _attacks(lines):
        parsed.accounts.append(_account(group, feed.header_line))
        parsed.lines += len(group)
    return parsed


def _cell(row: Row, column: str) -> str:
    return row.cells.get(column, "") or ""


def _read_row(row: Row, catalogue: WeaponCatalogue) -> _Line:
    stamps: dict[str, Stamp] = {}
    for column in ("time_start", "time_end"):
        if blank(_cell(row, column)):
            raise RowError(column, "missing: every row needs the attack window")
        try:
            stamps[column] = parse_stamp(_cell(row, column), end=column == "time_end")
        except CellError as error:
            raise RowError(column, str(error)) from None
    start, end = stamps["time_start"], stamps["time_end"]
    if end.at < start.at:
        raise RowError("time_end", f"the window ends ({end.text()}) before it starts ({start.text()})")
    model = " ".join(_cell(row, "model").split())
    if not model:
        raise RowError("model", "missing: every row names a weapon model")
    category = catalogue.category_of(model)
    if category is None:
        raise RowError("model", f"unknown weapon model {model!r}: not in {catalogue.origin} and no keyword "
                                 "matches (add it to the weapon table, --weapons FILE)")
    counts = {}
    for column, name in (("launched", "launched"), ("destroyed", "destroyed"), ("not_reach_goal", "suppressed")):
        try:
            value = parse_count(row.cells.get(column))
        except CellError as error:
            raise RowError(column, str(error)) from None
        counts[name] = None if value is None else Count(value=value, qualifier="exact")
    weapon = WeaponCounts(category=category, model=model, **counts)  # type: ignore[arg-type]
    if (why := inconsistency(weapon)) is not None:
        raise RowError("destroyed", f"the figures contradict each other: {why}")
    target = None if blank(_cell(row, "target")) else _cell(row, "target").strip()
    post = None if blank(_cell(row, "source")) else _cell(row, "source").strip()
    return _Line(row, start, end, weapon, target, post)


def _attacks(lines: list[_Line]) -> list[list[_Line]]:
    """Group lines that share a window, or a post and a start; keep the file's order."""
    parent = list(range(len(lines)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    first_of: dict[tuple[str, ...], int] = {}
    for i, line in enumerate(lines):
        keys = [("window", line.start.text(), line.end.text())]
        if line.post:
            keys.append(("post", line.start.text(), line.post))
        for key in keys:
            j = first_of.setdefault(key, i)
            parent[root(i)] = root(j)
    groups: dict[int, list[_Line]] = {}
    for i, line in enumerate(lines):
        groups.setdefault(root(i), []).append(line)
    return list(groups.values())


def _account(lines: list[_Line], header: str) -> Account:
    first = min(lines, key=lambda line: (line.start.at, not line.start.timed))
    last = max(lines, key=lambda line: (line.end.at, line.end.timed))
    start, end = first.start.text(), last.end.text()
    regions = {normalise_region(line.target) for line in lines}
    models = ", ".join(dict.fromkeys(line.weapon.model or line.weapon.category for line in lines))
    targets = sorted({line.target for line in lines if line.target})
    description = f"Air attack ({models})" + (f"; target: {'; '.join(targets)}" if targets else "")
    return Account(
        kind="air_attack", start=first.start.at, end=last.end.at, timed=first.start.timed,
        external_ref=f"{start}/{end}", key=f"{SOURCE_ID}:{start}/{end}".replace(" ", "T"),
        raw_text="\n".join([header, *(line.row.raw for line in lines)]),
        reliability=GRADE[0], credibility=GRADE[1], standing=STANDING,
        region=regions.pop() if len(regions) == 1 else None, attacker="RUS", defender="UKR",
        description=description[:2000], reported_by="Ukrainian Air Force",
        weapons=[line.weapon for line in lines], weapon_refs=[line.post for line in lines],
        regions=_target_regions(targets),
    )


def _target_regions(targets: list[str]) -> list[str]:
    """Return the codes of the regions the rows' targets name ('Odesa oblast and Mykolaiv oblast' names two)."""
    codes = (region_code(part) for target in targets for part in re.split(r"\s+and\s+|,", target))
    return list(dict.fromkeys(c for c in codes if c))

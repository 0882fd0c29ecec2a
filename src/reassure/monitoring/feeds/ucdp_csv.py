"""Read UCDP GED events (Ukraine extract) into accounts: one incident per event, graded from UCDP's own codes.

Kinds: state-based (1) and non-state (2) violence count as `ceasefire_violation`, as an analogue of the
incidents a monitoring mission would log under a ceasefire; one-sided violence (3) is `other`.

Grade: UCDP is a research programme coding events from media reports with a published method, so its
reliability is B. Credibility comes from the event's codes:
1 — two or more sources, clear event (event_clarity 1), place to a locality (where_prec 1-3), date to a few
    days (date_prec 1-3), code_status Clear;
2 — clear event, place to at most a second-order area (where_prec 1-4), date to a few days, status Clear;
3 — otherwise (unclear event, place only to an oblast or the country, date to a week or more, or a status
    UCDP itself flags for checking).
Standing is `verified` when credibility is 1-2 or two or more sources report the event, else `unconfirmed`.
Fatalities: best, low, high as given; a range that does not hold its best estimate (a few candidate events
have high 0) keeps only the best estimate, and the raw row keeps the original.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from reassure.core.grading import AdmiraltyGrade, standing_for
from reassure.core.regions import normalise_region
from reassure.monitoring.feeds.accounts import Account, ParsedFeed
from reassure.monitoring.feeds.csv_rows import (
    CellError,
    CsvFile,
    Row,
    RowError,
    blank,
    day_end,
    day_start,
    parse_count,
    parse_day,
    parse_float,
)

SOURCE_ID = "ucdp-ged"
SOURCE = {
    "id": SOURCE_ID,
    "publisher": "Uppsala Conflict Data Program (UCDP)",
    "title": "UCDP Georeferenced Event Dataset (GED), Ukraine events 2014-2023",
    "locator": "https://ucdp.uu.se/downloads/ (CC BY 4.0)",
    "reliability": "B",
    "notes": "CC BY 4.0. Cite: Sundberg, R. & Melander, E. (2013) Introducing the UCDP Georeferenced Event "
             "Dataset, Journal of Peace Research 50(4). 2022-23 rows are UCDP Candidate (preliminary) events.",
}
RELIABILITY = "B"
KINDS = {"1": "ceasefire_violation", "2": "ceasefire_violation", "3": "other"}
EVENT_TYPES = {"1": "state_based", "2": "non_state", "3": "one_sided"}  # UCDP's own type, kept on the incident
REQUIRED = ("id", "type_of_violence", "date_start", "date_end", "best", "low", "high", "where_prec",
            "event_clarity", "number_of_sources")


def credibility_for(*, sources: int, clarity: int, where_prec: int, date_prec: int, status: str) -> int:
    """Return the information credibility (1-3) of a UCDP event from its codes (see the module docstring)."""
    checked = status.strip().lower() in ("", "clear")
    if clarity == 1 and where_prec <= 4 and date_prec <= 3 and checked:
        return 1 if sources >= 2 and where_prec <= 3 else 2
    return 3


def read_ucdp(path: Path, on_row: Callable[[int, int], None] | None = None) -> ParsedFeed:
    """Read the events; rows that cannot be read become problems naming the row and the reason."""
    feed = CsvFile(path, REQUIRED)
    parsed = ParsedFeed(feed.origin)
    seen: dict[str, int] = {}
    for item, where in parsed.readable(feed, on_row):
        try:
            account = _account(item, feed.header_line)
        except RowError as error:
            parsed.reject(where, error.column, str(error))
            continue
        ref = account.external_ref
        if ref in seen:
            parsed.reject(where, "id", f"event {ref} already given in row {seen[ref]}")
            continue
        seen[account.external_ref] = item.number
        parsed.accounts.append(account)
        parsed.lines += 1
    return parsed


def _get(row: Row, column: str) -> str:
    return (row.cells.get(column) or "").strip()


def _number(row: Row, column: str, *, required: bool = True) -> int | None:
    try:
        value = parse_count(row.cells.get(column))
    except CellError as error:
        raise RowError(column, str(error)) from None
    if value is None and required:
        raise RowError(column, "missing: expected a whole number")
    return value


def _account(row: Row, header: str) -> Account:
    event_id = _get(row, "id")
    if not event_id:
        raise RowError("id", "missing: every event has a UCDP id")
    if not event_id.isdigit() or len(event_id) > 12:
        raise RowError("id", f"a UCDP event id is a whole number, got {event_id[:40]!r}")
    kind = KINDS.get(_get(row, "type_of_violence"))
    if kind is None:
        raise RowError("type_of_violence", f"expected 1, 2 or 3, got {_get(row, 'type_of_violence')!r}")
    try:
        first, last = parse_day(_get(row, "date_start")), parse_day(_get(row, "date_end"))
    except CellError as error:
        raise RowError("date_start/date_end", str(error)) from None
    if last < first:
        raise RowError("date_end", f"the event ends ({last}) before it starts ({first})")
    best, low, high = (_number(row, c) for c in ("best", "low", "high"))
    assert best is not None and low is not None and high is not None
    if not low <= best <= high:
        low = high = None  # UCDP's range is inconsistent (e.g. high 0); the raw text keeps it as given
    codes = {c: _number(row, c) or 0 for c in ("number_of_sources", "event_clarity", "where_prec")}
    date_prec = _number(row, "date_prec", required=False) or 1
    try:
        latitude = parse_float(row.cells.get("latitude"), low=-90, high=90)
        longitude = parse_float(row.cells.get("longitude"), low=-180, high=180)
    except CellError as error:
        raise RowError("latitude/longitude", str(error)) from None
    credibility = credibility_for(sources=codes["number_of_sources"], clarity=codes["event_clarity"],
                                  where_prec=codes["where_prec"], date_prec=date_prec,
                                  status=_get(row, "code_status"))
    standing = standing_for(AdmiraltyGrade(RELIABILITY, credibility),
                            corroborating_sources=codes["number_of_sources"])
    place = ", ".join(p for p in (_get(row, "where_description"), _get(row, "adm_2")) if p and not blank(p))
    description = " — ".join(p for p in (_get(row, "dyad_name") or _get(row, "conflict_name"), place) if p)
    return Account(
        kind=kind, start=day_start(first), end=day_end(last), timed=False, external_ref=event_id,
        key=f"ucdp:{event_id}", raw_text=f"{header}\n{row.raw}", reliability=RELIABILITY, credibility=credibility,
        standing=standing.value, region=normalise_region(_get(row, "adm_1") or None), latitude=latitude,
        longitude=longitude, attacker=_get(row, "side_a") or None, defender=_get(row, "side_b") or None,
        description=description[:2000], reported_by="UCDP", fatalities=(best, low, high),
        event_type=EVENT_TYPES[_get(row, "type_of_violence")],
    )

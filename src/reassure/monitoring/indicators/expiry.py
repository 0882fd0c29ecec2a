"""The `expiring` indicator (pure): per period, how many pledges and legal instruments lapse or must be renewed
within a number of days of the period's last day (docs/adr/0043). Its input is the registry's dates, not incidents:
every period is fully covered (the registry is one list, read whole), so a count of 0 means none, never no data."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

import polars as pl

from reassure.core.expiry import EXPIRING, Expiry
from reassure.monitoring.indicators.series import SERIES_SCHEMA

__all__ = ["EXPIRING", "LOOK_BACK_DAYS", "Expiry", "expiring_series"]
LOOK_BACK_DAYS = 400  # the series reaches this far before its end (a rule looks at its last periods)


def expiring_series(expiries: Sequence[Expiry], every: str, *, end: datetime, within_days: int = 90,
                    start: datetime | None = None) -> pl.DataFrame:
    """Return one row per complete period ending by `end` (exclusive) from `start` (default: LOOK_BACK_DAYS before):
    `value` counts the expiries on or after the period's last day and at most `within_days` after it, with their
    keys in `incident_ids` (the evidence of a condition)."""
    begin = start or end - timedelta(days=LOOK_BACK_DAYS)
    first = pl.select(pl.lit(begin).dt.truncate(every)).item()
    starts = pl.datetime_range(first, end, every, eager=True, time_unit="us")
    rows = []
    for s in starts:
        e = pl.select(pl.lit(s).dt.offset_by(every)).item()
        if e > end:
            break
        last_day = (e - timedelta(days=1)).date()
        hits = sorted({x.key for x in expiries if last_day <= x.on <= last_day + timedelta(days=within_days)})
        days = (e - s).days
        rows.append({"period_start": s, "period_end": e, "value": float(len(hits)), "n_incidents": len(hits),
                     "n_reporting": len(hits), "incident_ids": hits, "days": days, "covered_days": days,
                     "coverage": "full"})
    return pl.DataFrame(rows, schema=SERIES_SCHEMA)

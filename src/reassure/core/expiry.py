"""A dated end in the registry, as the `expiring` indicator counts it (monitoring/indicators/expiry.py): kept here,
without polars, so that the registry's readers (services/renewals) load without the monitor (docs/adr/0043)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

EXPIRING = "expiring"  # the indicator's name (monitoring/indicators/series.py INDICATORS registers it)


@dataclass(frozen=True)
class Expiry:
    """A record's label (what people read) and the day it lapses or must be renewed."""

    key: str
    on: date

"""Builders shared by the rule tests: daily incident frames, series frames and one-condition rules."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import Any

import polars as pl

from reassure.monitoring.indicators.frame import build_incident_frame
from reassure.rules.model import Rule

DAY0 = date(2025, 1, 6)  # a Monday, so weeks line up with the data


def at(day: int, hour: int = 12) -> datetime:
    """Return the datetime of day `day` after DAY0 at an hour."""
    return datetime.combine(DAY0, datetime.min.time()) + timedelta(days=day, hours=hour)


def daily_attacks(launched: Sequence[int | None], **extra: Any) -> pl.DataFrame:
    """Build one drone attack per day with the given launched counts (0 means no attack that day)."""
    rows = []
    for i, n in enumerate(launched):
        if n == 0:
            continue
        rows.append({"incident_id": f"A{i:04d}", "start": at(i), "category": "drone", "launched": n, **extra})
    # An anchor row on the last day keeps the grid reaching the end of the sequence.
    rows.append({"incident_id": "ANCHOR", "kind": "other", "start": at(len(launched) - 1, 23)})
    return build_incident_frame(rows)


def series_frame(values: Sequence[float | None]) -> pl.DataFrame:
    """Build an indicator series frame (period_start, value) with one row per day."""
    return pl.DataFrame(
        {"period_start": [at(i, 0) for i in range(len(values))], "value": list(values)},
        schema={"period_start": pl.Datetime("us"), "value": pl.Float64},
    )


def one_condition_rule(kind: str = "alert", **condition: Any) -> Rule:
    """Build a rule with a single condition."""
    return Rule.model_validate(
        {
            "id": "test-rule",
            "name": "Test rule",
            "kind": kind,
            "description": "Illustrative test rule.",
            "action": "Do something.",
            "conditions": [{"id": "c", **condition}],
        }
    )

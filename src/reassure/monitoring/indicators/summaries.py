"""Indicators over incident frames: counts, interception rates, rolling means, quiet spells, violations.

Null counts mean "not reported" and are never read as zero: every sum comes with the number of rows that
reported it (`<column>_reported`), and a sum over rows none of which reported is null.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

import polars as pl

from reassure.monitoring.indicators.frame import cutoff_for, to_lazy, with_effective_neutralized
from reassure.monitoring.indicators.rates import rate_expr, wilson_exprs
from reassure.monitoring.indicators.selection import (
    MEASURES,
    RATE_BASES,
    Selector,
    as_list,
    group_frame,
    incident_totals,
    period_start_expr,
    reported_sum,
    select_rows,
)
from reassure.monitoring.indicators.series import INDICATORS, IndicatorSpec, indicator_series

__all__ = [
    "INDICATORS",
    "IndicatorSpec",
    "counts_by_period",
    "days_since_last_attack",
    "indicator_series",
    "interception_rates",
    "rolling_mean",
    "violations_per_week",
]

Frame = pl.DataFrame | pl.LazyFrame


def counts_by_period(
    df: Frame,
    every: str | None = "1d",
    by: Sequence[str] = ("region", "category"),
    *,
    kind: Selector = "air_attack",
    category: Selector = None,
    region: Selector = None,
) -> pl.DataFrame:
    """Sum launched, destroyed, suppressed, neutralized, impacted and fatalities per period and group."""
    lf = with_effective_neutralized(select_rows(to_lazy(df), kind=kind, category=category, region=region))
    keys: list[pl.Expr | str] = ([period_start_expr(every)] if every else []) + list(by)
    aggs = [
        pl.len().cast(pl.Int64).alias("n_rows"),
        pl.col("incident_id").n_unique().cast(pl.Int64).alias("n_incidents"),
    ]
    for column in MEASURES:
        aggs.extend(reported_sum(column))
    return group_frame(lf, keys, aggs).collect()


def interception_rates(
    df: Frame,
    every: str | None = "1w",
    by: Sequence[str] = (),
    confidence: float = 0.95,
    *,
    category: Selector = None,
    region: Selector = None,
) -> pl.DataFrame:
    """Compute destroyed/launched and neutralized/launched per period with Wilson intervals.

    Each rate uses only rows that report both launched and its numerator (`<basis>_rows`); each weapon
    counts as one trial, so the intervals are optimistic when outcomes within an attack are correlated.
    """
    lf = select_rows(to_lazy(df), kind="air_attack", category=category, region=region)
    lf = with_effective_neutralized(lf)
    keys: list[pl.Expr | str] = ([period_start_expr(every)] if every else []) + list(by)
    aggs: list[pl.Expr] = []
    for basis in RATE_BASES:
        paired = pl.col("launched").is_not_null() & pl.col(basis).is_not_null()
        aggs += [
            pl.col("launched").filter(paired).sum().alias(f"{basis}_launched"),
            pl.col(basis).filter(paired).sum().alias(basis),
            paired.sum().cast(pl.Int64).alias(f"{basis}_rows"),
        ]
    out = group_frame(lf, keys, aggs)
    rate_columns: list[pl.Expr] = []
    for basis in RATE_BASES:
        k, n = pl.col(basis), pl.col(f"{basis}_launched")
        low, high = wilson_exprs(k, n, confidence)
        rate_columns += [
            rate_expr(k, n).alias(f"{basis}_rate"),
            low.alias(f"{basis}_low"),
            high.alias(f"{basis}_high"),
        ]
    return out.with_columns(rate_columns).collect()


def rolling_mean(
    series_df: pl.DataFrame,
    column: str = "value",
    window: int = 7,
    *,
    by: Sequence[str] = (),
    min_periods: int = 1,
    exclude_current: bool = False,
) -> pl.DataFrame:
    """Add `<column>_mean<window>`: the mean over the last window periods (before this one if excluded)."""
    if window < 1:
        raise ValueError(f"window must be at least 1, got {window}")
    expr = pl.col(column).cast(pl.Float64)
    if exclude_current:
        expr = expr.shift(1)
    expr = expr.rolling_mean(window_size=window, min_samples=min(min_periods, window))
    if by:
        expr = expr.over(list(by))
    return series_df.sort([*by, "period_start"]).with_columns(expr.alias(f"{column}_mean{window}"))


def days_since_last_attack(
    df: Frame,
    threshold: float = 0,
    as_of: date | datetime | None = None,
    *,
    category: Selector = None,
    region: Selector = None,
    measure: str = "launched",
) -> pl.DataFrame:
    """Return one row: the last attack with more than threshold weapons before as_of and the days since."""
    lf = to_lazy(df)
    if as_of is None:
        latest = lf.select(pl.col("start").max()).collect().item()
        as_of = latest.date() if latest is not None else date.today()
    cutoff = cutoff_for(as_of)
    attacks = incident_totals(
        lf.filter(pl.col("start") < cutoff), category=category, region=region, measure=measure
    ).filter(pl.col("total") > threshold)
    last = attacks.sort(["start", "incident_id"]).tail(1).collect()
    as_of_day = as_of.date() if isinstance(as_of, datetime) else as_of
    row: dict[str, object] = {
        "as_of": as_of_day,
        "threshold": float(threshold),
        "category": ",".join(as_list(category) or ["any"]),
        "last_attack_start": None,
        "incident_id": None,
        "value": None,
        "days_since": None,
    }
    if last.height:
        start_at: datetime = last["start"][0]
        row |= {
            "last_attack_start": start_at,
            "incident_id": last["incident_id"][0],
            "value": last["total"][0],
            "days_since": (as_of_day - start_at.date()).days,
        }
    schema: dict[str, pl.DataType] = {
        "as_of": pl.Date(),
        "threshold": pl.Float64(),
        "category": pl.Utf8(),
        "last_attack_start": pl.Datetime("us"),
        "incident_id": pl.Utf8(),
        "value": pl.Int64(),
        "days_since": pl.Int64(),
    }
    return pl.DataFrame([row], schema=schema)


def violations_per_week(
    df: Frame, *, region: Selector = None, end: date | datetime | None = None
) -> pl.DataFrame:
    """Count ceasefire-violation incidents per week (weeks without any report count zero)."""
    return indicator_series(df, "violations", "1w", end=end, region=region)

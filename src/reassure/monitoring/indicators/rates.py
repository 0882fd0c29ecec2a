"""Proportions with Wilson score intervals, for scalars and as polars expressions."""

from __future__ import annotations

import math
from statistics import NormalDist

import polars as pl


def z_value(confidence: float) -> float:
    """Return the two-sided standard normal quantile for a confidence level in (0, 1)."""
    if not 0.0 < confidence < 1.0:
        raise ValueError(f"confidence must be strictly between 0 and 1, got {confidence}")
    return NormalDist().inv_cdf(1.0 - (1.0 - confidence) / 2.0)


def wilson_interval(successes: int, trials: int, confidence: float = 0.95) -> tuple[float, float] | None:
    """Return the Wilson score interval for successes out of trials, or None when there are no trials."""
    if trials < 0 or successes < 0 or successes > trials:
        raise ValueError(f"need 0 <= successes <= trials, got {successes}/{trials}")
    if trials == 0:
        return None
    z = z_value(confidence)
    p = successes / trials
    z2n = z * z / trials
    centre = (p + z2n / 2.0) / (1.0 + z2n)
    half = z * math.sqrt(p * (1.0 - p) / trials + z * z / (4.0 * trials * trials)) / (1.0 + z2n)
    return max(0.0, centre - half), min(1.0, centre + half)


def wilson_exprs(successes: pl.Expr, trials: pl.Expr, confidence: float = 0.95) -> tuple[pl.Expr, pl.Expr]:
    """Return (low, high) expressions of the Wilson interval; null where trials is 0 or null.

    Successes above trials (a reporting inconsistency) are clipped to trials for the interval only.
    """
    z = z_value(confidence)
    n = trials.cast(pl.Float64)
    k = pl.min_horizontal(successes.cast(pl.Float64), n)
    p = k / n
    z2n = (z * z) / n
    centre = (p + z2n / 2.0) / (1.0 + z2n)
    half = z * (p * (1.0 - p) / n + (z * z) / (4.0 * n * n)).sqrt() / (1.0 + z2n)
    valid = trials.is_not_null() & (trials > 0) & successes.is_not_null()
    low = pl.when(valid).then(pl.max_horizontal(centre - half, pl.lit(0.0))).otherwise(None)
    high = pl.when(valid).then(pl.min_horizontal(centre + half, pl.lit(1.0))).otherwise(None)
    return low, high


def rate_expr(successes: pl.Expr, trials: pl.Expr) -> pl.Expr:
    """Return successes / trials as Float64, null where trials is 0 or null."""
    return pl.when(trials > 0).then(successes.cast(pl.Float64) / trials.cast(pl.Float64)).otherwise(None)

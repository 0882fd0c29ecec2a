"""Shared pieces of the indicators: periods, row selection, reported sums and per-incident totals."""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl

from reassure.core.regions import region_codes, region_label
from reassure.monitoring.indicators.frame import (
    CATEGORIES,
    CATEGORY_GROUPS,
    COUNT_COLUMNS,
    KINDS,
    with_effective_neutralized,
)

Selector = str | Sequence[str] | None

PERIODS: dict[str, str] = {"day": "1d", "week": "1w", "month": "1mo", "1d": "1d", "1w": "1w", "1mo": "1mo"}
MEASURES: tuple[str, ...] = (*COUNT_COLUMNS, "fatalities")
RATE_BASES: tuple[str, ...] = ("destroyed", "neutralized")


def period_every(period: str) -> str:
    """Return the polars interval ('1d', '1w', '1mo') for a period name or interval."""
    try:
        return PERIODS[period]
    except KeyError:
        raise ValueError(f"period must be one of {sorted(PERIODS)}, got {period!r}") from None


def period_start_expr(every: str) -> pl.Expr:
    """Return an expression truncating `start` to its period (weeks start on Monday)."""
    return pl.col("start").dt.truncate(period_every(every)).alias("period_start")


def as_list(
    selector: Selector, allowed: Sequence[str] | None = None, what: str = "value"
) -> list[str] | None:
    """Return a selector (one name or several) as a list, checking names against allowed when given."""
    if selector is None:
        return None
    if not isinstance(selector, str | list | tuple) or not all(isinstance(n, str) for n in (
            [selector] if isinstance(selector, str) else selector)):
        raise ValueError(f"{what} must be a name or a list of names, got {selector!r}")
    names = [selector] if isinstance(selector, str) else list(selector)
    if allowed is not None:
        unknown = [n for n in names if n not in allowed]
        if unknown:
            raise ValueError(f"unknown {what} {unknown}; expected some of {list(allowed)}")
    return names


def select_rows(
    lf: pl.LazyFrame, *, kind: Selector = None, category: Selector = None, region: Selector = None
) -> pl.LazyFrame:
    """Keep rows of the given kind(s), weapon category(ies) and region(s); None keeps all.

    A category may also name a weapon family (`CATEGORY_GROUPS`): "drones" keeps drone and decoy_drone lines,
    "missiles" every missile category, "bombs" guided bombs.
    """
    names = as_list(kind, KINDS, "kind")
    if names is not None:
        lf = lf.filter(pl.col("kind").is_in(names))
    categories = as_list(category, (*CATEGORIES, *CATEGORY_GROUPS), "category")
    if categories is not None:
        expanded = [c for name in categories for c in CATEGORY_GROUPS.get(name, (name,))]
        lf = lf.filter(pl.col("category").is_in(expanded))
    regions = as_list(region)
    if regions is not None:
        # A region in any spelling or as its code: an incident is in it when one of its reports names it, or (frames
        # built without codes) its one region is written so.
        codes = [c for c in region_codes(regions) or [] if c]
        names = [*regions, *(region_label(c) for c in codes)]
        named = pl.col("regions").list.eval(pl.element().is_in(codes)).list.any().fill_null(False)
        lf = lf.filter(named | pl.col("region").is_in(names).fill_null(False))
    return lf


def reported_sum(column: str, alias: str | None = None) -> list[pl.Expr]:
    """Return [sum of column (null when no row reported it), count of reporting rows]."""
    name = alias or column
    return [
        pl.when(pl.col(column).count() > 0).then(pl.col(column).sum()).otherwise(None).alias(name),
        pl.col(column).count().cast(pl.Int64).alias(f"{name}_reported"),
    ]


def group_frame(lf: pl.LazyFrame, keys: list[pl.Expr | str], aggs: list[pl.Expr]) -> pl.LazyFrame:
    """Aggregate by keys, or over the whole frame when there are no keys."""
    if not keys:
        return lf.select(aggs)
    names = [k if isinstance(k, str) else k.meta.output_name() for k in keys]
    return lf.group_by(keys).agg(aggs).sort(names, nulls_last=True)


def incident_totals(
    lf: pl.LazyFrame,
    *,
    kind: Selector = "air_attack",
    category: Selector = None,
    region: Selector = None,
    measure: str = "launched",
) -> pl.LazyFrame:
    """Sum a measure per incident over matching lines: incident_id, start, total (null if unreported)."""
    if measure not in MEASURES:
        raise ValueError(f"measure must be one of {list(MEASURES)}, got {measure!r}")
    rows = select_rows(lf, kind=kind, category=category, region=region)
    if measure == "neutralized":
        rows = with_effective_neutralized(rows)
    return rows.group_by("incident_id").agg(
        pl.col("start").min(),
        pl.when(pl.col(measure).count() > 0).then(pl.col(measure).sum()).otherwise(None).alias("total"),
    )

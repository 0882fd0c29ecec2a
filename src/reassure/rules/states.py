"""Per-period condition states: windowed aggregate, comparison, consecutive streak and hysteresis."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import polars as pl

from reassure.rules.model import COMPARATORS, Condition, Group


def aggregate_expr(condition: Condition) -> pl.Expr:
    """Return the windowed aggregate of `value`, null until a full window of periods exists."""
    value = pl.col("value").cast(pl.Float64)
    w = condition.window
    match condition.aggregate:
        case "last":
            agg = value
        case "sum":
            agg = value.rolling_sum(window_size=w, min_samples=1)
        case "mean":
            agg = value.rolling_mean(window_size=w, min_samples=1)
        case "max":
            agg = value.rolling_max(window_size=w, min_samples=1)
        case "min":
            agg = value.rolling_min(window_size=w, min_samples=1)
        case "count":
            agg = (value > 0).cast(pl.Float64).rolling_sum(window_size=w, min_samples=1)
    return pl.when(pl.int_range(pl.len()) >= w - 1).then(agg).otherwise(None)


def scan_states(
    holds: Sequence[bool],
    releases: Sequence[bool] | None,
    consecutive: int = 1,
    release_periods: int = 1,
) -> tuple[list[int], list[bool]]:
    """Return per-period streaks and met flags, releasing a met state per hysteresis when given.

    A condition becomes met once `holds` has been true for `consecutive` periods in a row. Without
    hysteresis it stays met exactly while that streak lasts. With hysteresis (`releases`, the looser test
    against the release level) it stays met until `releases` is false for `release_periods` periods in a row.
    """
    streaks: list[int] = []
    met_flags: list[bool] = []
    streak = 0
    outside = 0
    met = False
    for i, holds_now in enumerate(holds):
        streak = streak + 1 if holds_now else 0
        if releases is None:
            met = streak >= consecutive
        elif not met:
            met = streak >= consecutive
            outside = 0
        else:
            outside = 0 if releases[i] else outside + 1
            if outside >= release_periods:  # failing the release test implies failing the entry test
                met = False
                outside = 0
        streaks.append(streak)
        met_flags.append(met)
    return streaks, met_flags


def condition_frame(series: pl.DataFrame, condition: Condition) -> pl.DataFrame:
    """Add aggregate, holds, streak and met columns to an indicator series (sorted by period)."""
    compare = COMPARATORS[condition.comparator]
    out = series.sort("period_start").with_columns(aggregate_expr(condition).alias("aggregate"))
    out = out.with_columns(compare(pl.col("aggregate"), condition.threshold).fill_null(False).alias("holds"))
    releases: list[bool] | None = None
    if condition.hysteresis is not None:
        release_ok = compare(pl.col("aggregate"), condition.hysteresis.release).fill_null(False)
        releases = out.select(release_ok).to_series().to_list()
    release_periods = condition.hysteresis.periods if condition.hysteresis else 1
    streaks, met = scan_states(out["holds"].to_list(), releases, condition.consecutive, release_periods)
    return out.with_columns(
        pl.Series("streak", streaks, dtype=pl.Int64),
        pl.Series("met", met, dtype=pl.Boolean),
    )


def combine(
    logic: str, nodes: Sequence[Condition | Group], states: Mapping[str, bool], prefix: str = "c"
) -> bool:
    """Combine leaf states (keyed as in Rule.leaves) through nested all/any groups."""
    values = []
    for i, node in enumerate(nodes, start=1):
        position = f"{prefix}{i}" if prefix == "c" else f"{prefix}.{i}"
        if isinstance(node, Group):
            values.append(combine(node.logic, node.conditions, states, position))
        else:
            values.append(bool(states.get(node.id or position, False)))
    return all(values) if logic == "all" else any(values)


def combine_expr(logic: str, nodes: Sequence[Condition | Group], prefix: str = "c") -> pl.Expr:
    """Build a boolean expression over `<key>_met` columns through nested all/any groups."""
    exprs = []
    for i, node in enumerate(nodes, start=1):
        position = f"{prefix}{i}" if prefix == "c" else f"{prefix}.{i}"
        if isinstance(node, Group):
            exprs.append(combine_expr(node.logic, node.conditions, position))
        else:
            exprs.append(pl.col(f"{node.id or position}_met").fill_null(False))
    return pl.all_horizontal(exprs) if logic == "all" else pl.any_horizontal(exprs)

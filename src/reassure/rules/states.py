"""Per-period condition states: windowed aggregate, comparison, consecutive streak and hysteresis."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import polars as pl

from reassure.rules.model import Condition, Group

INF = math.inf


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


def value_bounds(series: pl.DataFrame, monotone: bool) -> tuple[list[float], list[float]]:
    """Return per-period (low, high) bounds of the indicator's true value over the whole period.

    A fully covered period with a value is exact; a partial period of a monotone indicator (a count, a sum, a
    maximum) is at least its value; anything else (no source covers it, a partial rate, a value not reported) is
    unknown: at least 0 for monotone indicators, unbounded otherwise.
    """
    floor = 0.0 if monotone else -INF
    values = series["value"].to_list()
    status = series["coverage"].to_list() if "coverage" in series.columns else ["full"] * series.height
    lows, highs = [], []
    for value, cover in zip(values, status, strict=True):
        if value is not None and cover == "full":
            lows.append(float(value))
            highs.append(float(value))
        elif value is not None and cover == "partial" and monotone:
            lows.append(max(float(value), floor))
            highs.append(INF)
        else:
            lows.append(floor)
            highs.append(INF)
    return lows, highs


def _window(aggregate: str, lows: Sequence[float], highs: Sequence[float], w: int, floor: float) -> tuple[float, float]:
    """Bound an aggregate over w periods (periods before the data are unknown); every aggregate is monotone in
    each period's value, so bounding it at the periods' bounds is exact."""
    missing = w - len(lows)
    lo = [*([floor] * missing), *lows]
    hi = [*([INF] * missing), *highs]
    match aggregate:
        case "last":
            return lo[-1], hi[-1]
        case "sum":
            return sum(lo), sum(hi)
        case "mean":
            return sum(lo) / w, sum(hi) / w
        case "max":
            return max(lo), max(hi)
        case "min":
            return min(lo), min(hi)
        case _:  # count of periods above zero
            return float(sum(v > 0 for v in lo)), float(sum(v > 0 for v in hi))


def aggregate_bounds(condition: Condition, lows: Sequence[float], highs: Sequence[float],
                     monotone: bool) -> tuple[list[float], list[float]]:
    """Return per-period (low, high) bounds of the condition's windowed aggregate."""
    w = condition.window
    floor = 0.0 if monotone else -INF
    out_lo, out_hi = [], []
    for i in range(len(lows)):
        a, b = _window(condition.aggregate, lows[max(0, i - w + 1):i + 1], highs[max(0, i - w + 1):i + 1], w, floor)
        out_lo.append(a)
        out_hi.append(b)
    return out_lo, out_hi


def compare_bounds(comparator: str, threshold: float, low: float, high: float) -> bool | None:
    """Return whether `value <comparator> threshold` holds for every value in [low, high] (True), for none
    (False), or for some only (None: unknown)."""
    match comparator:
        case ">":
            return True if low > threshold else False if high <= threshold else None
        case ">=":
            return True if low >= threshold else False if high < threshold else None
        case "<":
            return True if high < threshold else False if low >= threshold else None
        case "<=":
            return True if high <= threshold else False if low > threshold else None
        case _:
            if low == high == threshold:
                return True
            return False if threshold < low or threshold > high else None


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


State = tuple[int, int, bool]  # (streak, periods outside the release level, met)


def _options(holds: bool | None, release: bool | None) -> list[tuple[bool, bool]]:
    """List the (holds, release) pairs possible; holding the entry test implies passing the looser release test."""
    hs = [holds] if holds is not None else [True, False]
    rs = [release] if release is not None else [True, False]
    return [(h, r) for h in hs for r in rs if r or not h]


def scan_states_3v(
    holds: Sequence[bool | None],
    releases: Sequence[bool | None] | None,
    consecutive: int = 1,
    release_periods: int = 1,
) -> tuple[list[int], list[bool | None]]:
    """Three-valued `scan_states`: per period, the shortest possible streak and met (True, False or None when
    the unknown periods, or the unknown past before the first one, could make it either).

    Every state the condition could be in is followed (possible worlds), so the answer is exact: a condition is
    met only if it is met whatever the unknown periods held, not met only if it is not met whatever they held.
    """
    hyst = releases is not None
    states: set[State] = {(s, o, m) for s in range(consecutive + 1) for o in range(release_periods if hyst else 1)
                          for m in ((True, False) if hyst else (s >= consecutive,))}
    streaks: list[int] = []
    met_flags: list[bool | None] = []
    known_run = 0  # the shortest possible streak: periods known to hold since the last one that may not
    for i, holds_now in enumerate(holds):
        known_run = known_run + 1 if holds_now is True else 0
        release_now = releases[i] if releases is not None else True
        nxt: set[State] = set()
        for streak, outside, met in states:
            for h, r in _options(holds_now, release_now if hyst else True):
                s = min(streak + 1, consecutive) if h else 0
                if not hyst or not met:
                    nxt.add((s, 0, s >= consecutive))
                else:
                    o = 0 if r else outside + 1
                    nxt.add((s, 0, False) if o >= release_periods else (s, o, True))
        states = nxt
        flags = {m for _, _, m in states}
        streaks.append(known_run)
        met_flags.append(flags.pop() if len(flags) == 1 else None)
    return streaks, met_flags


def condition_frame(series: pl.DataFrame, condition: Condition, *, monotone: bool = True) -> pl.DataFrame:
    """Add aggregate (its low and high bounds), holds, streak and met columns to an indicator series (sorted by
    period); holds and met are null where unknown periods (no source covers them, partly covered, not reported)
    leave the answer open."""
    out = series.sort("period_start")
    lows, highs = value_bounds(out, monotone)
    agg_lo, agg_hi = aggregate_bounds(condition, lows, highs, monotone)
    holds = [compare_bounds(condition.comparator, condition.threshold, a, b) for a, b in zip(agg_lo, agg_hi,
                                                                                          strict=True)]
    releases: list[bool | None] | None = None
    if condition.hysteresis is not None:
        level = condition.hysteresis.release
        releases = [compare_bounds(condition.comparator, level, a, b) for a, b in zip(agg_lo, agg_hi, strict=True)]
    release_periods = condition.hysteresis.periods if condition.hysteresis else 1
    streaks, met = scan_states_3v(holds, releases, condition.consecutive, release_periods)
    exact = [a if a == b else None for a, b in zip(agg_lo, agg_hi, strict=True)]
    return out.with_columns(
        pl.Series("aggregate", exact, dtype=pl.Float64),
        pl.Series("aggregate_low", [a if math.isfinite(a) else None for a in agg_lo], dtype=pl.Float64),
        pl.Series("aggregate_high", [b if math.isfinite(b) else None for b in agg_hi], dtype=pl.Float64),
        pl.Series("holds", holds, dtype=pl.Boolean),
        pl.Series("streak", streaks, dtype=pl.Int64),
        pl.Series("met", met, dtype=pl.Boolean),
    )


def kleene(logic: str, values: Sequence[bool | None]) -> bool | None:
    """Combine three-valued states: all is False if any is False, else unknown if any is; any is True if any is
    True, else unknown if any is."""
    if logic == "all":
        return False if any(v is False for v in values) else None if any(v is None for v in values) else True
    return True if any(v is True for v in values) else None if any(v is None for v in values) else False


def combine(
    logic: str, nodes: Sequence[Condition | Group], states: Mapping[str, bool | None], prefix: str = "c"
) -> bool | None:
    """Combine leaf states (keyed as in Rule.leaves; None = unknown) through nested all/any groups."""
    values: list[bool | None] = []
    for i, node in enumerate(nodes, start=1):
        position = f"{prefix}{i}" if prefix == "c" else f"{prefix}.{i}"
        if isinstance(node, Group):
            values.append(combine(node.logic, node.conditions, states, position))
        else:
            values.append(states.get(node.id or position))
    return kleene(logic, values)


def combine_expr(logic: str, nodes: Sequence[Condition | Group], prefix: str = "c") -> pl.Expr:
    """Build a three-valued boolean expression (null = unknown) over `<key>_met` columns through nested groups."""
    exprs = []
    for i, node in enumerate(nodes, start=1):
        position = f"{prefix}{i}" if prefix == "c" else f"{prefix}.{i}"
        if isinstance(node, Group):
            exprs.append(combine_expr(node.logic, node.conditions, position))
        else:
            exprs.append(pl.col(f"{node.id or position}_met"))
    decided, other = (False, True) if logic == "all" else (True, False)
    any_decided = pl.any_horizontal([e.eq_missing(decided) for e in exprs])
    any_unknown = pl.any_horizontal([e.is_null() for e in exprs])
    return (pl.when(any_decided).then(pl.lit(decided)).when(any_unknown).then(pl.lit(None, dtype=pl.Boolean))
            .otherwise(pl.lit(other)))

"""Named indicator time series on a full period grid, so that rules can refer to indicators by name.

Every series has one row per period from the first incident's period to the last (or to `end`):
`period_start, period_end, value, n_incidents, n_reporting, incident_ids, days, covered_days, coverage`, plus
indicator-specific extras. A covered period with no matching incident gets the indicator's `fill` (0 for counts,
null for rates); a period whose incidents did not report the measure gets null, never zero; a period no source of
the indicator's kind covers (`coverage` "none") gets null, never zero; a period covered on some days only is
`partial` and its value counts those days (a lower bound of the whole period's for `monotone` indicators).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

import polars as pl

from reassure.monitoring.indicators.coverage import (
    COVERAGE_SCHEMA,
    SourceCoverage,
    coverage_from_frame,
    period_coverage,
)
from reassure.monitoring.indicators.frame import (
    CATEGORIES,
    CATEGORY_GROUPS,
    DRONE_CATEGORIES,
    INCIDENT_KINDS,
    KINDS,
    MOVEMENT_KINDS,
    cutoff_for,
    to_lazy,
    with_effective_neutralized,
)
from reassure.monitoring.indicators.rates import rate_expr, wilson_exprs, z_value
from reassure.monitoring.indicators.selection import (
    MEASURES,
    RATE_BASES,
    as_list,
    incident_totals,
    period_every,
    period_start_expr,
    select_rows,
)

Params = dict[str, Any]
EVENT_TYPES: tuple[str, ...] = ("state_based", "non_state", "one_sided")  # UCDP GED type_of_violence 1, 2, 3
VIOLATIONS = "violations"
EXPIRING = "expiring"  # counted over the registry's expiry and renewal dates, not incidents (expiry.py)
MAX_WITHIN_DAYS = 3650
NO_CEASEFIRE = ("no ceasefire date is set in the scenario: violations are not counted (set `ceasefire:` in the "
                "scenario file to count the incidents from that day on)")
MOVEMENT_INDICATOR = "movement_restrictions"  # counts the restrictions on the force's movement (docs/adr/0045)
Compute = Callable[[pl.LazyFrame, str, Params], pl.LazyFrame]
Post = Callable[[pl.DataFrame, Params], pl.DataFrame]

SERIES_SCHEMA: dict[str, pl.DataType] = {
    "period_start": pl.Datetime("us"),
    "period_end": pl.Datetime("us"),
    "value": pl.Float64(),
    "n_incidents": pl.Int64(),
    "n_reporting": pl.Int64(),
    "incident_ids": pl.List(pl.Utf8()),
    **COVERAGE_SCHEMA,
}
_ROW_FILTERS: dict[str, Any] = {"kind": "air_attack", "category": None, "region": None}


@dataclass(frozen=True)
class IndicatorSpec:
    """A named indicator: how to compute its per-period rows, its parameters and its empty-period value."""

    name: str
    description: str
    compute: Compute
    defaults: Mapping[str, Any] = field(default_factory=dict)
    fill: float | None = 0.0
    post: Post | None = None
    extras: Mapping[str, pl.DataType] = field(default_factory=dict)
    monotone: bool = True  # a partial period's value is a lower bound of the whole period's (counts, sums, max)


def _ids(mask: pl.Expr | None = None) -> pl.Expr:
    """Collect the distinct incident ids (optionally only where mask holds) as a sorted list."""
    ids = pl.col("incident_id") if mask is None else pl.col("incident_id").filter(mask)
    return ids.unique().sort().alias("incident_ids")


def _rows(lf: pl.LazyFrame, p: Params) -> pl.LazyFrame:
    return select_rows(lf, kind=p["kind"], category=p["category"], region=p["region"])


def _totals(lf: pl.LazyFrame, p: Params) -> pl.LazyFrame:
    return incident_totals(
        lf, kind=p["kind"], category=p["category"], region=p["region"], measure=p["measure"]
    )


def _row_sum(measure: str | None) -> Compute:
    """Build a compute that sums a measure over weapon lines per period."""

    def compute(lf: pl.LazyFrame, every: str, p: Params) -> pl.LazyFrame:
        column = measure or p["measure"]
        rows = _rows(lf, p)
        if column == "neutralized":
            rows = with_effective_neutralized(rows)
        return rows.group_by(period_start_expr(every)).agg(
            pl.when(pl.col(column).count() > 0).then(pl.col(column).sum()).otherwise(None).alias("value"),
            pl.col("incident_id").n_unique().alias("n_incidents"),
            pl.col(column).count().alias("n_reporting"),
            _ids(),
        )

    return compute


def _attacks(lf: pl.LazyFrame, every: str, p: Params) -> pl.LazyFrame:
    return (
        _totals(lf, p)
        .group_by(period_start_expr(every))
        .agg(
            pl.len().alias("value"),
            pl.len().alias("n_incidents"),
            pl.col("total").count().alias("n_reporting"),
            _ids(),
        )
    )


def _attacks_over(lf: pl.LazyFrame, every: str, p: Params) -> pl.LazyFrame:
    over = pl.col("total") > p["threshold"]
    return (
        _totals(lf, p)
        .group_by(period_start_expr(every))
        .agg(
            over.sum().alias("value"),
            pl.len().alias("n_incidents"),
            pl.col("total").count().alias("n_reporting"),
            _ids(over),
        )
    )


def _max_per_attack(lf: pl.LazyFrame, every: str, p: Params) -> pl.LazyFrame:
    return (
        _totals(lf, p)
        .group_by(period_start_expr(every))
        .agg(
            pl.col("total").max().alias("value"),
            pl.len().alias("n_incidents"),
            pl.col("total").count().alias("n_reporting"),
            _ids(pl.col("total") == pl.col("total").max()),
        )
    )


def _violations(lf: pl.LazyFrame, every: str, p: Params) -> pl.LazyFrame:
    rows = _rows(lf, p)
    types = as_list(p.get("event_type"), EVENT_TYPES, "event_type")
    if types is not None:
        rows = rows.filter(pl.col("event_type").is_in(types))
    return (
        rows
        .group_by(period_start_expr(every))
        .agg(
            pl.col("incident_id").n_unique().alias("value"),
            pl.col("incident_id").n_unique().alias("n_incidents"),
            pl.col("incident_id").n_unique().alias("n_reporting"),
            _ids(),
        )
    )


def _no_incidents(lf: pl.LazyFrame, every: str, p: Params) -> pl.LazyFrame:
    """The incident part of an indicator counted elsewhere (`expiring`: rules/evaluate reads the registry's dates):
    no value in any period of an incident frame."""
    return lf.filter(pl.lit(False)).group_by(period_start_expr(every)).agg(
        pl.lit(None, dtype=pl.Float64).alias("value"), pl.len().alias("n_incidents"),
        pl.len().alias("n_reporting"), _ids())


def _interception(lf: pl.LazyFrame, every: str, p: Params) -> pl.LazyFrame:
    basis = p["basis"]
    paired = pl.col("launched").is_not_null() & pl.col(basis).is_not_null()
    grouped = (
        with_effective_neutralized(_rows(lf, p))
        .group_by(period_start_expr(every))
        .agg(
            pl.col(basis).filter(paired).sum().alias("successes"),
            pl.col("launched").filter(paired).sum().alias("trials"),
            pl.col("incident_id").n_unique().alias("n_incidents"),
            paired.sum().alias("n_reporting"),
            _ids(paired),
        )
    )
    low, high = wilson_exprs(pl.col("successes"), pl.col("trials"), p["confidence"])
    return grouped.with_columns(
        rate_expr(pl.col("successes"), pl.col("trials")).alias("value"), low.alias("low"), high.alias("high")
    )


def _movements(lf: pl.LazyFrame, every: str, p: Params) -> pl.LazyFrame:
    rows = select_rows(lf, kind=p["kind"], region=p["region"])
    kinds = as_list(p.get("restriction"), MOVEMENT_KINDS, "restriction")
    if kinds is not None:
        rows = rows.filter(pl.col("restriction").is_in(kinds))
    return rows.group_by(period_start_expr(every)).agg(
        pl.col("incident_id").n_unique().alias("value"),
        pl.col("incident_id").n_unique().alias("n_incidents"),
        pl.col("incident_id").n_unique().alias("n_reporting"),
        _ids(),
    )


def _surge_post(out: pl.DataFrame, p: Params) -> pl.DataFrame:
    window = p["window"]
    baseline = pl.col("current").shift(1).rolling_mean(window_size=window, min_samples=window)
    return (
        out.with_columns(pl.col("value").alias("current"))
        .with_columns(
            baseline.alias("baseline"),
        )
        .with_columns(
            pl.when(pl.col("baseline") > 0)
            .then(pl.col("current") / pl.col("baseline"))
            .otherwise(None)
            .alias("value")
        )
    )


def _last_attack(lf: pl.LazyFrame, every: str, p: Params) -> pl.LazyFrame:
    attacks = _totals(lf, p).filter(pl.col("total") > p["threshold"])
    return attacks.group_by(period_start_expr(every)).agg(
        pl.lit(None, dtype=pl.Float64).alias("value"),
        pl.len().alias("n_incidents"),
        pl.len().alias("n_reporting"),
        pl.col("start").max().alias("last_attack_start"),
        pl.col("incident_id").sort_by("start").last().alias("last_id"),
    )


def _days_since_post(out: pl.DataFrame, p: Params) -> pl.DataFrame:
    last_day = (pl.col("period_end") - timedelta(days=1)).dt.date()
    filled = out.with_columns(pl.col("last_attack_start", "last_id").forward_fill())
    return filled.with_columns(
        (last_day - pl.col("last_attack_start").dt.date()).dt.total_days().cast(pl.Float64).alias("value"),
        pl.when(pl.col("last_id").is_not_null())
        .then(pl.concat_list(pl.col("last_id")))
        .otherwise(pl.lit([], dtype=pl.List(pl.Utf8)))
        .alias("incident_ids"),
    ).drop("last_id")


_COUNT = {**_ROW_FILTERS, "measure": "launched"}
_DRONES = {**_COUNT, "category": list(DRONE_CATEGORIES)}
_RATE_EXTRAS: dict[str, pl.DataType] = {
    "successes": pl.Int64(),
    "trials": pl.Int64(),
    "low": pl.Float64(),
    "high": pl.Float64(),
}

INDICATORS: dict[str, IndicatorSpec] = {
    spec.name: spec
    for spec in [
        *(
            IndicatorSpec(
                m, f"Sum of {m} over weapon lines (null when no line reported it)", _row_sum(m), _ROW_FILTERS
            )
            for m in ("launched", "destroyed", "suppressed", "neutralized", "impacted")
        ),
        IndicatorSpec(
            "fatalities", "Sum of reported fatalities", _row_sum("fatalities"),
            {**_ROW_FILTERS, "kind": list(INCIDENT_KINDS)}
        ),
        IndicatorSpec(
            "attacks", "Number of attacks (incidents) with a matching weapon line", _attacks, _COUNT
        ),
        IndicatorSpec(
            "attacks_over_threshold",
            "Number of attacks whose matching weapons (summed measure) exceed threshold",
            _attacks_over,
            {**_COUNT, "threshold": 0},
        ),
        IndicatorSpec("max_per_attack", "Largest summed measure in one attack", _max_per_attack, _COUNT),
        IndicatorSpec(
            "max_drones_per_attack",
            "Largest number of drones launched in one attack",
            _max_per_attack,
            _DRONES,
        ),
        IndicatorSpec(
            "interception_rate",
            "Share of launched weapons destroyed (or neutralized), with a Wilson interval in low/high",
            _interception,
            {**_ROW_FILTERS, "basis": "destroyed", "confidence": 0.95},
            fill=None,
            extras=_RATE_EXTRAS,
            monotone=False,
        ),
        IndicatorSpec(
            "violations",
            "Number of ceasefire-violation incidents (of the given UCDP event types, when `event_type` is set); "
            "rules and the indicator table count only those from the scenario's ceasefire date on",
            _violations,
            {**_ROW_FILTERS, "kind": "ceasefire_violation", "event_type": None},
        ),
        IndicatorSpec(
            MOVEMENT_INDICATOR,
            "Number of restrictions on the force's freedom of movement that start in the period (of the given "
            "`restriction` kinds and regions, when set): denied access, checkpoints, airspace closures, others",
            _movements,
            {"kind": "movement", "region": None, "restriction": None},
        ),
        IndicatorSpec(
            "surge_ratio",
            "Launched this period divided by the mean of the previous `window` periods",
            _row_sum(None),
            {**_COUNT, "window": 8},
            post=_surge_post,
            extras={"current": pl.Float64(), "baseline": pl.Float64()},
            monotone=False,
        ),
        IndicatorSpec(
            "days_since_attack",
            "Days from the last attack with more than threshold weapons to the period's last day",
            _last_attack,
            {**_COUNT, "threshold": 0},
            fill=None,
            post=_days_since_post,
            extras={"last_attack_start": pl.Datetime("us")},
            monotone=False,
        ),
        IndicatorSpec(
            EXPIRING,
            "Number of pledges and legal instruments that lapse or must be renewed within `within_days` days of the "
            "period's last day (from the registry the reader sees, not from incidents; docs/adr/0043)",
            _no_incidents,
            {"within_days": 90},
            fill=None,
            monotone=False,
        ),
    ]
}


def check_params(name: str, params: Mapping[str, Any]) -> Params:
    """Return the indicator's parameters merged with defaults, raising ValueError on unknown or bad ones."""
    spec = INDICATORS.get(name)
    if spec is None:
        raise ValueError(f"unknown indicator {name!r}; known: {', '.join(sorted(INDICATORS))}")
    unknown = sorted(set(params) - set(spec.defaults))
    if unknown:
        raise ValueError(f"indicator {name!r} takes no parameter {unknown}; it takes {sorted(spec.defaults)}")
    p: Params = {**spec.defaults, **params}
    if "kind" in p:
        as_list(p["kind"], KINDS, "kind")
    if "category" in p:
        as_list(p["category"], (*CATEGORIES, *CATEGORY_GROUPS), "category")
    if "region" in p:
        as_list(p["region"])
    if p.get("measure", "launched") not in MEASURES:
        raise ValueError(f"measure must be one of {list(MEASURES)}, got {p['measure']!r}")
    if p.get("basis", "destroyed") not in RATE_BASES:
        raise ValueError(f"basis must be one of {list(RATE_BASES)}, got {p['basis']!r}")
    threshold = p.get("threshold", 0)
    if isinstance(threshold, bool) or not isinstance(threshold, int | float):
        raise ValueError(f"threshold must be a number, got {threshold!r}")
    window = p.get("window", 1)
    if isinstance(window, bool) or not isinstance(window, int) or window < 1:
        raise ValueError(f"window must be a positive integer, got {window!r}")
    if "confidence" in p:
        z_value(p["confidence"])
    within = p.get("within_days", 1)
    if isinstance(within, bool) or not isinstance(within, int) or not 0 <= within <= MAX_WITHIN_DAYS:
        raise ValueError(f"within_days must be a whole number of days from 0 to {MAX_WITHIN_DAYS}, got {within!r}")
    if p.get("event_type") is not None:
        as_list(p["event_type"], EVENT_TYPES, "event_type")
    if p.get("restriction") is not None:
        as_list(p["restriction"], MOVEMENT_KINDS, "restriction")
    return p


def indicator_kinds(name: str, params: Mapping[str, Any]) -> list[str] | None:
    """Return the incident kinds an indicator counts (None: every kind): the sources of those kinds cover it."""
    p = check_params(name, params)
    return as_list(p.get("kind"), KINDS, "kind")


def since_ceasefire(df: pl.DataFrame | pl.LazyFrame, ceasefire: date) -> pl.LazyFrame:
    """Drop the ceasefire-violation incidents that started before the ceasefire day (other incidents are kept, so the
    period grid of a series is unchanged)."""
    begin = datetime.combine(ceasefire, datetime.min.time())
    return to_lazy(df).filter((pl.col("kind") != "ceasefire_violation") | (pl.col("start") >= begin))


def violations_series(
    df: pl.DataFrame | pl.LazyFrame,
    every: str,
    ceasefire: date | None,
    *,
    end: date | datetime | None = None,
    **params: Any,
) -> pl.DataFrame | None:
    """Return the violations per period from the ceasefire day on, or None when no ceasefire date is set (nothing can
    be counted as a violation). A period that starts before the ceasefire is left out: part of it was no ceasefire."""
    if ceasefire is None:
        return None
    begin = datetime.combine(ceasefire, datetime.min.time())
    series = indicator_series(since_ceasefire(df, ceasefire), VIOLATIONS, every, end=end, **params)
    return series.filter(pl.col("period_start") >= begin)


def indicator_series(
    df: pl.DataFrame | pl.LazyFrame,
    name: str,
    every: str = "1d",
    *,
    start: date | datetime | None = None,
    end: date | datetime | None = None,
    coverage: Sequence[SourceCoverage] | None = None,
    **params: Any,
) -> pl.DataFrame:
    """Compute a named indicator per period; `end` (a date means through that day) cuts the data and grid.

    `coverage` is what each source covers (default: found in the data, `coverage_from_frame`); a period that no
    source of the indicator's kind covers has a null value, a partly covered one is marked `partial`.
    """
    p = check_params(name, params)
    spec = INDICATORS[name]
    every = period_every(every)
    lf = to_lazy(df)
    last_expr = pl.col("start").max().dt.truncate(every)
    cutoff = None
    if end is not None:
        cutoff = cutoff_for(end)
        lf = lf.filter(pl.col("start") < cutoff)
        last_expr = pl.lit(cutoff - timedelta(microseconds=1)).dt.truncate(every)
    bounds = lf.select(pl.col("start").min().dt.truncate(every).alias("first"), last_expr.alias("last"))
    first, last = bounds.collect().row(0)
    schema = {**SERIES_SCHEMA, **spec.extras}
    if first is None or last is None or last < first:
        return pl.DataFrame(schema=schema)
    if coverage is None:
        coverage = coverage_from_frame(lf)
    grid = pl.DataFrame({"period_start": pl.datetime_range(first, last, every, eager=True)})
    grid = grid.with_columns(pl.col("period_start").cast(pl.Datetime("us")))
    out = grid.join(spec.compute(lf, every, p).collect(), on="period_start", how="left")
    out = out.with_columns(pl.col("period_start").dt.offset_by(every).alias("period_end"))
    out = pl.concat([out, period_coverage(out["period_start"].to_list(), out["period_end"].to_list(), coverage,
                                          as_list(p.get("kind"), KINDS, "kind"), cutoff)], how="horizontal")
    empty = out["n_incidents"].is_null()
    uncovered = pl.col("coverage") == "none"
    out = out.with_columns(
        pl.when(empty).then(pl.lit(spec.fill)).otherwise(pl.col("value")).cast(pl.Float64).alias("value"),
        pl.col("n_incidents", "n_reporting").fill_null(0).cast(pl.Int64),
    )
    if "incident_ids" in out.columns:
        out = out.with_columns(pl.col("incident_ids").fill_null(pl.lit([], dtype=pl.List(pl.Utf8))))
    out = out.with_columns(pl.when(uncovered).then(None).otherwise(pl.col("value")).alias("value"))
    if spec.post is not None:
        out = spec.post(out, p)
        out = out.with_columns(pl.when(uncovered).then(None).otherwise(pl.col("value")).alias("value"))
    if start is not None:
        begin = start if isinstance(start, datetime) else datetime.combine(start, datetime.min.time())
        out = out.filter(pl.col("period_end") > begin)
    return out.select(list(schema)).cast(schema)  # type: ignore[arg-type]

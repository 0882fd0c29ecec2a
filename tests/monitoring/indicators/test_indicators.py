"""Indicators: schema checks, null-not-zero sums, interception rates with Wilson intervals, series."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

import polars as pl
import pytest

from reassure.monitoring.indicators import (
    INDICATORS,
    counts_by_period,
    days_since_last_attack,
    indicator_series,
    interception_rates,
    rolling_mean,
    violations_per_week,
)
from reassure.monitoring.indicators.frame import (
    FULL_SCHEMA,
    IncidentFrameError,
    build_incident_frame,
    empty_incident_frame,
    filter_min_grade,
    synthetic_incidents,
    validate_incident_frame,
)
from reassure.monitoring.indicators.rates import wilson_exprs, wilson_interval

MON = datetime(2025, 3, 3, 10)  # a Monday


def day(n: int, hour: int = 10) -> datetime:
    return MON.replace(hour=hour) + timedelta(days=n)


def frame(*rows: dict[str, Any]) -> pl.DataFrame:
    return build_incident_frame(list(rows))


# Schema ---------------------------------------------------------------------------------------------------


def test_validate_accepts_schema_and_lazy_frames() -> None:
    df = synthetic_incidents(500, seed=3)
    assert validate_incident_frame(df, check_values=True) is df
    validate_incident_frame(df.lazy())
    validate_incident_frame(empty_incident_frame())


def test_validate_names_missing_and_mistyped_columns() -> None:
    df = synthetic_incidents(10).drop("sources").with_columns(pl.col("launched").cast(pl.Float64))
    with pytest.raises(IncidentFrameError) as err:
        validate_incident_frame(df)
    message = str(err.value)
    assert "missing columns: sources" in message
    assert "launched: expected Int64, got Float64" in message


def test_validate_values_reports_bad_kinds_and_grades() -> None:
    df = frame({"start": day(0), "kind": "shelling", "reliability": "G", "credibility": 9})
    with pytest.raises(IncidentFrameError, match=r"unknown kind \(1 rows\).*reliability not A-F"):
        validate_incident_frame(df, check_values=True)


def test_synthetic_is_seeded_and_consistent() -> None:
    a, b = synthetic_incidents(2_000, seed=7), synthetic_incidents(2_000, seed=7)
    assert a.equals(b)
    assert a.height == 2_000 and a.schema == pl.Schema(FULL_SCHEMA)
    both = a.filter(pl.col("destroyed").is_not_null() & pl.col("suppressed").is_not_null())
    assert (both["neutralized"] == both["destroyed"] + both["suppressed"]).all()
    assert a["launched"].null_count() > 0  # some lines do not report launched


# Wilson interval ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("k", "n", "low", "high"),
    [
        (84, 112, 0.6624, 0.8210),  # p = 0.75
        (0, 10, 0.0, 0.2775),
        (10, 10, 0.7225, 1.0),
        (5, 10, 0.2366, 0.7634),
    ],
)
def test_wilson_interval_known_values(k: int, n: int, low: float, high: float) -> None:
    interval = wilson_interval(k, n)
    assert interval is not None
    assert interval == pytest.approx((low, high), abs=5e-4)
    lo_e, hi_e = wilson_exprs(pl.col("k"), pl.col("n"))
    row = pl.DataFrame({"k": [k], "n": [n]}).select(lo_e.alias("lo"), hi_e.alias("hi")).row(0)
    assert row == pytest.approx(interval, abs=1e-12)


def test_wilson_interval_edge_cases() -> None:
    assert wilson_interval(0, 0) is None
    assert wilson_interval(84, 112, confidence=0.99)[0] < wilson_interval(84, 112)[0]  # type: ignore[index]
    with pytest.raises(ValueError):
        wilson_interval(5, 4)


# Null means not reported ----------------------------------------------------------------------------------


def test_counts_sum_reported_rows_only_and_keep_unreported_null() -> None:
    df = frame(
        {"start": day(0), "category": "drone", "launched": 10, "destroyed": 8},
        {"start": day(0, 20), "category": "drone", "launched": None, "destroyed": 3},
        {"start": day(1), "category": "drone", "launched": None},
    )
    out = counts_by_period(df, "1d", by=())
    first, second = out.row(0, named=True), out.row(1, named=True)
    assert (first["launched"], first["launched_reported"], first["n_rows"]) == (10, 1, 2)
    assert (first["destroyed"], first["destroyed_reported"]) == (11, 2)
    assert second["launched"] is None and second["launched_reported"] == 0  # not zero


def test_series_fill_zero_for_empty_periods_but_null_when_unreported() -> None:
    df = frame(
        {"start": day(0), "category": "drone", "launched": 5},
        {"start": day(2), "category": "drone", "launched": None},
    )
    s = indicator_series(df, "launched", "1d")
    assert s["value"].to_list() == [5.0, 0.0, None]
    assert s["n_reporting"].to_list() == [1, 0, 0]
    assert s["n_incidents"].to_list() == [1, 0, 1]


def test_interception_rates_both_ways_use_paired_rows() -> None:
    df = frame(
        # destroyed and suppressed known: neutralized is derived as 60 + 20
        {"start": day(0), "category": "drone", "launched": 100, "destroyed": 60, "suppressed": 20},
        # only neutralized known: counts for the neutralized rate only
        {"start": day(1), "category": "drone", "launched": 12, "neutralized": 9},
        # launched unknown: counts for neither
        {"start": day(2), "category": "drone", "destroyed": 4},
    )
    r = interception_rates(df, every=None).row(0, named=True)
    assert (r["destroyed"], r["destroyed_launched"], r["destroyed_rows"]) == (60, 100, 1)
    assert r["destroyed_rate"] == pytest.approx(0.6)
    assert (r["neutralized"], r["neutralized_launched"], r["neutralized_rows"]) == (89, 112, 2)
    assert r["neutralized_rate"] == pytest.approx(89 / 112)
    assert (r["neutralized_low"], r["neutralized_high"]) == pytest.approx(wilson_interval(89, 112))


def test_interception_rate_series_has_null_for_periods_without_data() -> None:
    df = frame(
        {"start": day(0), "category": "drone", "launched": 112, "neutralized": 84},
        {"start": day(2), "category": "drone", "launched": 10, "destroyed": 5},
    )
    s = indicator_series(df, "interception_rate", "1d", basis="neutralized")
    assert s["value"].to_list() == [0.75, None, None]
    assert (s["low"][0], s["high"][0]) == pytest.approx((0.6624, 0.8210), abs=5e-4)


# Grades ---------------------------------------------------------------------------------------------------


def test_filter_min_grade_needs_both_axes() -> None:
    df = frame(
        *(
            {"start": day(0), "reliability": r, "credibility": c}
            for r, c in [("A", 1), ("B", 3), ("B", 4), ("C", 1), ("F", 6)]
        )
    )
    kept = filter_min_grade(df, "B3")
    assert list(zip(kept["reliability"], kept["credibility"], strict=True)) == [("A", 1), ("B", 3)]
    assert filter_min_grade(df, None).height == 5
    assert filter_min_grade(df.lazy(), "F6").collect().height == 5


# Other indicators -----------------------------------------------------------------------------------------


def test_rolling_mean_over_previous_periods() -> None:
    s = pl.DataFrame({"period_start": [day(i) for i in range(4)], "value": [1.0, 2.0, 3.0, 6.0]})
    assert rolling_mean(s, "value", 2)["value_mean2"].to_list() == [1.0, 1.5, 2.5, 4.5]
    prior = rolling_mean(s, "value", 2, exclude_current=True, min_periods=2)["value_mean2"].to_list()
    assert prior == [None, None, 1.5, 2.5]


def test_days_since_last_attack_above_threshold() -> None:
    df = frame(
        {"incident_id": "big", "start": day(0), "category": "drone", "launched": 40},
        {"incident_id": "big", "start": day(0), "category": "decoy_drone", "launched": 30},
        {"incident_id": "small", "start": day(5), "category": "drone", "launched": 8},
        {"incident_id": "missile", "start": day(6), "category": "cruise_missile", "launched": 90},
    )
    drones = ["drone", "decoy_drone"]
    r = days_since_last_attack(df, 50, date(2025, 3, 13), category=drones).row(0, named=True)
    assert (r["incident_id"], r["value"], r["days_since"]) == ("big", 70, 10)
    assert days_since_last_attack(df, 5, date(2025, 3, 13), category=drones)["days_since"][0] == 5
    assert days_since_last_attack(df, 50, date(2025, 3, 13))["incident_id"][0] == "missile"
    assert days_since_last_attack(df, 1_000, date(2025, 3, 13))["days_since"][0] is None


def test_violations_per_week_counts_incidents_and_fills_quiet_weeks() -> None:
    df = frame(
        {"incident_id": "v1", "kind": "ceasefire_violation", "start": day(0)},
        {"incident_id": "v1", "kind": "ceasefire_violation", "start": day(0)},
        {"incident_id": "v2", "kind": "ceasefire_violation", "start": day(3)},
        {"incident_id": "a1", "kind": "air_attack", "start": day(15), "category": "drone", "launched": 3},
    )
    s = violations_per_week(df)
    assert s["value"].to_list() == [2.0, 0.0, 0.0]
    assert s["incident_ids"][0].to_list() == ["v1", "v2"]


def test_attack_indicators_group_weapon_lines_by_incident() -> None:
    df = frame(
        {"incident_id": "x", "start": day(0), "category": "drone", "launched": 60},
        {"incident_id": "x", "start": day(0), "category": "decoy_drone", "launched": 50},
        {"incident_id": "x", "start": day(0), "category": "ballistic_missile", "launched": 5},
        {"incident_id": "y", "start": day(0, 22), "category": "drone", "launched": 9},
    )
    over = indicator_series(df, "attacks_over_threshold", threshold=100, category=["drone", "decoy_drone"])
    assert over["value"][0] == 1 and over["incident_ids"][0].to_list() == ["x"]
    assert over["n_incidents"][0] == 2
    assert indicator_series(df, "max_drones_per_attack")["value"][0] == 110
    assert indicator_series(df, "attacks")["value"][0] == 2


def test_surge_ratio_and_days_since_series() -> None:
    launched = [10, 10, 10, 40, 0, 0]
    df = frame(*({"start": day(i), "category": "drone", "launched": n} for i, n in enumerate(launched) if n))
    df = pl.concat([df, frame({"incident_id": "end", "kind": "other", "start": day(5)})])
    surge = indicator_series(df, "surge_ratio", window=3)
    assert surge["value"].to_list()[3:] == pytest.approx([4.0, 0.0, 0.0])
    assert surge["value"].to_list()[:3] == [None, None, None]
    quiet = indicator_series(df, "days_since_attack", threshold=20)
    assert quiet["value"].to_list() == [None, None, None, 0.0, 1.0, 2.0]


def test_series_end_extends_grid_and_cuts_data() -> None:
    df = frame({"start": day(0), "category": "drone", "launched": 5}, {"start": day(9), "launched": 7})
    s = indicator_series(df, "launched", "1d", end=date(2025, 3, 7))
    # The data cut at 7 March ends on day 0: the days after it are covered by no source, so unknown, not zero.
    assert s.height == 5 and s["value"].to_list() == [5.0, None, None, None, None]
    assert s["coverage"].to_list() == ["full", "none", "none", "none", "none"]
    weekly = indicator_series(df, "launched", "week", end=date(2025, 3, 20))
    assert weekly["period_start"].dt.weekday().to_list() == [1, 1, 1]


def test_unknown_indicator_or_parameter_is_a_clear_error() -> None:
    df = synthetic_incidents(50)
    with pytest.raises(ValueError, match="unknown indicator 'nope'"):
        indicator_series(df, "nope")
    with pytest.raises(ValueError, match="takes no parameter"):
        indicator_series(df, "launched", threshold=3)
    with pytest.raises(ValueError, match="unknown category"):
        indicator_series(df, "launched", category="tank")


def test_every_registered_indicator_runs_on_synthetic_data() -> None:
    df = synthetic_incidents(5_000, seed=1)
    for name in INDICATORS:
        s = indicator_series(df, name, "week")
        assert s.height > 100, name
        assert s["period_start"].is_sorted()


# Weapon families: drones alone, missiles alone -----------------------------------------------------------------


def test_category_cut_by_weapon_family() -> None:
    df = frame(
        {"start": day(0), "category": "drone", "launched": 50},
        {"start": day(0), "category": "decoy_drone", "launched": 20},
        {"start": day(0), "category": "cruise_missile", "launched": 7},
        {"start": day(0), "category": "ballistic_missile", "launched": 3},
        {"start": day(0), "category": "guided_bomb", "launched": 4},
    )
    launched = {
        name: counts_by_period(df, "1d", by=(), category=name).row(0, named=True)["launched"]
        for name in ("drones", "missiles", "bombs", "drone")
    }
    assert launched == {"drones": 70, "missiles": 10, "bombs": 4, "drone": 50}
    mixed = counts_by_period(df, "1d", by=(), category=["drones", "guided_bomb"]).row(0, named=True)
    assert mixed["launched"] == 74
    series = indicator_series(df, "launched", "1d", category="missiles")
    assert series["value"].to_list() == [10.0]
    with pytest.raises(ValueError, match="unknown category"):
        counts_by_period(df, "1d", by=(), category="rockets")

"""Time the main indicators and rule evaluations over 1,000,000 synthetic incident rows.

Run: .venv/bin/python benchmarks/indicators.py [--rows N] [--seed S]
Target: all indicators together in under 2 s.
"""

from __future__ import annotations

import argparse
import platform
import statistics
import time
from collections.abc import Callable
from functools import partial
from typing import Any

import polars as pl

from reassure.monitoring.indicators import (
    counts_by_period,
    days_since_last_attack,
    indicator_series,
    interception_rates,
    rolling_mean,
    violations_per_week,
)
from reassure.monitoring.indicators.frame import synthetic_incidents, validate_incident_frame
from reassure.rules import backtest, evaluate_rule, load_bundled_rules, rule_by_id

TARGET_SECONDS = 2.0


REPEAT = 3
Row = tuple[str, float, float, str]


def timed(label: str, fn: Callable[[], Any], results: list[Row]) -> Any:
    """Run fn REPEAT times; record the first (cold) and the median wall time and the output's shape."""
    times = []
    out = None
    for _ in range(REPEAT):
        start = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - start)
    shape = f"{out.height} rows" if isinstance(out, pl.DataFrame) else type(out).__name__
    results.append((label, times[0], statistics.median(times), shape))
    return out


def main() -> None:
    """Build the synthetic incidents, time indicators and rules, and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args()

    t0 = time.perf_counter()
    df = synthetic_incidents(args.rows, seed=args.seed)
    build = time.perf_counter() - t0
    print(f"polars {pl.__version__}, Python {platform.python_version()}, {pl.thread_pool_size()} threads")
    print(
        f"built {df.height:,} synthetic rows ({df['incident_id'].n_unique():,} incidents) in {build:.2f} s\n"
    )

    indicators: list[Row] = []
    timed("validate_incident_frame", lambda: validate_incident_frame(df), indicators)
    timed("counts_by_period 1d x region x category", lambda: counts_by_period(df, "1d"), indicators)
    timed("counts_by_period 1mo", lambda: counts_by_period(df, "1mo", by=()), indicators)
    timed("interception_rates 1w (both ways, Wilson)", lambda: interception_rates(df, "1w"), indicators)
    launched = timed("series launched 1d", lambda: indicator_series(df, "launched", "1d"), indicators)
    timed("rolling_mean 7d", lambda: rolling_mean(launched, "value", 7), indicators)
    timed(
        "series attacks_over_threshold 1d (>10 drones)",
        lambda: indicator_series(df, "attacks_over_threshold", "1d", threshold=10, category=["drone"]),
        indicators,
    )
    timed(
        "series max_drones_per_attack 1d", lambda: indicator_series(df, "max_drones_per_attack"), indicators
    )
    timed("series interception_rate 1w", lambda: indicator_series(df, "interception_rate", "1w"), indicators)
    timed("series surge_ratio 1w", lambda: indicator_series(df, "surge_ratio", "1w"), indicators)
    timed(
        "series days_since_attack 1d",
        lambda: indicator_series(df, "days_since_attack", threshold=100),
        indicators,
    )
    timed("violations_per_week", lambda: violations_per_week(df), indicators)
    timed("days_since_last_attack (>100)", lambda: days_since_last_attack(df, 100), indicators)

    rules_results: list[Row] = []
    rules = load_bundled_rules()
    for rule in rules:
        timed(f"evaluate_rule {rule.id}", partial(evaluate_rule, rule, df), rules_results)
    exit_rule = rule_by_id(rules, "exit-quiet-skies")
    timed("backtest exit-quiet-skies (daily, full history)", lambda: backtest(exit_rule, df), rules_results)

    width = max(len(row[0]) for row in indicators + rules_results)
    print(f"  {'':<{width}}  {'first':>9}  {'median':>9}  (of {REPEAT} runs)")
    for title, rows in (("indicators", indicators), ("rules", rules_results)):
        print(f"{title}:")
        for label, first, median, shape in rows:
            print(f"  {label:<{width}}  {first * 1000:6.1f} ms  {median * 1000:6.1f} ms  {shape}")
        cold, warm = sum(r[1] for r in rows), sum(r[2] for r in rows)
        print(f"  {'total':<{width}}  {cold * 1000:6.1f} ms  {warm * 1000:6.1f} ms\n")
    warm = sum(r[2] for r in indicators)
    cold = sum(r[1] for r in indicators)
    verdict = "OK" if warm < TARGET_SECONDS else "OVER TARGET"
    print(
        f"indicators total over {df.height:,} rows: median {warm:.2f} s"
        f" ({verdict}, target < {TARGET_SECONDS} s);"
        f" first calls {cold:.2f} s"
    )


if __name__ == "__main__":
    main()

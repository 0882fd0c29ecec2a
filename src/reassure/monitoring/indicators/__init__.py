"""Indicators over incident frames: the frame schema, counts, interception rates, series for the rules.

The summaries (counts, rates, rolling means, quiet spells, violations) are re-exported here from
`summaries.py`; the frame, rates, selection and series modules are imported by their own names.
"""

from reassure.monitoring.indicators.summaries import (
    INDICATORS,
    IndicatorSpec,
    counts_by_period,
    days_since_last_attack,
    indicator_series,
    interception_rates,
    rolling_mean,
    violations_per_week,
)

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

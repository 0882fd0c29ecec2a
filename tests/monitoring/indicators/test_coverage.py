"""Indicator series know their coverage: a period no source of the indicator's kind covers is null, never 0."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from reassure.monitoring.indicators.coverage import SourceCoverage, coverage_from_frame
from reassure.monitoring.indicators.frame import build_incident_frame
from reassure.monitoring.indicators.series import indicator_series

DAY0 = datetime(2025, 1, 6, 12)  # a Monday


def _frame():  # type: ignore[no-untyped-def]
    rows = [{"incident_id": f"A{d}", "start": DAY0 + timedelta(days=d), "category": "drone", "launched": 10,
             "sources": ["air force"]} for d in range(0, 21, 2)]
    rows += [{"incident_id": f"V{d}", "kind": "ceasefire_violation", "start": DAY0 + timedelta(days=d),
              "sources": ["mission"]} for d in (0, 4)]
    return build_incident_frame(rows)


def test_coverage_per_source_and_kind() -> None:
    cover = coverage_from_frame(_frame())
    assert [(c.source, c.kind, c.first.day, c.last.day) for c in cover] == [
        ("air force", "air_attack", 6, 26), ("mission", "ceasefire_violation", 6, 10)]


def test_violations_after_the_last_source_are_unknown_and_partial_weeks_marked() -> None:
    s = indicator_series(_frame(), "violations", "week")
    assert s["value"].to_list() == [2.0, None, None]  # weeks 2 and 3: no violation source covers them
    assert s["coverage"].to_list() == ["partial", "none", "none"] and s["covered_days"].to_list() == [5, 0, 0]
    launched = indicator_series(_frame(), "launched", "week")
    assert launched["coverage"].to_list() == ["full"] * 3  # air data runs to day 20, the third Sunday
    cut = indicator_series(_frame(), "launched", "week", end=date(2025, 1, 22))
    assert cut["coverage"].to_list() == ["full", "full", "partial"] and cut["covered_days"][-1] == 3


def test_declared_coverage_replaces_what_the_data_shows() -> None:
    declared = [SourceCoverage(source="mission", kind="ceasefire_violation", first=date(2025, 1, 6),
                               last=date(2025, 1, 26), declared=True)]
    cover = coverage_from_frame(_frame(), declared)
    s = indicator_series(_frame(), "violations", "week", coverage=cover)
    assert s["value"].to_list() == [2.0, 0.0, 0.0] and set(s["coverage"].to_list()) == {"full"}


def test_every_kind_counts_for_an_indicator_over_every_kind() -> None:
    s = indicator_series(_frame(), "fatalities", "week")
    assert s["coverage"].to_list() == ["full"] * 3  # the air force covers every week, so fatalities are known

"""The dashboard's chart specifications are valid Vega-Lite (the pages skip validation for speed, so it is done here)
and carry the data they are given, with missing figures left out rather than drawn as zero."""

from __future__ import annotations

from datetime import date
from typing import Any

import altair as alt

from reassure.charts import vega as charts
from reassure.domains.incidents.indicators import CategoryRow, IndicatorRow
from reassure.domains.plans.schemas import CoverageCell, TourRead

TOURS = [TourRead(plan="plan_" + "a" * 16, unit=f"U{i}", nation=n, capability="frigate", task="SEA", location="sea",
                  start=date(2027, 1 + i, 1), end=date(2027, 3 + i, 28), first_period=i, last_period=i + 2,
                  personnel=200, marking="PUBLIC") for i, n in enumerate(["FRA", "GBR", "ITA"])]
CELLS = [CoverageCell(task="SEA", period=i, period_start=date(2027, 1 + i, 1), demand=2, covered=i % 3)
         for i in range(6)]
ROWS = [IndicatorRow(period_start=date(2025, m, 1), attacks=3, launched=None if m == 2 else 100, destroyed=90,
                     suppressed=None, neutralized=None, destroyed_rate=None if m == 2 else 0.9,
                     destroyed_low=0.83, destroyed_high=0.95, neutralized_rate=None, neutralized_low=None,
                     neutralized_high=None, violations=0, days=30, air_days=6 if m == 3 else 30,
                     air_coverage="partial" if m == 3 else "full") for m in (1, 2, 3)]


def _valid(spec: dict[str, Any]) -> None:
    """Raise if a spec is not valid Vega-Lite (Altair's own schema check)."""
    from altair.utils.schemapi import validate_jsonschema

    validate_jsonschema(spec, alt.vegalite.v6.schema.core.load_schema())


def test_every_chart_is_valid_vega_lite_with_its_data() -> None:
    specs = {"gantt": charts.gantt(TOURS), "gantt_by_task": charts.gantt_by_task(TOURS, width=500),
              "heatmap": charts.coverage_heatmap(CELLS),
             "burden": charts.burden([{"nation": "FRA", "share": 0.4, "fair_share": 0.3}]),
             "attacks": charts.attacks(ROWS), "rates": charts.rates(ROWS),
             "categories": charts.by_category([CategoryRow(period_start=date(2025, 1, 1), category="drone",
                                                           launched=100, destroyed=90)])}
    for spec in specs.values():
        _valid(spec)
    assert len(specs["gantt"]["data"]["values"]) == 3
    attacks = specs["attacks"]["data"]["values"]
    assert {(v["period"], v["figure"]) for v in attacks} >= {("2025-01-01", "launched"), ("2025-02-01", "destroyed")}
    unreported = [v for v in attacks if (v["period"], v["figure"]) == ("2025-02-01", "launched")]
    assert [v["per_day"] for v in unreported] == [None]  # not reported: a gap in the line, not 0
    march = next(v for v in attacks if (v["period"], v["figure"]) == ("2025-03-01", "launched"))
    assert march["per_day"] == 100 / 6 and march["label"] == "partial (6/30 d)"  # per day of data, labelled
    assert [v["period"] for v in specs["rates"]["data"]["values"]] == ["2025-01-01", "2025-03-01"]


def test_the_validity_check_can_fail() -> None:
    import pytest

    spec = charts.coverage_heatmap(CELLS)
    spec["mark"] = {"type": "no-such-mark"}
    with pytest.raises(Exception, match="no-such-mark"):
        _valid(spec)

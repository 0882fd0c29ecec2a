"""Indicators and rules cut by region: a region in any spelling or code matches every attack whose reports name it."""

from __future__ import annotations

from datetime import date, datetime

import polars as pl
import pytest

from reassure.monitoring.indicators import indicator_series
from reassure.monitoring.indicators.frame import build_incident_frame
from reassure.rules import evaluate_rule
from reassure.rules.model import Rule


def frame() -> pl.DataFrame:
    """Three attacks: one on Kharkiv and Sumy, one on Odesa, one on a region written only by name (an older frame)."""
    return build_incident_frame([
        {"start": datetime(2025, 9, 4, 2), "category": "drone", "launched": 100, "regions": ["UA-63", "UA-59"]},
        {"start": datetime(2025, 9, 5, 2), "category": "drone", "launched": 20, "regions": ["UA-51"]},
        {"start": datetime(2025, 9, 6, 2), "category": "drone", "launched": 7, "region": "Kharkiv Oblast"},
    ])


@pytest.mark.parametrize(("region", "launched"), [
    ("UA-63", 107), ("Харківщина", 107), ("kharkov", 107), ("Sumy Oblast", 100), (["UA-51", "UA-59"], 120),
    ("Lviv", 0), ("Atlantis", 0),
])
def test_an_attack_counts_in_every_region_its_reports_name(region: object, launched: int) -> None:
    series = indicator_series(frame(), "launched", "1mo", region=region)
    assert int(series["value"].sum()) == launched


def test_a_rule_condition_cut_by_region() -> None:
    rule = Rule.model_validate({
        "id": "kharkiv", "name": "k", "kind": "alert", "description": "d", "action": "a",
        "conditions": [{"indicator": "launched", "params": {"region": "Харківщина"}, "period": "month",
                        "comparator": ">", "threshold": 100}]})
    evaluation = evaluate_rule(rule, frame(), date(2025, 9, 30))
    # September is covered on 4 to 6 September only: 107 is a lower bound (at least), enough for "> 100"
    assert evaluation.met and evaluation.conditions[0].at_least == 107

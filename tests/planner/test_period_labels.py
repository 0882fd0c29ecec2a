"""Period labels: months and weeks from the horizon."""

from __future__ import annotations

from reassure.planner.period_labels import period_label, span_label

from .builders import problem, task, unit


def test_period_labels_months_and_weeks() -> None:
    p = problem([unit("A")], [task("T")], periods=14)
    assert period_label(p.horizon, 13) == "Feb 2027"
    weekly = p.horizon.model_copy(update={"period": "week"})
    assert period_label(weekly, 2) == "w/c 2026-01-15"
    assert span_label(p.horizon, 0, 2) == "Jan 2026 – Mar 2026" and span_label(p.horizon, 13, 13) == "Feb 2027"

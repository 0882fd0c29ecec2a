"""Greedy baseline (the staff officer's spreadsheet) and gap explanations from the rules."""

from __future__ import annotations

from reassure.planner.baseline import greedy_plan
from reassure.planner.explain import explain_gaps
from reassure.planner.index import Instance
from reassure.planner.periods import period_label, span_label
from reassure.planner.score import gap_cells
from reassure.planner.validate import validate

from .builders import problem, task, tour, unit


def test_greedy_serves_highest_priority_first_with_longest_available_unit() -> None:
    units = [unit("SHORT", available_to=3, max_tour=6), unit("LONG", available_to=11, max_tour=6)]
    p = problem(units, [task("LOW", priority=1), task("HIGH", priority=5)], periods=6)
    plan = greedy_plan(p)
    assert validate(p, plan).valid
    first = {(t.unit, t.task) for t in plan.tours if t.start == 0}
    assert ("LONG", "HIGH") in first and ("SHORT", "LOW") in first


def test_greedy_deploys_full_tours_and_respects_dwell() -> None:
    p = problem([unit("A", max_tour=3, min_dwell=2)], [task("T")], periods=10)
    plan = greedy_plan(p)
    assert [(t.start, t.end) for t in plan.tours] == [(0, 2), (5, 7)]
    assert plan.status == "feasible" and plan.bound >= plan.coverage


def test_greedy_keeps_frozen_tours() -> None:
    p = problem([unit("A"), unit("B")], [task("T")], frozen=[tour("B", "T", 2, 3)])
    assert tour("B", "T", 2, 3) in greedy_plan(p).tours


def test_explanation_names_units_and_rules_with_dates() -> None:
    units = [
        unit("FRA-FS-1", max_tour=2, min_dwell=4),
        unit("GBR-FS-1", nation="GBR", max_tour=2, min_dwell=4),
        unit("POL-FS-1", nation="POL", exclude_tasks=["AIR-WEST"]),
    ]
    p = problem(units, [task("AIR-WEST", demand=[1, 1, 0, 0, 1, 1])], periods=6)
    tours = [tour("FRA-FS-1", "AIR-WEST", 0, 1)]
    inst = Instance(p)
    [gap] = gap_cells(inst, tours)
    [why] = explain_gaps(inst, tours, [gap])
    assert gap.periods() == [4, 5]
    assert why.causes["min_dwell"] == ["FRA-FS-1"]
    assert why.causes["task_excluded"] == ["POL-FS-1"]
    assert why.causes["not_assigned"] == ["GBR-FS-1"]
    assert "May 2026 – Jun 2026" in why.text and "excluded by caveat (task_excluded): POL-FS-1" in why.text


def test_explanation_when_no_unit_has_the_capability() -> None:
    p = problem([unit("A")], [task("SEA", capability="frigate", location="sea")], periods=2)
    plan = greedy_plan(p)
    assert "no unit in the problem is a frigate (capability_match)" in plan.gaps[0].reason


def test_explanation_reports_deployment_elsewhere_and_legal() -> None:
    legal = [
        {"nation": "GBR", "host": "UKR", "kind": "SOFA", "in_force_from": 4},
        {"nation": "FRA", "host": "UKR", "kind": "SOFA", "in_force_from": 0},
    ]
    units = [unit("A"), unit("B", nation="GBR")]
    p = problem(units, [task("T1", priority=5), task("T2", requires_legal=["SOFA"])], periods=6, legal=legal)
    plan = greedy_plan(p)
    reasons = " ".join(g.reason for g in plan.gaps if g.task == "T2")
    assert "unit_overlap" in reasons and "A (on T1)" in reasons
    assert "legal_prerequisite" in reasons and "B (SOFA (in force from 4))" in reasons


def test_period_labels_months_and_weeks() -> None:
    p = problem([unit("A")], [task("T")], periods=14)
    assert period_label(p.horizon, 13) == "Feb 2027"
    weekly = p.horizon.model_copy(update={"period": "week"})
    assert period_label(weekly, 2) == "w/c 2026-01-15"
    assert span_label(p.horizon, 0, 2) == "months 0–2 (Jan 2026 – Mar 2026)"

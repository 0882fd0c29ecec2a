"""Gap explanations from the rules: which units could have served, and why they did not."""

from __future__ import annotations

from reassure.core.labels import reason_label
from reassure.planner.hard_rules.explain import explain_gaps
from reassure.planner.hard_rules.score import gap_cells
from reassure.planner.index import Instance
from reassure.planner.solver.baseline import greedy_plan

from ..builders import problem, task, tour, unit


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
    assert "May 2026 – Jun 2026" in why.text and "excluded by a caveat: POL-FS-1" in why.text


def test_explanation_when_no_unit_has_the_capability() -> None:
    p = problem([unit("A")], [task("SEA", capability="frigate", location="sea")], periods=2)
    plan = greedy_plan(p)
    assert "no unit in the problem is a frigate" in plan.gaps[0].reason


def test_explanation_reports_deployment_elsewhere_and_legal() -> None:
    legal = [
        {"nation": "GBR", "host": "UKR", "kind": "SOFA", "in_force_from": 4},
        {"nation": "FRA", "host": "UKR", "kind": "SOFA", "in_force_from": 0},
    ]
    units = [unit("A"), unit("B", nation="GBR")]
    p = problem(units, [task("T1", priority=5), task("T2", requires_legal=["SOFA"])], periods=6, legal=legal)
    plan = greedy_plan(p)
    reasons = " ".join(g.reason for g in plan.gaps if g.task == "T2")
    assert reason_label("unit_overlap") in reasons and "A (on T1)" in reasons
    assert reason_label("legal_prerequisite") in reasons and "B (SOFA (in force from 4))" in reasons

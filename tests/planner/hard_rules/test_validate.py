"""The validator catches every kind of violation, one broken plan per rule, and re-checks the score."""

from __future__ import annotations

from typing import Any

import pytest

from reassure.planner.hard_rules import RULE_NAMES
from reassure.planner.hard_rules.validate import check_tours, validate
from reassure.planner.index import Instance
from reassure.planner.instance import Plan, Problem, Tour
from reassure.planner.solver.baseline import greedy_plan
from reassure.planner.solver.result import make_plan

from ..builders import problem, task, tour, unit

LEGAL = [
    {"nation": "FRA", "host": "UKR", "kind": "SOFA", "in_force_from": 2},
    {"nation": "GBR", "host": "UKR", "kind": "MOU", "in_force_from": 0, "in_force_to": 4},
]


def _base() -> Problem:
    units = [
        unit("A", max_tour=3, min_dwell=2, available_to=9, personnel=300),
        unit("B", max_tour=3, min_dwell=2, personnel=300, nation="GBR"),
        unit("C", capability="frigate", locations=["sea"]),
        unit("D", locations=["adjacent"]),
        unit("E", exclude_tasks=["T"]),
        unit("F", conditions=["us_backstop"]),
        unit("G", nation="POL"),
        unit("H", nation="POL", notice=4),
    ]
    tasks = [
        task("T"),
        task("U", requires_legal=["SOFA"]),
        task("V", nations=["GBR"]),
        task("L", requires_legal=["MOU"]),
        task("W", component="bilateral", partners=["GBR", "POL"]),
        task("X", lead="GBR"),
        task("Y", component="multinational", min_nations=2),
        task("Z", component="multinational", max_share=0.5),
        task("HQ"),
        task("C1", parent="HQ"),
    ]
    nations: list[dict[str, Any]] = [{"code": "FRA", "max_personnel": 600}, {"code": "GBR"}, {"code": "POL"}]
    return problem(
        units,
        tasks,
        periods=12,
        nations=nations,
        legal=LEGAL,
        flags={"us_backstop": False},
        frozen=[tour("B", "T", 0, 1)],
    )


BROKEN: dict[str, list[Tour]] = {
    "tour_shape": [tour("NOPE", "T", 2, 3)],
    "unit_overlap": [tour("A", "T", 2, 4), tour("A", "U", 4, 5)],
    "capability_match": [tour("C", "T", 2, 3)],
    "availability_window": [tour("A", "T", 8, 10)],
    "max_tour": [tour("A", "T", 2, 6)],
    "min_dwell": [tour("A", "T", 2, 3), tour("A", "T", 5, 6)],
    "location_allowed": [tour("D", "T", 2, 3)],
    "task_excluded": [tour("E", "T", 2, 3)],
    "conditions_flags": [tour("F", "T", 2, 3)],
    "legal_prerequisite": [tour("A", "U", 1, 3)],
    "nation_allowed": [tour("G", "V", 2, 3)],
    "personnel_cap": [tour("A", "T", 3, 4), tour("D", "T", 3, 3), tour("E", "U", 3, 3)],
    "notice_to_move": [tour("H", "T", 1, 2)],
    "legal_in_force": [tour("B", "L", 4, 6)],
    "bilateral_partners": [tour("A", "W", 2, 3)],
    "lead_nation": [tour("A", "X", 2, 3)],
    "min_nations": [tour("A", "Y", 2, 3)],
    "max_share": [tour("A", "Z", 2, 3)],
    "command_chain": [tour("A", "HQ", 2, 3)],
    "frozen_kept": [],
}


def test_every_rule_has_a_broken_case() -> None:
    assert set(BROKEN) == set(RULE_NAMES)


@pytest.mark.parametrize("rule", sorted(BROKEN))
def test_validator_catches_each_rule(rule: str) -> None:
    p = _base()
    tours = [*p.frozen, *BROKEN[rule]] if rule != "frozen_kept" else []
    found = {v.rule for v in check_tours(p, tours)}
    assert rule in found


def test_clean_plan_has_no_violations() -> None:
    p = _base()
    tours = [*p.frozen, tour("A", "T", 2, 4), tour("A", "U", 7, 9), tour("G", "T", 5, 11)]
    assert check_tours(p, tours) == []
    report = validate(p, make_plan(Instance(p), tours, "feasible", 1.0, 0.0))
    assert report.valid, report.violations


def test_validator_rechecks_reported_score_and_gaps() -> None:
    p = _base()
    plan = greedy_plan(p)
    assert validate(p, plan).valid
    lying = plan.model_copy(update={"coverage": 1.0, "covered_weight": plan.covered_weight + 1})
    assert validate(p, lying).rules_broken() == {"reported_score"}
    no_gaps = plan.model_copy(update={"gaps": []})
    assert "reported_gaps" in validate(p, no_gaps).rules_broken()
    low_bound = plan.model_copy(update={"bound": plan.coverage - 0.1})
    assert "reported_score" in validate(p, low_bound).rules_broken()


def test_overlapping_tours_counted_once_per_unit_and_task() -> None:
    p = problem([unit("A")], [task("T", demand=2)], periods=3)
    plan = Plan.model_validate(
        {
            "status": "feasible",
            "tours": [{"unit": "A", "task": "T", "start": 0, "end": 2}] * 2,
            "coverage": 0.5,
            "covered_weight": 3,
            "demand_weight": 6,
            "tours_count": 2,
            "bound": 1.0,
            "solve_seconds": 0.0,
            "gaps": [{"task": "T", "periods": [0, 1, 2], "missing": 1, "reason": ""}],
        }
    )
    report = validate(p, plan)
    assert report.covered_weight == 3 and report.rules_broken() == {"unit_overlap"}

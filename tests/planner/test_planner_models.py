"""Problem and plan JSON follow DESIGN §3 exactly: unknown keys and broken references are errors."""

from __future__ import annotations

import json
from typing import Any

import pytest
from pydantic import ValidationError

from reassure.planner.instance import Plan, Problem, dump_json

from .builders import problem, task, unit

DESIGN_PROBLEM: dict[str, Any] = {
    "horizon": {"start": "2026-01-01", "period": "month", "periods": 3},
    "flags": {"us_backstop": True},
    "nations": [{"code": "FRA", "max_personnel": 7000, "fair_share": 0.18}],
    "legal": [{"nation": "FRA", "host": "UKR", "kind": "SOFA", "in_force_from": 2}],
    "tasks": [
        {
            "id": "AIR-WEST",
            "capability": "fighter_squadron",
            "location": "air",
            "demand": [2, 2, 2],
            "priority": 3,
            "requires_legal": [],
            "nations": None,
        }
    ],
    "units": [
        {
            "id": "FRA-FS-1",
            "nation": "FRA",
            "capability": "fighter_squadron",
            "personnel": 350,
            "available_from": 0,
            "available_to": 35,
            "max_tour": 4,
            "min_dwell": 8,
            "locations": ["air", "adjacent"],
            "exclude_tasks": [],
            "conditions": [],
            "probability": 0.9,
        }
    ],
    "frozen": [{"unit": "FRA-FS-1", "task": "AIR-WEST", "start": 0, "end": 1}],
}


def test_design_example_parses_and_round_trips() -> None:
    p = Problem.model_validate(DESIGN_PROBLEM)
    assert Problem.model_validate_json(dump_json(p)) == p
    assert p.demand_of(p.tasks[0]) == [2, 2, 2]


@pytest.mark.parametrize("path", [(), ("tasks", 0), ("units", 0), ("horizon",), ("nations", 0), ("frozen", 0)])
def test_unknown_keys_are_errors(path: tuple[Any, ...]) -> None:
    data = json.loads(json.dumps(DESIGN_PROBLEM))
    node = data
    for key in path:
        node = node[key]
    node["surprise"] = 1
    with pytest.raises(ValidationError) as exc:
        Problem.model_validate(data)
    assert any(e["type"] == "extra_forbidden" for e in exc.value.errors())


def test_integer_demand_applies_to_every_period() -> None:
    p = problem([unit("A")], [task("T", demand=2)], periods=4)
    assert p.demand_of(p.tasks[0]) == [2, 2, 2, 2]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"tasks": [task("T", demand=[1, 1])]}, "tasks.0.demand"),
        ({"units": [unit("A", nation="XXX")]}, "units.0.nation"),
        ({"units": [unit("A"), unit("A")]}, "duplicate id 'A'"),
        ({"units": [unit("A", available_from=5, available_to=2)]}, "units.0.available_to"),
        ({"frozen": [{"unit": "Z", "task": "T", "start": 0, "end": 1}]}, "frozen.0.unit"),
        ({"frozen": [{"unit": "A", "task": "T", "start": 2, "end": 9}]}, "frozen.0"),
    ],
)
def test_reference_errors_name_the_field(change: dict[str, Any], message: str) -> None:
    data = problem([unit("A")], [task("T")], periods=6).model_dump(mode="json")
    data.update(change)
    with pytest.raises(ValidationError) as exc:
        Problem.model_validate(data)
    assert message in str(exc.value)


def test_missing_required_key_is_an_error() -> None:
    data = json.loads(json.dumps(DESIGN_PROBLEM))
    del data["tasks"][0]["requires_legal"]
    with pytest.raises(ValidationError):
        Problem.model_validate(data)


def test_plan_rejects_unknown_keys_and_statuses() -> None:
    plan = {
        "status": "optimal",
        "tours": [],
        "coverage": 1.0,
        "covered_weight": 0,
        "demand_weight": 0,
        "tours_count": 0,
        "bound": 1.0,
        "gaps": [],
        "solve_seconds": 0.1,
    }
    Plan.model_validate(plan)
    with pytest.raises(ValidationError):
        Plan.model_validate({**plan, "extra": 1})
    with pytest.raises(ValidationError):
        Plan.model_validate({**plan, "status": "great"})


def _design_with(path: tuple[Any, ...], value: Any) -> dict[str, Any]:
    """Return a copy of the DESIGN §3 example problem with the field at `path` set to `value`."""
    data: dict[str, Any] = json.loads(json.dumps(DESIGN_PROBLEM))
    node: Any = data
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value
    return data


@pytest.mark.parametrize("path,value", [
    (("units", 0, "probability"), True), (("units", 0, "notice"), True), (("units", 0, "personnel"), True),
    (("tasks", 0, "demand"), [2, True, 2]), (("tasks", 0, "priority"), True), (("nations", 0, "fair_share"), False),
    (("legal", 0, "probability"), True), (("horizon", "periods"), True)])
def test_true_or_false_is_no_number(path: tuple[Any, ...], value: Any) -> None:
    """JSON true/false where the format wants a number is refused, naming the field, not read as 1 or 0 (a unit's
    probability of `true` would be certainty, a notice of `true` one period)."""
    with pytest.raises(ValidationError, match=rf"{path[-1]}[\s\S]*expected a number, not (true|false)"):
        Problem.model_validate(_design_with(path, value))


def test_multinational_rules_take_no_booleans() -> None:
    data = json.loads(json.dumps(DESIGN_PROBLEM))
    data["tasks"][0] |= {"component": "multinational", "min_nations": True}
    with pytest.raises(ValidationError, match=r"min_nations[\s\S]*expected a number, not true"):
        Problem.model_validate(data)


@pytest.mark.parametrize("path,value,message", [
    (("tasks", 0, "priority"), 10**30, "whole number between"), (("units", 0, "max_tour"), 10**30, "whole number"),
    (("units", 0, "max_tour"), 2**31 - 1, "less than or equal to 520"),
    (("units", 0, "min_dwell"), 2**31 - 1, "less than or equal to 520"),
    (("horizon", "periods"), 100_000, "less than or equal to 520"),
    (("tasks", 0, "demand"), [2, 10**30, 2], "whole number between")])
def test_numbers_no_solver_can_take_are_refused_naming_the_field(path: tuple[Any, ...], value: Any,
                                                                  message: str) -> None:
    """A count beyond what any plan needs is refused when the file is read, naming the field (it crashed the solver
    with a traceback, or exhausted the machine's memory: a max_tour of 2**31 - 1)."""
    with pytest.raises(ValidationError, match=rf"{path[-1]}[\s\S]*{message}"):
        Problem.model_validate(_design_with(path, value))

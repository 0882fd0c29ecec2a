"""Small hand-made planner problems for the tests."""

from __future__ import annotations

from typing import Any

from reassure.planner.instance import Plan, Problem, Tour


def unit(uid: str, **kw: Any) -> dict[str, Any]:
    """Return a unit dict with sensible defaults (a FRA fighter squadron available all along)."""
    base: dict[str, Any] = {
        "id": uid,
        "nation": "FRA",
        "capability": "fighter_squadron",
        "personnel": 300,
        "available_from": 0,
        "available_to": 99,
        "max_tour": 99,
        "min_dwell": 0,
        "locations": ["air", "adjacent", "inside", "sea"],
    }
    base.update(kw)
    return base


def task(tid: str, demand: int | list[int] = 1, **kw: Any) -> dict[str, Any]:
    """Return a task dict (an air task needing one fighter squadron per period by default)."""
    base: dict[str, Any] = {
        "id": tid,
        "capability": "fighter_squadron",
        "location": "air",
        "demand": demand,
        "priority": 1,
        "requires_legal": [],
        "nations": None,
    }
    base.update(kw)
    return base


def problem(
    units: list[dict[str, Any]],
    tasks: list[dict[str, Any]],
    periods: int = 6,
    nations: list[dict[str, Any]] | None = None,
    **kw: Any,
) -> Problem:
    """Return a validated problem over `periods` months from 2026-01-01."""
    codes = sorted({u["nation"] for u in units} | {"FRA", "GBR", "POL"})
    data: dict[str, Any] = {
        "horizon": {"start": "2026-01-01", "period": "month", "periods": periods},
        "flags": {"us_backstop": True},
        "nations": nations if nations is not None else [{"code": c} for c in codes],
        "legal": [],
        "tasks": tasks,
        "units": units,
    }
    data.update(kw)
    return Problem.model_validate(data)


def tour(u: str, t: str, start: int, end: int) -> Tour:
    """Return a tour."""
    return Tour(unit=u, task=t, start=start, end=end)


def used(plan: Plan, unit_id: str) -> bool:
    """Tell whether the plan sends the unit anywhere."""
    return any(t.unit == unit_id for t in plan.tours)

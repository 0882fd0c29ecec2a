"""Sustainability figures: rotation multipliers, required pools, personnel per nation, burden shares."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Literal

from pydantic import BaseModel, ConfigDict

from reassure.planner.hard_rules.compat import pair_window
from reassure.planner.hard_rules.personnel_cap import deployed
from reassure.planner.index import Instance
from reassure.planner.instance import Problem, Tour


def rotation_multiplier(tour: int, dwell: int) -> float:
    """Return units needed per deployed unit to sustain a post: (tour + dwell) / tour."""
    if tour < 1 or dwell < 0:
        raise ValueError("tour must be >= 1 and dwell >= 0")
    return (tour + dwell) / tour


class TaskPool(BaseModel):
    """Units a task needs in its pool to be sustained, against the compatible units pledged."""

    model_config = ConfigDict(extra="forbid")

    task: str
    capability: str
    peak_demand: int
    mean_demand: float
    multiplier: float | None  # from the mean tour and dwell of the units that could serve
    required_pool: int | None  # ceil(peak demand × multiplier)
    available_pool: int  # units that may serve the task at some period
    shortfall: int | None


def required_pools(problem: Problem) -> list[TaskPool]:
    """Return, per task, the rotation multiplier and the unit pool its peak demand requires."""
    inst = Instance(problem)
    out = []
    for k, task in enumerate(inst.tasks):
        demand = inst.demand[k]
        able = [u for u in inst.units if pair_window(inst, u, task) is not None]
        basis = able or [u for u in inst.units if u.capability == task.capability]
        mult = None
        if basis:
            tour = sum(u.max_tour for u in basis) / len(basis)
            dwell = sum(u.min_dwell for u in basis) / len(basis)
            mult = (tour + dwell) / tour
        peak = max(demand, default=0)
        need = math.ceil(peak * mult - 1e-9) if mult is not None else None
        out.append(
            TaskPool(
                task=task.id,
                capability=task.capability,
                peak_demand=peak,
                mean_demand=sum(demand) / len(demand),
                multiplier=mult,
                required_pool=need,
                available_pool=len(able),
                shortfall=max(0, need - len(able)) if need is not None else None,
            )
        )
    return out


def personnel_by_nation(problem: Problem, tours: Sequence[Tour]) -> dict[str, list[int]]:
    """Return deployed personnel per nation and period under a plan (every listed nation included)."""
    inst = Instance(problem)
    load = deployed(inst, tours)
    return {n.code: load.get(n.code, [0] * inst.periods) for n in problem.nations}


class BurdenShare(BaseModel):
    """A nation's share of deployed personnel-periods against its fair share."""

    model_config = ConfigDict(extra="forbid")

    nation: str
    personnel_periods: int
    share: float
    fair_share: float | None
    fair_source: Literal["problem", "gdp", "none"]
    delta: float | None  # share - fair_share


def fair_shares(problem: Problem, gdp: Mapping[str, float] | None = None) -> dict[str, tuple[float | None, str]]:
    """Return each nation's fair share: from the problem where given, else its share of GDP."""
    gdp = gdp or {}
    total = sum(gdp.get(n.code, 0.0) for n in problem.nations)
    out: dict[str, tuple[float | None, str]] = {}
    for n in problem.nations:
        if n.fair_share is not None:
            out[n.code] = (n.fair_share, "problem")
        elif total > 0 and n.code in gdp:
            out[n.code] = (gdp[n.code] / total, "gdp")
        else:
            out[n.code] = (None, "none")
    return out


def burden_shares(problem: Problem, tours: Sequence[Tour], gdp: Mapping[str, float] | None = None) -> list[BurdenShare]:
    """Compare each nation's share of personnel-periods with its fair share."""
    load = personnel_by_nation(problem, tours)
    total = sum(sum(v) for v in load.values())
    fair = fair_shares(problem, gdp)
    out = []
    for code, series in load.items():
        pp = sum(series)
        share = pp / total if total else 0.0
        value, source = fair[code]
        out.append(
            BurdenShare(
                nation=code,
                personnel_periods=pp,
                share=share,
                fair_share=value,
                fair_source=source,  # type: ignore[arg-type]
                delta=None if value is None else share - value,
            )
        )
    return out

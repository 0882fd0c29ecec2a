"""Read a scenario's phases (only those released to the viewer), ordered by their periods."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from reassure.core.phases import DemandRule, PhaseSpec
from reassure.db.keys import first_per_key
from reassure.db.paging import paged
from reassure.domains.phases.models import ScenarioPhase
from reassure.domains.phases.schemas import PhaseDemandRead, PhaseRead
from reassure.domains.scenario_records.lookup import find_scenario
from reassure.domains.scenario_records.models import Scenario
from reassure.domains.tasks.models import Task
from reassure.planner.instance import Horizon
from reassure.planner.period_labels import period_start


def demand_text(entry: dict[str, Any]) -> str:
    """Return a phase's demand on a task in words ("demand × 0.5", "2 units", "handed over to Ukrainian forces")."""
    units = entry.get("units")
    if entry.get("handover"):
        kept = "none stay" if not units else f"{units} unit{'s' if units != 1 else ''} stay{'s' if units == 1 else ''}"
        return f"handed over to Ukrainian forces ({kept} with the coalition)"
    if units is not None:
        return f"{units} unit{'s' if units != 1 else ''} per period"
    return f"demand × {entry.get('factor'):g}"


def scenario_phases(scenario: Scenario, *, db: Session) -> list[ScenarioPhase]:
    """Return a visible scenario's visible phases, by their first period (one per key, as db/keys keeps it)."""
    return list(db.scalars(_listing(scenario.id, db)))


def _listing(scenario_id: int, db: Session) -> Select[ScenarioPhase]:
    return (select(ScenarioPhase).where(ScenarioPhase.scenario_id == scenario_id,
                                        first_per_key(db, ScenarioPhase, "scenario_id", "key"))
            .order_by(ScenarioPhase.start_period, ScenarioPhase.key, ScenarioPhase.id))


def phase_specs(phases: list[ScenarioPhase], tasks: Mapping[str, Task]) -> list[PhaseSpec]:
    """Return stored phases as the pure core's phase specs (core/phases.py), to resolve a problem's demand. A demand
    line counts only on a task of `tasks` (the reader's) that the phase's writer could see: another nation's phase
    never changes the demand of a task hidden from it (one of the same key it holds itself included), while a wider
    phase of the task's own nations may name it (its listing then shows the line only to those who see the task)."""
    return [PhaseSpec(key=p.key, start=p.start_period, end=p.end_period,
                      demand=tuple(DemandRule(task=d["task"], factor=d.get("factor"), units=d.get("units"),
                                              handover=bool(d.get("handover"))) for d in p.demand
                                   if d.get("task") in tasks
                                   and _seen_by_writer(p, tasks[d["task"]])))
            for p in phases]


def _seen_by_writer(phase: ScenarioPhase, task: Task) -> bool:
    """Whether the nation that wrote a phase may read a task (bundled data, written by no nation, may)."""
    return phase.owner_nation is None or task.releasability.allows(phase.owner_nation)


def visible_demand(p: ScenarioPhase, tasks: set[str]) -> list[dict[str, Any]]:
    """Return a phase's demand entries on the tasks the reader sees (a hidden task and an absent one look the same)."""
    return [d for d in p.demand if d.get("task") in tasks]


def visible_tasks(scenario: Scenario, *, db: Session) -> set[str]:
    """Return the keys of a scenario's tasks the reader sees."""
    return set(db.scalars(select(Task.key).where(Task.scenario_id == scenario.id)))


def read(p: ScenarioPhase, scenario: Scenario, tasks: set[str]) -> PhaseRead:
    """Return a phase's listing, with its dates on the scenario's horizon and its demand on the visible `tasks`."""
    horizon = Horizon(start=scenario.horizon_start, period=scenario.period,  # type: ignore[arg-type]
                      periods=scenario.periods)
    return PhaseRead(scenario=scenario.name, key=p.key, name=p.name, start=p.start_period, end=p.end_period,
                     start_date=period_start(horizon, p.start_period),
                     end_date=period_start(horizon, p.end_period + 1) - timedelta(days=1),
                     demand=[PhaseDemandRead(task=d["task"], factor=d.get("factor"), units=d.get("units"),
                                             handover=bool(d.get("handover")), text=demand_text(d))
                             for d in visible_demand(p, tasks)],
                     entry=p.entry, rule=p.rule_id, marking=str(p.releasability))


def list_phases(scenario: str, *, db: Session) -> list[PhaseRead]:
    """Return a scenario's phases as the viewer may see them, by their first period."""
    s = find_scenario(scenario, db=db)
    tasks = visible_tasks(s, db=db)
    return [read(p, s, tasks) for p in scenario_phases(s, db=db)]


def page_phases(scenario: str, *, db: Session, limit: int = 50, offset: int = 0) -> tuple[list[PhaseRead], int]:
    """Return one page of a scenario's visible phases and how many there are."""
    s = find_scenario(scenario, db=db)
    found, total = paged(db, _listing(s.id, db), limit=limit, offset=offset)
    tasks = visible_tasks(s, db=db)
    return [read(p, s, tasks) for p in found], total

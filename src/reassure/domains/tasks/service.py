"""Read a scenario's tasks (only those released to the viewer)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from reassure.db.keys import first_per_key
from reassure.domains.scenario_records.lookup import find_scenario
from reassure.domains.tasks.models import Task
from reassure.domains.tasks.schemas import TaskRead


def list_tasks(scenario: str, *, db: Session) -> list[TaskRead]:
    """Return a scenario's tasks by key (a task seen under two markings once, as db/keys keeps it)."""
    s = find_scenario(scenario, db=db)
    tasks = db.scalars(select(Task).where(Task.scenario_id == s.id, first_per_key(db, Task, "scenario_id", "key"))
                       .order_by(Task.key))
    return [TaskRead(scenario=s.name, key=t.key, name=t.name, domain=t.domain, capability=t.capability,
                     location=t.location, sector=t.sector, demand=list(t.demand), priority=t.priority,
                     requires_legal=list(t.requires_legal), multinational=t.multinational,
                     nations=list(t.nations) if t.nations else None, lead_nation=t.lead_nation, command=t.command_key,
                     marking=str(t.releasability)) for t in tasks]

"""The tasks domain called directly (no CLI): a scenario's tasks read through the access filter, written by the
scenario import with each change audited (before and after), bad input refused with nothing written, on both
databases."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from reassure.core.errors import Forbidden
from reassure.core.identity import Identity, Role
from reassure.core.text_files import InputFileError
from reassure.db.uow import unit_of_work
from reassure.domains.audit.models import AuditEntry
from reassure.domains.scenario_records.models import Scenario
from reassure.domains.tasks.models import Task
from reassure.domains.tasks.service import list_tasks
from reassure.settings import Settings
from tests.conftest import raw_counts, who
from tests.domains.scenario_records.factories import PARTS, T_FR, german_view, import_parts, refusals

FRA, DEU, GBR = who("FRA"), who("DEU"), who("GBR")


def _task_audit(settings: Settings, identity: Identity = FRA) -> list[tuple[str, str, dict[str, Any]]]:
    with unit_of_work(settings, identity=identity) as db:
        return [(e.action, e.entity_key, dict(e.details)) for e in
                db.scalars(select(AuditEntry).where(AuditEntry.entity == "Task").order_by(AuditEntry.id))]


def test_a_nation_reads_only_the_tasks_released_to_it(settings: Settings, tmp_path: Path) -> None:
    import_parts(settings, tmp_path)
    with unit_of_work(settings, identity=FRA) as db:
        tasks = list_tasks("parts", db=db)
    assert [(t.key, t.command, t.marking) for t in tasks] == [("T-FR", "FR-SECTOR", "REL TO FRA"),
                                                              ("T-SEA", "HQ", "REL TO DEU, FRA")]
    assert tasks[0].demand == [1] * 6 and tasks[1].demand == [1, 1, 2, 2, 1, 1]  # one figure spread over the horizon
    with unit_of_work(settings, identity=DEU) as db:
        assert [t.key for t in list_tasks("parts", db=db)] == ["T-SEA"]


def test_a_hidden_scenarios_tasks_answer_like_an_unknown_scenarios(settings: Settings, tmp_path: Path) -> None:
    import_parts(settings, tmp_path)
    hidden, absent = refusals(settings, GBR, list_tasks, "parts")
    assert hidden == absent == "no scenario named NAME"


def test_a_changed_task_is_audited_with_before_and_after_and_marked_like_the_task(settings: Settings,
                                                                                  tmp_path: Path) -> None:
    import_parts(settings, tmp_path)
    changed = PARTS.replace("demand: [1, 1, 2, 2, 1, 1], priority: 3", "demand: 2, priority: 1").replace(
        "name: French cell", "name: French cell two")
    report = import_parts(settings, tmp_path, changed)
    assert report.counts["Task"] == {"updated": 2}
    updates = [(key, d["before"], d["after"]) for action, key, d in _task_audit(settings) if action == "task.update"]
    assert updates == [("parts/T-SEA", {"demand": [1, 1, 2, 2, 1, 1], "priority": 3},
                        {"demand": [2] * 6, "priority": 1}),
                       ("parts/T-FR", {"name": "French cell"}, {"name": "French cell two"})]
    assert [key for action, key, _ in _task_audit(settings, DEU) if action == "task.update"] == ["parts/T-SEA"]
    with unit_of_work(settings, identity=FRA) as db:
        assert [t.priority for t in list_tasks("parts", db=db)] == [2, 1]


def test_a_pruning_reimport_never_deletes_a_task_hidden_from_the_writer(settings: Settings, tmp_path: Path) -> None:
    import_parts(settings, tmp_path)
    report = import_parts(settings, tmp_path, german_view(), identity=who("DEU", Role.PLANNER))
    assert report.counts["Task"] == {"unchanged": 1}  # Germany's file lists what it sees; nothing hidden is counted
    assert raw_counts(settings.database_url, Task) == (2,)
    with unit_of_work(settings, identity=FRA) as db:
        assert [t.key for t in list_tasks("parts", db=db)] == ["T-FR", "T-SEA"]


def test_a_task_released_more_widely_than_its_scenario_is_refused_and_nothing_written(settings: Settings,
                                                                                       tmp_path: Path) -> None:
    wider = PARTS.replace(T_FR, T_FR.replace('"REL TO FRA"', "PUBLIC"))
    with pytest.raises(InputFileError) as error:
        import_parts(settings, tmp_path, wider)
    (problem,) = error.value.problems
    assert problem.field == "tasks[1] (T-FR)" and "never released more widely than its scenario" in problem.message
    assert raw_counts(settings.database_url, Scenario, Task, AuditEntry) == (0, 0, 0)


def test_a_negative_demand_names_the_task_and_writes_nothing(settings: Settings, tmp_path: Path) -> None:
    with pytest.raises(InputFileError) as error:
        import_parts(settings, tmp_path, PARTS.replace("demand: 1, priority: 2", "demand: -1, priority: 2"))
    assert any("tasks" in p.field and "negative" in p.message for p in error.value.problems)
    assert raw_counts(settings.database_url, Scenario, Task) == (0, 0)


def test_a_viewer_may_not_write_tasks(settings: Settings, tmp_path: Path) -> None:
    with pytest.raises(Forbidden):
        import_parts(settings, tmp_path, identity=who("FRA", Role.VIEWER))
    assert raw_counts(settings.database_url, Scenario, Task) == (0, 0)

"""The scenarios domain called directly (no CLI): reads filtered by releasability, the import's audited writes
(before and after in the audit) and its errors (file, row and field named; nothing written), on both databases."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from reassure.core.errors import Forbidden
from reassure.core.identity import Role
from reassure.core.text_files import InputFileError
from reassure.db.uow import unit_of_work
from reassure.domains.audit.models import AuditEntry
from reassure.domains.pledges.models import Pledge
from reassure.domains.scenario_records.lookup import ScenarioNotFound, find_scenario
from reassure.domains.scenario_records.models import Scenario
from reassure.domains.scenarios.service import coalition_summary, export_scenario, get_scenario, list_scenarios
from reassure.domains.tasks.models import Task
from reassure.settings import Settings
from tests.conftest import raw_counts, who
from tests.domains.scenarios.factories import import_scenario, scenario_text

FRA, DEU = who("FRA"), who("DEU")


def _audit(settings: Settings, action: str) -> list[AuditEntry]:
    with unit_of_work(settings, identity=FRA) as db:
        rows = list(db.scalars(select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id)))
        db.expunge_all()
    return rows


def test_a_scenario_is_read_only_by_the_nations_it_is_released_to(settings: Settings, tmp_path: Path) -> None:
    report = import_scenario(settings, tmp_path)
    assert report.counts["Scenario"]["created"] == 1 and report.counts["Task"]["created"] == 1
    with unit_of_work(settings, identity=FRA) as db:
        assert [s.name for s in list_scenarios(db=db)] == ["small"]
        read = get_scenario("small", db=db)
        assert (read.pledges, read.tasks) == (1, 1)
        assert coalition_summary("small", db=db).domains
        assert [p["key"] for p in export_scenario("small", db=db)["pledges"]] == ["P-1"]
    with unit_of_work(settings, identity=DEU) as db:  # hidden and absent look the same
        assert list_scenarios(db=db) == []
        with pytest.raises(ScenarioNotFound):
            get_scenario("small", db=db)
        with pytest.raises(ScenarioNotFound):
            find_scenario("small", db=db)
        with pytest.raises(ScenarioNotFound):
            coalition_summary("small", db=db)


def test_a_reimport_audits_each_change_with_before_and_after(settings: Settings, tmp_path: Path) -> None:
    import_scenario(settings, tmp_path)
    (created,) = _audit(settings, "scenario.create")
    assert created.entity_key == "small" and created.details["after"]["title"] == "Small scenario"
    assert created.details["origin"] == "scenario.yaml"  # the file's name, never a local path
    assert import_scenario(settings, tmp_path).changes == 0  # the same file again changes nothing
    assert _audit(settings, "scenario.update") == []
    report = import_scenario(settings, tmp_path, scenario_text(title="Renamed", demand=2))
    assert (report.counts["Scenario"]["updated"], report.counts["Task"]["updated"]) == (1, 1)
    (scenario,) = _audit(settings, "scenario.update")
    assert scenario.details["before"] == {"title": "Small scenario"}
    assert scenario.details["after"] == {"title": "Renamed"}
    (task,) = _audit(settings, "task.update")
    assert task.details["before"] == {"demand": [1] * 6} and task.details["after"] == {"demand": [2] * 6}
    (changes,) = _audit(settings, "scenario.changes.replace")  # written once, on the first import
    assert changes.details["before"] == [] and changes.details["after"] == [
        {"kind": "flag", "flag": "us_backstop", "value": False}]


def test_pruning_deletes_a_part_the_file_no_longer_lists_and_audits_it(settings: Settings, tmp_path: Path) -> None:
    import_scenario(settings, tmp_path)
    without_pledge = scenario_text().split("pledges:")[0] + "changes:" + scenario_text().split("changes:")[1]
    report = import_scenario(settings, tmp_path, without_pledge, prune=False)
    assert "Pledge" not in report.counts  # not listed, not pruned: nothing counted
    assert raw_counts(settings.database_url, Pledge) == (1,)
    report = import_scenario(settings, tmp_path, without_pledge)
    assert report.counts["Pledge"]["deleted"] == 1
    assert raw_counts(settings.database_url, Pledge) == (0,)
    (deleted,) = _audit(settings, "pledge.delete")
    assert deleted.entity_key == "small/P-1"  # "scenario/key": keys repeat across scenarios


def test_a_marking_the_writer_cannot_read_names_the_field_and_writes_nothing(settings: Settings,
                                                                                  tmp_path: Path) -> None:
    with pytest.raises(InputFileError) as error:
        import_scenario(settings, tmp_path, scenario_text(marking="REL TO DEU"))
    problems = error.value.problems
    assert (problems[0].file, problems[0].field) == ("scenario.yaml", "scenario (small).marking")
    assert "not released to your nation FRA" in problems[0].message
    assert raw_counts(settings.database_url, Scenario, Task, Pledge) == (0, 0, 0)


def test_a_scenario_marking_cannot_change_on_reimport(settings: Settings, tmp_path: Path) -> None:
    import_scenario(settings, tmp_path)
    with pytest.raises(InputFileError) as error:
        import_scenario(settings, tmp_path, scenario_text(marking="REL TO FRA, DEU", title="Wider"))
    (problem,) = error.value.problems
    assert problem.field == "scenario (small).marking" and "cannot change" in problem.message
    with unit_of_work(settings, identity=FRA) as db:
        assert get_scenario("small", db=db).title == "Small scenario"  # nothing of the refused import was kept


def test_a_pledge_table_names_its_unknown_scenario(settings: Settings, tmp_path: Path) -> None:
    table = ("key,nation,capability,quantity,personnel_per_unit,where,available_from,available_to,max_tour,"
             "min_dwell,conditions,status\nPOL-LOG,POL,logistics_battalion,3,500,adjacent,2027-01-01,2027-12-31,6,6,,"
             "confirmed\n")
    with pytest.raises(InputFileError) as error:
        import_scenario(settings, tmp_path, table, file="pledges.csv", scenario_name="absent")
    (problem,) = error.value.problems
    assert (problem.file, problem.field) == ("pledges.csv", "scenario")
    assert "no scenario named 'absent'" in problem.message
    assert raw_counts(settings.database_url, Pledge) == (0,)


def test_an_analyst_may_not_import_a_scenario(settings: Settings, tmp_path: Path) -> None:
    with pytest.raises(Forbidden):
        import_scenario(settings, tmp_path, identity=who("FRA", Role.ANALYST))
    assert raw_counts(settings.database_url, Scenario) == (0,)

"""The scenario record and its lookup called directly (no CLI): a name finds only a scenario the reader sees (hidden
and absent alike), one version of a name per reader when several markings share it (their own nation's first, else
the narrowest), and a scenario's changes marked and hidden like it, on both databases."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from reassure.core.identity import Role
from reassure.db.uow import unit_of_work
from reassure.domains.scenario_records.lookup import ScenarioNotFound, find_scenario
from reassure.domains.scenario_records.models import Scenario, ScenarioChange
from reassure.settings import Settings
from tests.conftest import raw_counts, who
from tests.domains.scenarios.factories import import_scenario, scenario_text


def _found(settings: Settings, nation: str, name: str) -> tuple[str, str]:
    with unit_of_work(settings, identity=who(nation, Role.VIEWER)) as db:
        scenario = find_scenario(name, db=db)
        return scenario.title, str(scenario.releasability)


def test_a_name_finds_only_a_visible_scenario_and_hidden_answers_like_absent(settings: Settings,
                                                                             tmp_path: Path) -> None:
    import_scenario(settings, tmp_path)  # "small", REL TO FRA
    assert _found(settings, "FRA", "small") == ("Small scenario", "REL TO FRA")
    with unit_of_work(settings, identity=who("DEU")) as db:
        with pytest.raises(ScenarioNotFound) as hidden:
            find_scenario("small", db=db)
        with pytest.raises(ScenarioNotFound) as absent:
            find_scenario("other", db=db)
    assert str(hidden.value) == "no scenario named 'small'" and str(absent.value) == "no scenario named 'other'"


def test_a_reader_of_several_markings_of_one_name_finds_its_own_nations_first(settings: Settings,
                                                                              tmp_path: Path) -> None:
    import_scenario(settings, tmp_path, scenario_text(name="twin", title="French twin"))
    import_scenario(settings, tmp_path, scenario_text(name="twin", title="German twin", marking="PUBLIC"),
                    identity=who("DEU"), file="german.yaml")  # Germany cannot see France's, so writes its own
    assert raw_counts(settings.database_url, Scenario) == (2,)
    assert _found(settings, "FRA", "twin") == ("French twin", "REL TO FRA")
    assert _found(settings, "DEU", "twin") == ("German twin", "PUBLIC")
    assert _found(settings, "GBR", "twin") == ("German twin", "PUBLIC")


def test_without_a_version_of_its_own_a_reader_finds_the_narrowest(settings: Settings, tmp_path: Path) -> None:
    british = scenario_text(name="pair", title="British for France", marking="REL TO GBR, FRA")
    import_scenario(settings, tmp_path, british, identity=who("GBR"))
    import_scenario(settings, tmp_path, scenario_text(name="pair", title="German public", marking="PUBLIC"),
                    identity=who("DEU"), file="german.yaml")
    assert _found(settings, "FRA", "pair") == ("British for France", "REL TO FRA, GBR")
    assert _found(settings, "POL", "pair") == ("German public", "PUBLIC")


def test_a_scenarios_changes_are_marked_like_it_and_hidden_with_it(settings: Settings, tmp_path: Path) -> None:
    import_scenario(settings, tmp_path)
    with unit_of_work(settings, identity=who("FRA")) as db:
        (change,) = db.scalars(select(ScenarioChange))
        assert (change.kind, change.params, change.rel_to) == ("flag", {"flag": "us_backstop", "value": False},
                                                               ",FRA,")
        assert [c.kind for c in find_scenario("small", db=db).changes] == ["flag"]
    with unit_of_work(settings, identity=who("DEU")) as db:
        assert list(db.scalars(select(ScenarioChange))) == []

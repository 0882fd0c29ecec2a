"""The preferences domain called directly (no CLI): a nation's default scenario set and cleared by its admin only
(audited with before and after, released to that nation alone), read by its readers only, a hidden scenario
refused like an absent one with nothing written, on both databases."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from reassure.core.errors import Forbidden
from reassure.core.identity import Identity, Role
from reassure.db.uow import unit_of_work
from reassure.domains.audit.models import AuditEntry
from reassure.domains.preferences.actions import clear_default_scenario, set_default_scenario
from reassure.domains.preferences.models import NationPreference
from reassure.domains.preferences.service import default_scenario, get_default_scenario
from reassure.settings import Settings
from tests.conftest import raw_counts, who
from tests.domains.scenario_records.factories import refusals
from tests.domains.scenarios.factories import import_scenario, scenario_text

FRA_ADMIN, DEU_ADMIN = who("FRA", Role.ADMIN, user="fra-admin"), who("DEU", Role.ADMIN, user="deu-admin")


def _scenarios(settings: Settings, tmp_path: Path) -> None:
    """'small' released to France and Germany, 'french' to France alone."""
    import_scenario(settings, tmp_path, scenario_text(marking="REL TO FRA, DEU"))
    import_scenario(settings, tmp_path, scenario_text(name="french"), file="french.yaml")


def _audit(settings: Settings, identity: Identity) -> list[tuple[str, str, str, object, object]]:
    with unit_of_work(settings, identity=identity) as db:
        return [(e.action, e.entity_key, e.rel_to, e.details["before"], e.details["after"]) for e in
                db.scalars(select(AuditEntry).where(AuditEntry.entity == "NationPreference").order_by(AuditEntry.id))]


def test_an_admin_sets_the_default_and_only_that_nations_readers_see_it(settings: Settings, tmp_path: Path) -> None:
    _scenarios(settings, tmp_path)
    with unit_of_work(settings, identity=FRA_ADMIN) as db:
        made = set_default_scenario("small", db=db)
    assert (made.nation, made.scenario, made.title, made.set_by, made.marking) == (
        "FRA", "small", "Small scenario", "fra-admin", "REL TO FRA")
    with unit_of_work(settings, identity=who("FRA", Role.VIEWER)) as db:
        assert default_scenario(db=db) == "small" and get_default_scenario(db=db).set_by == "fra-admin"
    with unit_of_work(settings, identity=DEU_ADMIN) as db:  # the same scenario is Germany's to read, not its default
        read = get_default_scenario(db=db)
        assert (read.nation, read.scenario, read.set_by, read.set_at) == ("DEU", None, None, None)
        assert default_scenario(db=db) is None
    previewing = Identity(user="fra-admin", nation="FRA", roles=frozenset({Role.ADMIN}), view_as="DEU")
    with unit_of_work(settings, identity=previewing) as db:  # released to France alone: a preview reads none
        assert get_default_scenario(db=db).scenario is None


def test_setting_and_clearing_are_audited_with_before_and_after(settings: Settings, tmp_path: Path) -> None:
    _scenarios(settings, tmp_path)
    with unit_of_work(settings, identity=FRA_ADMIN) as db:
        set_default_scenario("small", db=db)
    with unit_of_work(settings, identity=FRA_ADMIN) as db:
        assert set_default_scenario("french", db=db).scenario == "french"
    with unit_of_work(settings, identity=FRA_ADMIN) as db:
        assert clear_default_scenario(db=db).scenario is None
    with unit_of_work(settings, identity=FRA_ADMIN) as db:
        assert clear_default_scenario(db=db).scenario is None  # nothing set: nothing written
    rel_fra = ",FRA,"
    assert _audit(settings, FRA_ADMIN) == [
        ("nation.default_scenario", "FRA", rel_fra, {"scenario": None},
         {"scenario": "small", "scenario_marking": "REL TO DEU, FRA"}),
        ("nation.default_scenario", "FRA", rel_fra, {"scenario": "small"},
         {"scenario": "french", "scenario_marking": "REL TO FRA"}),
        ("nation.default_scenario.clear", "FRA", rel_fra, {"scenario": "french"}, {"scenario": None})]
    assert _audit(settings, DEU_ADMIN) == []
    assert raw_counts(settings.database_url, NationPreference) == (0,)


def test_a_hidden_scenario_is_refused_like_an_absent_one_and_nothing_written(settings: Settings,
                                                                              tmp_path: Path) -> None:
    _scenarios(settings, tmp_path)
    hidden, absent = refusals(settings, DEU_ADMIN, set_default_scenario, "french")
    assert hidden == absent
    assert raw_counts(settings.database_url, NationPreference) == (0,)
    assert _audit(settings, DEU_ADMIN) == []


@pytest.mark.parametrize("identity", [who("FRA", Role.VIEWER), who("FRA"),
                                      Identity(user="deu-admin", nation="DEU", roles=frozenset({Role.ADMIN}),
                                               view_as="FRA")],
                         ids=["viewer", "planner", "preview"])
def test_only_an_admin_not_previewing_may_set_or_clear_the_default(settings: Settings, tmp_path: Path,
                                                                    identity: Identity) -> None:
    _scenarios(settings, tmp_path)
    with unit_of_work(settings, identity=identity) as db:
        with pytest.raises(Forbidden):
            set_default_scenario("small", db=db)
        with pytest.raises(Forbidden):
            clear_default_scenario(db=db)
    assert raw_counts(settings.database_url, NationPreference) == (0,)

"""Alert channels are an admin's audited writes for their own nation (a preview, a viewer or an analyst may not); a
state change is recorded only when a stored evaluation differs from the previous one in the same nation's view."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from reassure.core.errors import Forbidden, NotFound
from reassure.core.identity import Identity, Role
from reassure.db.uow import unit_of_work
from reassure.domains.alerts.actions import add_channel, remove_channel
from reassure.domains.alerts.models import RuleStateChange
from reassure.domains.alerts.schemas import ChannelCreate
from reassure.domains.alerts.service import list_channels, recent_changes
from reassure.domains.audit.models import AuditEntry
from reassure.domains.evaluations.actions import store_evaluations
from reassure.rules import load_bundled_rules
from reassure.services.situation import rule_states
from reassure.settings import Settings
from tests.conftest import raw_counts, who
from tests.jobs.test_alerts import MASS, QUIET, _ingest

HOOK = ChannelCreate(kind="webhook", label="ops", target="https://hooks.example.test/a", secret="s" * 20)


def test_only_an_admin_acting_as_themselves_adds_channels(settings: Settings) -> None:
    for identity in (who("FRA", Role.VIEWER), who("FRA"),
                     Identity(user="fra-admin", nation="FRA", roles=frozenset({Role.ADMIN}), view_as="DEU")):
        with pytest.raises(Forbidden), unit_of_work(settings, identity=identity) as db:
            add_channel(HOOK, db=db)
    assert raw_counts(settings.database_url, RuleStateChange) == (0,)
    admin = who("FRA", Role.ADMIN, user="fra-admin")
    with unit_of_work(settings, identity=admin) as db:
        added = add_channel(HOOK, db=db)
    with unit_of_work(settings, identity=who("DEU", Role.ADMIN, user="deu-admin")) as db:
        assert list_channels(db=db) == []
        with pytest.raises(NotFound):
            remove_channel(added.id, db=db)
    with unit_of_work(settings, identity=admin) as db:
        rows = db.scalars(select(AuditEntry).where(AuditEntry.entity == "AlertChannel")).all()
    assert [r.action for r in rows] == ["alerts.channel.add"] and rows[0].details["after"]["secret"] == "set"
    assert "s" * 20 not in str(rows[0].details) and rows[0].rel_to == ",FRA,"


def test_a_change_is_recorded_once_per_state_change_in_the_same_view(settings: Settings, tmp_path: Path) -> None:
    def store(nation: str) -> None:
        with unit_of_work(settings, identity=who(nation)) as db:
            store_evaluations([s.evaluation for s in rule_states(load_bundled_rules(), db=db)], db=db)

    _ingest(settings, tmp_path, QUIET, "DEU", "PUBLIC")
    store("DEU")
    store("FRA")  # France's first evaluation: its baseline, though Germany's (PUBLIC) is readable to it
    _ingest(settings, tmp_path, MASS, "FRA", ",FRA,")
    store("FRA")
    store("FRA")  # unchanged: nothing new
    store("DEU")  # Germany cannot read France's attacks: unchanged
    with unit_of_work(settings, identity=who("FRA", Role.VIEWER)) as db:
        fra = recent_changes(db=db)
    with unit_of_work(settings, identity=who("DEU", Role.VIEWER)) as db:
        deu = recent_changes(db=db)
    assert deu == [] and fra and {c.nation for c in fra} == {"FRA"} and {c.marking for c in fra} == {"REL TO FRA"}
    assert len({c.rule_id for c in fra}) == len(fra)  # one change per rule
    assert raw_counts(settings.database_url, RuleStateChange) == (len(fra),)

"""Freedom-of-movement restrictions (docs/adr/0045): recorded by analysts, audited, marked no wider than their source
and tasks, hidden from other nations, counted by the movement indicator and usable by rules; on both databases."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from reassure.core.errors import Forbidden, InputError
from reassure.core.identity import Role
from reassure.core.markings import PUBLIC, Releasability
from reassure.db.uow import unit_of_work
from reassure.domains.audit.models import AuditEntry
from reassure.domains.movement.actions import record_movement
from reassure.domains.movement.service import MovementNotFound, get_movement, list_movements, page_movements
from reassure.domains.scenarios.importing import import_document
from reassure.rules.load import parse_rules
from reassure.scenario_io.load import load_document
from reassure.services.situation import rule_states
from reassure.settings import Settings
from tests.conftest import who
from tests.scenario_io.samples import VALID, write

REL_FRA = Releasability.to("FRA").to_column()

RULE = {"rules": [{"id": "fom-denied", "name": "Access denied twice in a week", "kind": "alert",
                   "description": "test", "action": "tell the watch", "logic": "all",
                   "conditions": [{"indicator": "movement_restrictions", "params": {"restriction": "denied_access"},
                                   "period": "week", "window": 1, "aggregate": "last", "comparator": ">=",
                                   "threshold": 2}]}]}


def _add(settings: Settings, nation: str = "FRA", **values: object) -> str:
    args: dict[str, object] = {"kind": "denied_access", "start": datetime(2026, 3, 2, 9), "region": "Odesa oblast",
                               "source": "fom-log", "publisher": "Coalition HQ", "grade": "B2", "rel_to": PUBLIC}
    args.update(values)
    with unit_of_work(settings, identity=who(nation)) as db:
        return record_movement(db=db, **args).id  # type: ignore[arg-type]


def test_a_restriction_is_recorded_audited_graded_and_hidden_from_another_nation(settings: Settings,
                                                                                tmp_path: Path) -> None:
    with unit_of_work(settings, identity=who("FRA")) as db:
        import_document(load_document(write(tmp_path, VALID)), db=db, origin="tests")
    shown = _add(settings, region="UA-51", place="  Izmail  ferry ", scenario="small", tasks=["AIR-WEST"],
                 grade="C3")
    hidden = _add(settings, kind="airspace_closure", start=datetime(2026, 3, 3), rel_to=REL_FRA, source="fra-desk",
                  publisher="French desk")
    with unit_of_work(settings, identity=who("FRA")) as db:
        mine = list_movements(db=db)
        one = get_movement(shown, db=db)
        audit = list(db.scalars(select(AuditEntry).where(AuditEntry.action == "movement.record")
                                .order_by(AuditEntry.id)))
        assert page_movements(db=db, limit=1, offset=1)[1] == 2
        assert [m.id for m in list_movements(db=db, kind="airspace_closure")] == [hidden]
    assert [m.id for m in mine] == [hidden, shown]  # newest first
    assert (one.kind, one.region, one.region_label, one.place, one.tasks, one.grade, one.standing, one.source) == (
        "denied_access", "UA-51", "Odesa Oblast", "Izmail ferry", ["AIR-WEST"], "C3", "unconfirmed", "fom-log")
    assert [(a.entity_key, a.rel_to, a.actor) for a in audit] == [(shown, PUBLIC, "fra-user"),
                                                                   (hidden, REL_FRA, "fra-user")]
    assert audit[0].details["after"]["region"] == "UA-51"
    with unit_of_work(settings, identity=who("DEU")) as db:
        assert [m.id for m in list_movements(db=db)] == [shown]
        with pytest.raises(MovementNotFound):
            get_movement(hidden, db=db)  # hidden and absent alike


def test_only_analysts_record_restrictions(settings: Settings) -> None:
    for role in (Role.VIEWER, Role.PLANNER):
        with pytest.raises(Forbidden), unit_of_work(settings, identity=who("FRA", role)) as db:
            record_movement(db=db, kind="checkpoint", start=datetime(2026, 3, 1), region="UA-51", source="s",
                            publisher="p", grade="B2", rel_to=PUBLIC)
    with unit_of_work(settings, identity=who("FRA")) as db:
        assert list_movements(db=db) == []


def test_bad_input_names_every_field_and_writes_nothing(settings: Settings) -> None:
    _add(settings, rel_to=REL_FRA, source="fra-only", publisher="French desk")
    with pytest.raises(InputError) as caught, unit_of_work(settings, identity=who("FRA")) as db:
        record_movement(db=db, kind="roadblock", start=datetime(2026, 3, 2), end=datetime(2026, 3, 1),
                        region="Atlantis", source="fra-only", grade="Z9", rel_to=PUBLIC, scenario="nowhere",
                        tasks=["X"])
    message = str(caught.value)
    for field in ("--kind", "--until", "--region", "--grade", "--scenario", "--marking"):
        assert field in message, (field, message)
    assert "wider than what it rests on" in message
    with pytest.raises(InputError, match="not released to your nation"), \
            unit_of_work(settings, identity=who("FRA")) as db:
        record_movement(db=db, kind="checkpoint", start=datetime(2026, 3, 2), region="UA-51", source="x",
                        publisher="p", grade="B2", rel_to=Releasability.to("DEU").to_column())
    with unit_of_work(settings, identity=who("FRA")) as db:
        assert len(list_movements(db=db)) == 1


def test_the_movement_indicator_counts_restrictions_and_a_rule_fires_on_it(settings: Settings) -> None:
    rules = parse_rules(RULE)
    _add(settings, start=datetime(2026, 3, 2, 9))
    with unit_of_work(settings, identity=who("DEU")) as db:
        (state,) = rule_states(rules, db=db, at=date(2026, 3, 8))
    # one denial, and the log covers one day of the week: not met, and not known to stay so (docs/adr/0018)
    assert state.state == "unknown"
    _add(settings, start=datetime(2026, 3, 4, 9), rel_to=REL_FRA, source="fra-only", publisher="French desk")
    _add(settings, kind="checkpoint", start=datetime(2026, 3, 4, 10))  # another kind: not counted
    with unit_of_work(settings, identity=who("FRA")) as db:
        (fra,) = rule_states(rules, db=db, at=date(2026, 3, 8))
    with unit_of_work(settings, identity=who("DEU")) as db:
        (deu,) = rule_states(rules, db=db, at=date(2026, 3, 8))
    assert fra.met and fra.evaluation.rests_on[-1] == REL_FRA  # rests on the French-only restriction
    assert deu.state == "unknown" and not deu.met  # the French-only denial is hidden from Germany

"""Attack: an ask drafted by hand is marked like its scenario (or narrower), but it copies in what it rests on besides
the scenario: the keys, places and months of the tasks it would close, and the unit size, places and rotation of the
asked nation's pledge of that capability. Neither the tasks' nor the pledge's marking bounds the ask's, so a record
hidden from DEU reached DEU through a PUBLIC ask. The ask is now marked no wider than any of them."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from reassure.core.errors import InputError, NotFound
from reassure.db.uow import unit_of_work
from reassure.domains.requests.actions import create_ask
from reassure.domains.requests.service import get_ask, list_asks
from reassure.domains.scenarios.importing import import_document
from reassure.domains.tasks.service import list_tasks
from reassure.scenario_io.load import load_document
from reassure.settings import Settings
from tests.conftest import who
from tests.scenario_io.samples import VALID, write

SECRET_TASK = """\
  - key: FRA-SOF-ODESA
    name: Special operations Odesa
    capability: fighter_squadron
    location: sea
    demand: 1
    priority: 1
    command: HQ
    marking: REL TO FRA
legal:
"""
SCENARIO = VALID.replace("legal:\n", SECRET_TASK, 1)


@pytest.fixture
def small(settings: Settings, tmp_path: Path) -> Settings:
    with unit_of_work(settings, identity=who("FRA")) as db:
        import_document(load_document(write(tmp_path, SCENARIO)), db=db, origin="tests")
    with unit_of_work(settings, identity=who("DEU")) as db:
        assert "FRA-SOF-ODESA" not in {t.key for t in list_tasks("small", db=db)}
    return settings


def test_an_ask_naming_a_task_released_to_fra_only_is_marked_like_it(small: Settings) -> None:
    with unit_of_work(small, identity=who("FRA")) as db:
        ask = create_ask("small", db=db, nation="POL", capability="fighter_squadron", quantity=1,
                         available_from=date(2027, 1, 1), available_to=date(2027, 6, 30), on_date=date(2026, 12, 1),
                         personnel_per_unit=100, max_tour=4, min_dwell=4, tasks=["FRA-SOF-ODESA"])
        with pytest.raises(InputError, match="never released more widely"):  # a wider marking given is refused
            create_ask("small", db=db, nation="POL", capability="fighter_squadron", quantity=1,
                       available_from=date(2027, 1, 1), available_to=date(2027, 6, 30), on_date=date(2026, 12, 1),
                       personnel_per_unit=100, max_tour=4, min_dwell=4, tasks=["FRA-SOF-ODESA"], marking="PUBLIC")
    assert ask.marking == "REL TO FRA"
    with unit_of_work(small, identity=who("DEU")) as db:
        with pytest.raises(NotFound):
            get_ask(ask.id, db=db)
        assert ask.id not in {a.id for a in list_asks(db=db, scenario="small")}


def test_an_ask_taking_a_hidden_pledges_unit_size_and_rotation_is_marked_like_it(small: Settings) -> None:
    # GBR-FS (REL TO GBR, FRA): 280 personnel per unit, max tour 4, min dwell 8, air only; DEU cannot see it
    with unit_of_work(small, identity=who("FRA")) as db:
        copied = create_ask("small", db=db, nation="GBR", capability="fighter_squadron", quantity=1,
                            available_from=date(2027, 1, 1), available_to=date(2027, 6, 30),
                            on_date=date(2026, 12, 1))
        given = create_ask("small", db=db, nation="GBR", capability="fighter_squadron", quantity=1,
                           available_from=date(2027, 1, 1), available_to=date(2027, 6, 30), on_date=date(2026, 12, 1),
                           personnel_per_unit=100, max_tour=6, min_dwell=6, where=["air"])
    assert (copied.personnel_per_unit, copied.max_tour, copied.min_dwell) == (280, 4, 8)
    assert copied.marking == "REL TO FRA, GBR" and given.marking == "PUBLIC"  # nothing copied: the scenario's
    with unit_of_work(small, identity=who("DEU")) as db:
        with pytest.raises(NotFound):
            get_ask(copied.id, db=db)
        assert get_ask(given.id, db=db).personnel_per_unit == 100

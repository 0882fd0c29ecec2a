"""The staff brief's freedom-of-movement annex and its source list's grade check (docs/adr/0045): a restriction shows
only in the brief of a nation it is released to, and marks that brief."""

from __future__ import annotations

from datetime import datetime

from reassure.db.uow import unit_of_work
from reassure.domains.movement.actions import record_movement
from reassure.domains.scenarios.importing import load_bundled
from reassure.services.briefing import brief_context
from reassure.settings import Settings
from tests.conftest import who


def test_a_restriction_shows_in_the_brief_of_a_nation_it_is_released_to(settings: Settings) -> None:
    with unit_of_work(settings, identity=who("FRA")) as db:
        load_bundled(db=db)
        record_movement(db=db, kind="denied_access", start=datetime(2026, 3, 2, 9), region="UA-51", source="fra-desk",
                        publisher="French desk", grade="B3", rel_to=",FRA,", place="Reni crossing")
    with unit_of_work(settings, identity=who("FRA")) as db:
        fra = brief_context("illustrative", db=db)
    with unit_of_work(settings, identity=who("DEU")) as db:
        deu = brief_context("illustrative", db=db)
    assert [(m.kind, m.place, m.source, m.grade) for m in fra.movements] == [
        ("denied_access", "Reni crossing", "fra-desk", "B3")]
    assert fra.movements_total == 1 and fra.marking == "REL TO FRA"
    assert deu.movements == [] and deu.marking == "PUBLIC"
    desk = {s.id: s for s in fra.sources}["fra-desk"]
    assert desk.graded == 1 and desk.grade_flag is None  # one item: too few to tell
    assert all(s.grade_flag is None or s.graded >= 5 for s in fra.sources)

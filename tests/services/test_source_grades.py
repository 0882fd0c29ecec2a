"""Grade independence on the sources listing (docs/adr/0045): a source whose items' credibility is read off its
reliability letter is flagged in the service, the API and the CLI; one judged apart is not; what another nation
cannot see does not count."""

from __future__ import annotations

import json
from datetime import datetime

from reassure.core.markings import PUBLIC, Releasability
from reassure.db.uow import unit_of_work
from reassure.domains.movement.actions import record_movement
from reassure.services.source_grades import checked_sources
from reassure.settings import Settings
from tests.api.conftest import Api
from tests.conftest import Cli, who

REL_FRA = Releasability.to("FRA").to_column()


def _log(settings: Settings, source: str, grades: list[str], rel_to: str = PUBLIC) -> None:
    with unit_of_work(settings, identity=who("FRA")) as db:
        for day, grade in enumerate(grades, start=1):
            record_movement(db=db, kind="checkpoint", start=datetime(2026, 3, day), region="UA-51", source=source,
                            publisher="Desk", grade=grade, rel_to=rel_to)


def test_a_source_whose_grades_follow_the_letter_is_flagged_everywhere(settings: Settings, cli: Cli) -> None:
    _log(settings, "copied", ["B2", "B2", "B2", "B2"])
    _log(settings, "apart", ["B1", "B3", "B2", "B4", "B5"])
    with unit_of_work(settings, identity=who("DEU")) as db:
        before = {s.id: s for s in checked_sources(db=db)}
    assert before["copied"].graded == 4 and before["copied"].grade_flag is None  # too few items to tell
    _log(settings, "copied", ["B2"], rel_to=REL_FRA)  # a fifth, released to France only
    with unit_of_work(settings, identity=who("DEU")) as db:
        deu = {s.id: s for s in checked_sources(db=db)}
    with unit_of_work(settings, identity=who("FRA")) as db:
        fra = {s.id: s for s in checked_sources(db=db)}
    assert deu["copied"].grade_flag is None  # Germany sees four: the French item does not count for it
    assert fra["copied"].graded == 5 and "read off the letter" in (fra["copied"].grade_flag or "")
    assert fra["apart"].graded == 5 and fra["apart"].grade_flag is None
    api = Api(settings.database_url).get("/sources", "FRA").json()["items"]
    assert [(s["id"], s["grade_flag"] is not None) for s in api] == [("apart", False), ("copied", True)]
    code, out, _ = cli("sources", "--json", nation="FRA")
    assert code == 0 and [s["grade_flag"] is not None for s in json.loads(out)] == [False, True]
    code, out, _ = cli("sources", nation="FRA")
    assert code == 0 and "not independent" in out

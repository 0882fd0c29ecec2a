"""Attack (integrity): a phase's demand names tasks by key, and the planner applies every demand rule of a visible
phase to the reader's tasks of that key, including tasks the phase's writer cannot see. DEU imports a PUBLIC phase
handing over France's REL TO FRA task (whose key it guessed) to Ukrainian forces: France's plan drops that task."""

from __future__ import annotations

from pathlib import Path

import pytest

from reassure.core.errors import ReassureError
from reassure.db.uow import unit_of_work
from reassure.domains.planning.problem import problem_and_marking
from reassure.domains.scenarios.importing import import_document
from reassure.scenario_io.load import load_document
from reassure.settings import Settings
from tests.conftest import who
from tests.domains.requests.test_ask_markings import SCENARIO
from tests.scenario_io.samples import write

DEU_PHASE = """\
format: reassure-scenario/1
marking: PUBLIC
scenario:
  name: small
  title: Small test scenario
  horizon: {start: 2027-01-01, period: month, periods: 12}
  flags: {us_backstop: true}
phases:
  - key: DEU-HANDOVER
    name: Handover
    from: 0
    to: 11
    demand:
      - {task: FRA-SOF-ODESA, handover: true}
"""


@pytest.fixture
def small(settings: Settings, tmp_path: Path) -> Settings:
    with unit_of_work(settings, identity=who("FRA")) as db:
        import_document(load_document(write(tmp_path, SCENARIO)), db=db, origin="tests")
    return settings


def test_deu_phase_zeroes_frances_hidden_task(small: Settings, tmp_path: Path) -> None:
    with unit_of_work(small, identity=who("FRA")) as db:
        before = next(t.demand for t in problem_and_marking("small", db=db)[0].tasks if t.id == "FRA-SOF-ODESA")
    try:
        with unit_of_work(small, identity=who("DEU")) as db:
            import_document(load_document(write(tmp_path, DEU_PHASE, "deu.yaml")), db=db, origin="tests")
    except ReassureError:
        return  # held: DEU may not add the phase
    with unit_of_work(small, identity=who("FRA")) as db:
        after = next(t.demand for t in problem_and_marking("small", db=db)[0].tasks if t.id == "FRA-SOF-ODESA")
    assert after == before


DEU_TWIN = DEU_PHASE.replace("phases:\n", """tasks:
  - {key: FRA-SOF-ODESA, name: German twin, capability: fighter_squadron, location: sea, demand: 1, priority: 1}
phases:
""")


def test_a_phase_naming_its_writers_own_task_of_a_hidden_key_leaves_frances_task_alone(small: Settings,
                                                                                       tmp_path: Path) -> None:
    """DEU holds its own PUBLIC task under the key of France's hidden one (keys are unique per marking), so its phase
    imports; the phase changes DEU's task in DEU's view, never France's task in France's."""
    with unit_of_work(small, identity=who("FRA")) as db:
        before = next(t.demand for t in problem_and_marking("small", db=db)[0].tasks if t.id == "FRA-SOF-ODESA")
    with unit_of_work(small, identity=who("DEU")) as db:
        import_document(load_document(write(tmp_path, DEU_TWIN, "twin.yaml")), db=db, origin="tests")
        deu = next(t.demand for t in problem_and_marking("small", db=db)[0].tasks if t.id == "FRA-SOF-ODESA")
    with unit_of_work(small, identity=who("FRA")) as db:
        after = next(t.demand for t in problem_and_marking("small", db=db)[0].tasks if t.id == "FRA-SOF-ODESA")
    assert after == before and set(before) == {1}
    assert set(deu) == {0}  # handed over in DEU's own view

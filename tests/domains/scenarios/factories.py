"""Factories for the scenarios domain's tests: build records through the import action, never through the CLI."""

from __future__ import annotations

from pathlib import Path

from reassure.core.identity import Identity
from reassure.db.uow import unit_of_work
from reassure.domains.scenarios.importing import ImportReport, import_document
from reassure.scenario_io.load import load_document
from reassure.settings import Settings
from tests.conftest import who

# One scenario with a task and a pledge, marked as the caller asks ({marking}, {title}, {demand} filled in).
SCENARIO = """\
format: reassure-scenario/1
marking: "{marking}"
scenario:
  name: {name}
  title: {title}
  horizon: {{start: 2027-01-01, period: month, periods: 6}}
  flags: {{us_backstop: true}}
tasks:
  - {{key: T-1, name: Sea patrol, capability: frigate, location: sea, demand: {demand}, priority: 3}}
pledges:
  - {{key: P-1, nation: FRA, capability: frigate, quantity: 1, personnel_per_unit: 200, where: [sea],
     window: {{from: 2027-01-01, to: 2027-06-30}}, rotation: {{max_tour: 3, min_dwell: 3}}}}
changes:
  - {{kind: flag, flag: us_backstop, value: false}}
"""


def scenario_text(*, name: str = "small", marking: str = "REL TO FRA", title: str = "Small scenario",
                  demand: int = 1) -> str:
    """Return the text of a one-task, one-pledge scenario file."""
    return SCENARIO.format(name=name, marking=marking, title=title, demand=demand)


def import_scenario(settings: Settings, tmp_path: Path, text: str | None = None, *,
                    identity: Identity | None = None, file: str = "scenario.yaml", prune: bool = True,
                    scenario_name: str | None = None) -> ImportReport:
    """Write a scenario file into the test's folder and import it in one unit of work (France's planner by default)."""
    path = tmp_path / file
    path.write_text(text if text is not None else scenario_text(), encoding="utf-8")
    with unit_of_work(settings, identity=identity or who("FRA")) as db:
        return import_document(load_document(path), db=db, origin=str(path), prune=prune,
                               scenario_name=scenario_name)

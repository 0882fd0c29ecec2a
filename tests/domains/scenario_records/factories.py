"""Factories for the tests of a scenario's parts (tasks, command tree, legal instruments): one scenario released to
France and Germany whose French-only parts Germany must never see, written through the scenario import."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from reassure.core.identity import Identity
from reassure.db.uow import unit_of_work
from reassure.domains.scenario_records.lookup import ScenarioNotFound
from reassure.domains.scenarios.importing import ImportReport
from reassure.settings import Settings
from tests.domains.scenarios.factories import import_scenario

# The parts released to France alone (FR-SECTOR, T-FR, ROE-FRA) inside a scenario released to France and Germany.
FR_SECTOR = """\
  - {key: FR-SECTOR, name: French sector, kind: sector, parent: HQ, lead_nation: FRA,
     relationship: opcon, marking: "REL TO FRA"}
"""
T_FR = """\
  - {key: T-FR, name: French cell, capability: frigate, location: sea, demand: 1, priority: 2,
     command: FR-SECTOR, marking: "REL TO FRA"}
"""
ROE_FRA = """\
  - {key: ROE-FRA, nation: FRA, kind: ROE, status: negotiating, probability: 0.5, terms: Self-defence only,
     marking: "REL TO FRA"}
"""
# BDE hangs under the French sector.
PARTS = f"""\
format: reassure-scenario/1
marking: "REL TO FRA, DEU"
sources:
  - {{id: sofa-wire, publisher: Test Wire, title: SOFA signed, published: 2026-05-01, reliability: B}}
scenario:
  name: parts
  title: Parts scenario
  horizon: {{start: 2027-01-01, period: month, periods: 6}}
command:
  - {{key: HQ, name: Coalition HQ, kind: coalition_hq, lead_nation: FRA}}
{FR_SECTOR}\
  - {{key: BDE, name: Brigade, kind: contingent, parent: FR-SECTOR, lead_nation: DEU, relationship: tacon}}
tasks:
  - {{key: T-SEA, name: Sea patrol, capability: frigate, location: sea, demand: [1, 1, 2, 2, 1, 1], priority: 3,
     command: HQ}}
{T_FR}\
legal:
  - {{key: SOFA-FRA, nation: FRA, kind: SOFA, status: in_force, in_force_from: 2027-01-01, standing: verified,
     grade: B2, sources: [sofa-wire]}}
{ROE_FRA}\
"""


def german_view() -> str:
    """Return the parts scenario as Germany sees it: without the parts released to France alone (so the brigade,
    whose parent Germany cannot see, has none)."""
    text = PARTS.replace("parent: FR-SECTOR, ", "")
    for entry in (FR_SECTOR, T_FR, ROE_FRA):
        text = text.replace(entry, "")
    return text


def import_parts(settings: Settings, tmp_path: Path, text: str = PARTS, *, identity: Identity | None = None,
                 prune: bool = True) -> ImportReport:
    """Import the parts scenario (or a variant of its text) as France's planner unless told otherwise."""
    return import_scenario(settings, tmp_path, text, identity=identity, file="parts.yaml", prune=prune)


def refusals(settings: Settings, identity: Identity, call: Callable[..., object], hidden: str,
             absent: str = "nowhere") -> tuple[str, str]:
    """Call `call(name, db=…)` for a scenario hidden from the identity and for an unknown one; return what each
    refusal (ScenarioNotFound, nothing else) says with the name blanked out, so a test can check they are alike."""
    said = []
    for name in (hidden, absent):
        with pytest.raises(ScenarioNotFound) as error, unit_of_work(settings, identity=identity) as db:
            call(name, db=db)
        said.append(str(error.value).replace(repr(name), "NAME"))
    return said[0], said[1]

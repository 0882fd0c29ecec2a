"""Factories for the tests of a scenario's parts (tasks, command tree, legal instruments): one scenario released to
France and Germany whose French-only parts Germany must never see, written through the scenario import."""

from __future__ import annotations

from pathlib import Path

from reassure.core.identity import Identity
from reassure.domains.scenarios.importing import ImportReport
from reassure.settings import Settings
from tests.domains.scenarios.factories import import_scenario

# Released to France and Germany; FR-SECTOR, T-FR and ROE-FRA to France alone. BDE hangs under the French sector.
PARTS = """\
format: reassure-scenario/1
marking: "REL TO FRA, DEU"
sources:
  - {id: sofa-wire, publisher: Test Wire, title: SOFA signed, published: 2026-05-01, reliability: B}
scenario:
  name: parts
  title: Parts scenario
  horizon: {start: 2027-01-01, period: month, periods: 6}
command:
  - {key: HQ, name: Coalition HQ, kind: coalition_hq, lead_nation: FRA}
  - {key: FR-SECTOR, name: French sector, kind: sector, parent: HQ, lead_nation: FRA, relationship: opcon,
     marking: "REL TO FRA"}
  - {key: BDE, name: Brigade, kind: contingent, parent: FR-SECTOR, lead_nation: DEU, relationship: tacon}
tasks:
  - {key: T-SEA, name: Sea patrol, capability: frigate, location: sea, demand: [1, 1, 2, 2, 1, 1], priority: 3,
     command: HQ}
  - {key: T-FR, name: French cell, capability: frigate, location: sea, demand: 1, priority: 2, command: FR-SECTOR,
     marking: "REL TO FRA"}
legal:
  - {key: SOFA-FRA, nation: FRA, kind: SOFA, status: in_force, in_force_from: 2027-01-01, standing: verified,
     grade: B2, sources: [sofa-wire]}
  - {key: ROE-FRA, nation: FRA, kind: ROE, status: negotiating, probability: 0.5, terms: Self-defence only,
     marking: "REL TO FRA"}
"""


FRENCH_ONLY = ("""  - {key: FR-SECTOR, name: French sector, kind: sector, parent: HQ, lead_nation: FRA, relationship: opcon,
     marking: "REL TO FRA"}
""", """  - {key: T-FR, name: French cell, capability: frigate, location: sea, demand: 1, priority: 2, command: FR-SECTOR,
     marking: "REL TO FRA"}
""", """  - {key: ROE-FRA, nation: FRA, kind: ROE, status: negotiating, probability: 0.5, terms: Self-defence only,
     marking: "REL TO FRA"}
""")


def german_view() -> str:
    """Return the parts scenario as Germany sees it: without the parts released to France alone (so the brigade,
    whose parent Germany cannot see, has none)."""
    text = PARTS.replace("parent: FR-SECTOR, ", "")
    for entry in FRENCH_ONLY:
        assert entry in text
        text = text.replace(entry, "")
    return text


def import_parts(settings: Settings, tmp_path: Path, text: str = PARTS, *, identity: Identity | None = None,
                 prune: bool = True) -> ImportReport:
    """Import the parts scenario (or a variant of its text) as France's planner unless told otherwise."""
    return import_scenario(settings, tmp_path, text, identity=identity, file="parts.yaml", prune=prune)

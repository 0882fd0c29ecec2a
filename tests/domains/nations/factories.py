"""Factories for the nations domain's tests: memberships and figures written by the facts import, never the CLI."""

from __future__ import annotations

from pathlib import Path

from reassure.core.identity import Identity
from reassure.domains.scenarios.importing import ImportReport
from reassure.settings import Settings
from tests.domains.scenarios.factories import import_scenario

# Poland's NATO membership and population are public; Romania's coalition role and Estonia's spending France's alone.
FACTS = """\
format: reassure-scenario/1
marking: PUBLIC
sources:
  - {id: lists, publisher: Membership lists, title: NATO members, reliability: A}
  - {id: fr-desk, publisher: French desk, title: Coalition talks, reliability: C, marking: "REL TO FRA"}
nations:
  - code: POL
    memberships:
      - {organisation: NATO, start: 1999-03-12, source: lists}
  - code: ROU
    marking: "REL TO FRA"
    memberships:
      - {organisation: COALITION, role: contributor, start: 2025-09-04, source: fr-desk}
figures:
  - {nation: POL, indicator: population, year: 2024, value: 36600000, source: lists}
  - {nation: EST, indicator: defence_pct_gdp, year: 2025, value: 3.4, source: fr-desk, marking: "REL TO FRA"}
"""


def import_facts(settings: Settings, tmp_path: Path, text: str = FACTS, *,
                 identity: Identity | None = None) -> ImportReport:
    """Import the nation facts (or a variant of their text) as France's analyst unless told otherwise."""
    return import_scenario(settings, tmp_path, text, identity=identity, file="facts.yaml")

"""A small valid scenario file, and helpers to write broken variants of it."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from reassure.domains.audit.models import AuditEntry
from reassure.domains.pledges.models import Pledge
from reassure.domains.scenario_records.models import Scenario
from reassure.domains.sources.models import Claim, Source

VALID = """\
format: reassure-scenario/1
marking: PUBLIC
scenario:
  name: small
  title: Small test scenario
  horizon: {start: 2027-01-01, period: month, periods: 12}
  flags: {us_backstop: true}
sources:
  - id: src-1
    publisher: Test Wire
    title: A report
    published: 2025-09-04
    reliability: B
claims:
  - key: c-1
    topic: formal_commitments
    statement: Twenty-six nations committed.
    quantity: 26
    unit: countries
    standing: verified
    grade: B2
    sources: [src-1]
command:
  - {key: HQ, name: Coalition HQ, kind: coalition_hq, lead_nation: FRA}
tasks:
  - key: AIR-WEST
    name: Air policing
    capability: fighter_squadron
    location: air
    demand: 2
    priority: 3
    command: HQ
legal:
  - {key: SOFA-FRA, nation: FRA, kind: SOFA, status: in_force, in_force_from: 2027-01-01}
pledges:
  - key: FRA-FS
    nation: FRA
    capability: fighter_squadron
    quantity: 2
    personnel_per_unit: 300
    where: [air, adjacent]
    window: {from: 2027-01-01, to: 2027-12-31}
    rotation: {max_tour: 4, min_dwell: 8}
    conditions: [us_backstop]
    status: confirmed
    history: [{status: announced, date: 2025-09-04}, {status: confirmed, date: 2026-01-06}]
    probability: 0.9
  - key: GBR-FS
    nation: GBR
    capability: fighter_squadron
    quantity: 1-3~2
    personnel_per_unit: 280
    where: [air]
    window: {from: 2027-01-01, to: 2027-12-31}
    rotation: {max_tour: 4, min_dwell: 8}
    caveats: [{text: No flights east of the Dnipro, tasks: [AIR-WEST]}]
    marking: REL TO GBR, FRA
"""

PLEDGE_TABLE = """\
key,nation,capability,quantity,personnel_per_unit,where,available_from,available_to,max_tour,min_dwell,conditions,status
POL-LOG,POL,logistics_battalion,3,500,adjacent,2027-01-01,2027-12-31,6,6,,confirmed
ITA-FRG,ITA,frigate,2,200,sea,2027-01-01,2027-12-31,5,10,us_backstop,offered
"""
# Two rows with problems a pledge table's reader names by row and column: an unknown nation (row 2), a quantity that is
# no count and a tour of no length (row 3).
BAD_PLEDGE_TABLE = """\
key,nation,capability,quantity,personnel_per_unit,where,available_from,available_to,max_tour,min_dwell
POL-LOG,XXX,logistics_battalion,3,500,adjacent,2027-01-01,2027-12-31,6,6
ITA-FRG,ITA,frigate,lots,200,sea,2027-01-01,2027-12-31,0,10
"""


def write(tmp: Path, text: str, name: str = "scenario.yaml") -> Path:
    """Write a file into the test's folder and return its path."""
    path = tmp / name
    path.write_text(text, encoding="utf-8")
    return path


def row_counts(db: Session) -> dict[str, int]:
    """Count the rows an import could write, to prove a failed one wrote nothing."""
    return {model.__name__: int(db.scalar(select(func.count()).select_from(model)) or 0)
            for model in (Scenario, Pledge, Source, Claim, AuditEntry)}

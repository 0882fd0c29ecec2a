"""The coalition's pictures for the dashboard: the nations with their main domain and role, a pledge with its history
and sources, and the command tree beside the legal matrix (nation by instrument kind)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal

import pycountry
from pydantic import BaseModel
from sqlalchemy.orm import Session

from reassure.core.nations import nation_label
from reassure.domains.command.schemas import CommandNodeRead
from reassure.domains.command.service import command_tree, flatten
from reassure.domains.legal.models import INSTRUMENT_KINDS
from reassure.domains.legal.schemas import LegalRead
from reassure.domains.legal.service import list_legal
from reassure.domains.pledges.schemas import PledgeHistory, PledgeRead
from reassure.domains.pledges.service import get_pledge, list_pledges, pledge_history
from reassure.domains.scenarios.schemas import CoalitionSummary, ScenarioRead
from reassure.domains.scenarios.service import coalition_summary, list_scenarios
from reassure.domains.sources.schemas import ClaimRead, SourceRead
from reassure.domains.sources.service import list_claims, list_sources
from reassure.domains.verifications.schemas import VerificationRead
from reassure.domains.verifications.service import list_verifications

FACTS = 12  # claims on the overview


class NationRow(BaseModel):
    """A nation on the overview's map and table: its main domain (most units), units by domain, personnel, whether
    it leads a command node, and its conditions."""

    code: str
    numeric: str | None  # ISO 3166-1 numeric, as the world-atlas outlines are keyed; None for a code it lacks
    name: str
    domain: str  # "none" when it pledged no units
    units: dict[str, int]
    personnel: int
    role: Literal["lead", "contributor"]
    conditions: list[str]


class Overview(BaseModel):
    """A scenario's overview: its summary, the pledges conditional on the US backstop, the lead nations, the nations'
    rows, the scenarios to switch to and the newest facts."""

    summary: CoalitionSummary
    backstop: list[PledgeRead]
    leads: set[str]
    nations: list[NationRow]
    scenarios: list[ScenarioRead]
    facts: list[ClaimRead]


class PledgeDetail(BaseModel):
    """A pledge with its dated lifecycle and the sources it cites."""

    pledge: PledgeRead
    history: PledgeHistory
    sources: list[SourceRead]
    verifications: list[VerificationRead] = []  # newest first (docs/adr/0042)


class LegalMatrix(BaseModel):
    """Legal instruments as a table: one row a nation (sorted), one column a kind of instrument (sorted). A nation
    given as a contributor has its row even without any instrument: its cells are missing, never dropped; `names`
    are the nations' names for people."""

    kinds: list[str]
    rows: dict[str, dict[str, LegalRead]]
    names: dict[str, str] = {}


class CommandPicture(BaseModel):
    """A scenario's command tree as (node, depth) rows, parents first, its roots (each with its children, to draw
    as a tree), and its legal matrix."""

    nodes: list[tuple[CommandNodeRead, int]]
    legal: LegalMatrix
    roots: list[CommandNodeRead] = []


def nation_rows(summary: CoalitionSummary, leads: set[str]) -> list[NationRow]:
    """Return a row per nation of a summary: main domain by units (ties: the first listed), role by `leads`."""
    rows = []
    for n in summary.nations:
        country = pycountry.countries.get(alpha_3=n.nation)
        units = n.units_by_domain
        main = max(units, key=lambda d: units[d]) if units else "none"
        rows.append(NationRow(code=n.nation, numeric=country.numeric if country else None, name=n.name, domain=main,
                              units=units, personnel=n.personnel,
                              role="lead" if n.nation in leads else "contributor", conditions=n.conditions))
    return rows


def overview(name: str, *, db: Session) -> Overview:
    """Return a scenario's overview as the viewer sees it."""
    summary = coalition_summary(name, db=db)
    backstop = [p for p in list_pledges(db=db, scenario=name) if "us_backstop" in p.conditions]
    leads = {n.lead_nation for n, _ in flatten(command_tree(name, db=db)) if n.lead_nation}
    return Overview(summary=summary, backstop=backstop, leads=leads, nations=nation_rows(summary, leads),
                    scenarios=list_scenarios(db=db), facts=list_claims(db=db)[:FACTS])


def pledge_detail(scenario: str, key: str, *, db: Session) -> PledgeDetail:
    """Return a visible pledge with its history, the visible sources it cites and its verifications (newest first),
    or NotFound."""
    history = pledge_history(scenario, key, db=db)
    found = get_pledge(scenario, key, db=db)
    sources = [s for s in list_sources(db=db) if s.id in found.sources]
    checks = list_verifications(scenario, db=db, pledge=key)
    return PledgeDetail(pledge=found, history=history, sources=sources, verifications=checks)


def legal_matrix(legal: list[LegalRead], nations: Iterable[str] = (), kinds: Iterable[str] = ()) -> LegalMatrix:
    """Return instruments as a nation by kind table (a later instrument of the same nation and kind wins), with a
    row for each of `nations` (the contributors) and a column for each of `kinds` even where no instrument is
    recorded: a missing instrument shows as missing, never as a nation left out."""
    rows: dict[str, dict[str, LegalRead]] = {n: {} for n in nations}
    for lg in legal:
        rows.setdefault(lg.nation, {})[lg.kind] = lg
    return LegalMatrix(kinds=sorted({lg.kind for lg in legal} | set(kinds)), rows=dict(sorted(rows.items())),
                       names={n: nation_label(n) for n in rows})


def command_picture(name: str, *, db: Session) -> CommandPicture:
    """Return a scenario's command tree and legal matrix as the viewer sees them: a row for every nation with a
    pledge the viewer sees, and a column for each kind of instrument (SOFA, MoU, ROE)."""
    roots = command_tree(name, db=db)
    contributors = {p.nation for p in list_pledges(db=db, scenario=name)}
    return CommandPicture(nodes=flatten(roots), roots=roots,
                          legal=legal_matrix(list_legal(name, db=db), contributors, INSTRUMENT_KINDS))

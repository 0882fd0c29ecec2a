"""Read scenarios and summarise a coalition's pledges (only what the viewer may see)."""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from reassure.core.capabilities import Domain
from reassure.core.markings import Releasability
from reassure.db.keys import first_per_key
from reassure.db.paging import paged
from reassure.domains.command.models import CommandNode
from reassure.domains.legal.models import LegalInstrument
from reassure.domains.phases.service import scenario_phases, visible_demand
from reassure.domains.pledges.models import Pledge
from reassure.domains.pledges.service import list_pledges
from reassure.domains.scenario_records.lookup import find_scenario
from reassure.domains.scenario_records.models import Scenario
from reassure.domains.scenarios.schemas import CoalitionSummary, DomainLine, NationLine, ScenarioRead
from reassure.domains.sources.models import Claim, Source
from reassure.domains.tasks.models import Task
from reassure.scenario_io.fields import format_quantity
from reassure.scenario_io.schema import FORMAT


def list_scenarios(*, db: Session) -> list[ScenarioRead]:
    """Return visible scenarios by name: one per name, the one db/keys keeps (as find_scenario picks)."""
    return [_read(s, db) for s in db.scalars(_listing(db))]


def page_scenarios(*, db: Session, limit: int = 100, offset: int = 0) -> tuple[list[ScenarioRead], int]:
    """Return one page of the scenarios list_scenarios lists (same order) and how many there are."""
    found, total = paged(db, _listing(db), limit=limit, offset=offset)
    return [_read(s, db) for s in found], total


def _listing(db: Session) -> Select[Scenario]:
    return select(Scenario).where(first_per_key(db, Scenario, "name")).order_by(Scenario.name, Scenario.id)


def get_scenario(name: str, *, db: Session) -> ScenarioRead:
    """Return one scenario or raise ScenarioNotFound."""
    return _read(find_scenario(name, db=db), db)


def coalition_summary(name: str, *, db: Session) -> CoalitionSummary:
    """Summarise who pledged what by domain and nation, and the standing of pledges and claims."""
    header = get_scenario(name, db=db)
    pledges = list_pledges(db=db, scenario=name)
    domains = []
    for domain in Domain:
        rows = [p for p in pledges if p.domain == domain.value]
        domains.append(DomainLine(
            domain=domain.value, nations=len({p.nation for p in rows}), pledges=len(rows),
            units=sum(p.planned_units for p in rows),
            personnel=sum(p.planned_units * p.personnel_per_unit for p in rows),
            conditional_units=sum(p.planned_units for p in rows if p.conditions)))
    by_nation: dict[str, list] = defaultdict(list)
    for p in pledges:
        by_nation[p.nation].append(p)
    nations = [NationLine(
        nation=code, name=rows[0].nation_name,
        units_by_domain=dict(Counter({d.value: sum(p.planned_units for p in rows if p.domain == d.value)
                                      for d in Domain})),
        personnel=sum(p.planned_units * p.personnel_per_unit for p in rows),
        conditions=sorted({c for p in rows for c in p.conditions}),
        caveats=sorted({c for p in rows for c in p.caveats}),
        statuses=dict(Counter(p.status for p in rows))) for code, rows in sorted(by_nation.items())]
    claim_standing = dict(db.execute(select(Claim.standing, func.count()).where(first_per_key(db, Claim, "key"))
                                     .group_by(Claim.standing)).all())
    return CoalitionSummary(
        scenario=header, pledge_standing=dict(Counter(p.standing for p in pledges)), domains=domains,
        nations=nations, claim_standing=claim_standing,
        sources=int(db.scalar(select(func.count(Source.id)).where(first_per_key(db, Source, "key"))) or 0))


def _read(s: Scenario, db: Session) -> ScenarioRead:
    pledges = db.scalar(select(func.count(Pledge.id)).where(Pledge.scenario_id == s.id,
                                                            first_per_key(db, Pledge, "scenario_id", "key"))) or 0
    tasks = db.scalar(select(func.count(Task.id)).where(Task.scenario_id == s.id,
                                                        first_per_key(db, Task, "scenario_id", "key"))) or 0
    return ScenarioRead(name=s.name, title=s.title, description=s.description, standing=s.standing,
                        horizon_start=s.horizon_start, period=s.period, periods=s.periods,
                        flags=dict(s.flags), ceasefire=s.ceasefire, pledges=int(pledges), tasks=int(tasks),
                        marking=str(s.releasability))


def export_scenario(name: str, *, db: Session) -> dict[str, Any]:
    """Return a scenario as a document dict (only records released to the session's viewer)."""
    scenario = find_scenario(name, db=db)
    sid = scenario.id
    # A part seen under two markings is exported once, as db/keys.py keeps it, so the file re-imports.
    pledges = list(db.scalars(select(Pledge).where(Pledge.scenario_id == sid, first_per_key(db, Pledge, "scenario_id",
                                                                                            "key"))
                              .order_by(Pledge.key)))
    legal = list(db.scalars(select(LegalInstrument).where(LegalInstrument.scenario_id == sid,
                                                          first_per_key(db, LegalInstrument, "scenario_id", "key"))
                            .order_by(LegalInstrument.key)))
    tasks = list(db.scalars(select(Task).where(Task.scenario_id == sid, first_per_key(db, Task, "scenario_id", "key"))
                            .order_by(Task.key)))
    nodes = list(db.scalars(select(CommandNode).where(CommandNode.scenario_id == sid,
                                                      first_per_key(db, CommandNode, "scenario_id", "key"))
                            .order_by(CommandNode.key)))
    visible_nodes = {n.key for n in nodes}
    task_keys = {t.key for t in tasks}
    phases = [{"key": p.key, "name": p.name, "from": p.start_period, "to": p.end_period,
               **({"demand": shown} if (shown := visible_demand(p, task_keys)) else {}),
               **({"entry": p.entry} if p.entry else {}), **({"rule": p.rule_id} if p.rule_id else {}),
               "marking": _marking(p.rel_to)} for p in scenario_phases(scenario, db=db)]
    cited = sorted({s.key for p in pledges for s in p.sources} | {s.key for lg in legal for s in lg.sources})
    sources = list(db.scalars(select(Source).where(Source.key.in_(cited), first_per_key(db, Source, "key"))
                              .order_by(Source.key)))
    document: dict[str, Any] = {
        "format": FORMAT,
        "scenario": {
            "name": scenario.name, "title": scenario.title, "description": scenario.description,
            "standing": scenario.standing,
            "horizon": {"start": scenario.horizon_start, "period": scenario.period, "periods": scenario.periods},
            "flags": dict(scenario.flags), **({"ceasefire": scenario.ceasefire} if scenario.ceasefire else {}),
            **dict(scenario.assumptions or {}),
            "marking": _marking(scenario.rel_to),
        },
        "sources": [_source(s) for s in sources],
        "command": [_command(n, visible_nodes) for n in nodes],
        "tasks": [_task(t, visible_nodes) for t in tasks],
        "legal": [_legal(lg) for lg in legal],
        "pledges": [_pledge(p) for p in pledges],
        "changes": [{"kind": c.kind, **c.params} for c in scenario.changes],
        "phases": phases,
    }
    return {k: v for k, v in document.items() if v != []}


def _marking(rel_to: str) -> str:
    return str(Releasability.from_column(rel_to))


def _graded(obj: Any) -> dict[str, Any]:
    grade = obj.grade
    return {"standing": obj.standing, "grade": str(grade) if grade else None,
            "sources": [s.key for s in obj.sources], "marking": _marking(obj.rel_to)}


def _source(s: Source) -> dict[str, Any]:
    return {"id": s.key, "publisher": s.publisher, "title": s.title, "published": s.published,
            "locator": s.locator, "reliability": s.reliability, "notes": s.notes, "marking": _marking(s.rel_to)}


def _command(n: CommandNode, visible: set[str]) -> dict[str, Any]:
    return {"key": n.key, "name": n.name, "kind": n.kind, "parent": n.parent_key if n.parent_key in visible else None,
            "lead_nation": n.lead_nation, "relationship": n.relationship_to_parent,
            "multinational": n.multinational, "location": n.location, "marking": _marking(n.rel_to)}


def _task(t: Task, visible: set[str]) -> dict[str, Any]:
    demand: int | list[int] = t.demand[0] if len(set(t.demand)) == 1 else list(t.demand)
    return {"key": t.key, "name": t.name, "capability": t.capability, "location": t.location,
            "sector": t.sector, "demand": demand, "priority": t.priority, "requires_legal": list(t.requires_legal),
            "multinational": t.multinational, "nations": t.nations, "lead_nation": t.lead_nation,
            **({"min_nations": t.min_nations} if t.min_nations is not None else {}),
            **({"max_share": t.max_share} if t.max_share is not None else {}),
            "command": t.command_key if t.command_key in visible else None,
            "legal_prerequisites": t.legal_prerequisites, "marking": _marking(t.rel_to)}


def _legal(lg: LegalInstrument) -> dict[str, Any]:
    return {"key": lg.key, "nation": lg.nation_code, "host": lg.host_code, "kind": lg.kind, "status": lg.status,
            "signed_on": lg.signed_on, "in_force_from": lg.in_force_from, "in_force_to": lg.in_force_to,
            **({"probability": lg.probability} if lg.probability is not None else {}),
            "terms": lg.terms, **({"renew_by": lg.renew_by} if lg.renew_by else {}),
            **({"renewal": lg.renewal} if lg.renewal else {}), **_graded(lg)}


def _pledge(p: Pledge) -> dict[str, Any]:
    return {"key": p.key, "nation": p.nation_code, "capability": p.capability, "domain": p.domain,
            "quantity": format_quantity(p.quantity), "personnel_per_unit": p.personnel_per_unit,
            "where": list(p.locations), "window": {"from": p.available_from, "to": p.available_to},
            "rotation": {"max_tour": p.max_tour, "min_dwell": p.min_dwell}, "caveats": list(p.caveats),
            "conditions": list(p.conditions), "status": p.status,
            "history": [{"status": h.status, "date": h.on_date} for h in p.history],
            "probability": p.probability, **({"notice": p.notice} if p.notice else {}), "notes": p.notes,
            **{k: v for k, v in (("as_of", p.as_of), ("valid_to", p.valid_to), ("renew_by", p.renew_by),
                                 ("renewal", p.renewal)) if v},
            **_graded(p)}

"""Export a scenario (what the viewer may see) to the file format that import reads back."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import select
from sqlalchemy.orm import Session

from reassure.core.markings import Releasability
from reassure.domains.command.models import CommandNode
from reassure.domains.legal.models import LegalInstrument
from reassure.domains.pledges.models import Pledge
from reassure.domains.scenarios.lookup import find_scenario, one_per_key
from reassure.domains.sources.models import Source
from reassure.domains.tasks.models import Task
from reassure.scenario_io.fields import format_quantity
from reassure.scenario_io.schema import FORMAT
from reassure.scenario_io.tables import pledge_to_row, write_rows


def export_scenario(name: str, *, db: Session) -> dict[str, Any]:
    """Return a scenario as a document dict (only records released to the session's viewer)."""
    scenario = find_scenario(name, db=db)
    sid = scenario.id
    # A part seen under two markings is exported once, as the narrowest, so the file re-imports.
    pledges = one_per_key(db.scalars(select(Pledge).where(Pledge.scenario_id == sid).order_by(Pledge.key)))
    legal = one_per_key(db.scalars(select(LegalInstrument).where(LegalInstrument.scenario_id == sid)
                                   .order_by(LegalInstrument.key)))
    tasks = one_per_key(db.scalars(select(Task).where(Task.scenario_id == sid).order_by(Task.key)))
    nodes = one_per_key(db.scalars(select(CommandNode).where(CommandNode.scenario_id == sid)
                                   .order_by(CommandNode.key)))
    visible_nodes = {n.key for n in nodes}
    source_ids = sorted({s.id for p in pledges for s in p.sources} | {s.id for lg in legal for s in lg.sources})
    sources = list(db.scalars(select(Source).where(Source.id.in_(source_ids)).order_by(Source.key)))
    document: dict[str, Any] = {
        "format": FORMAT,
        "scenario": {
            "name": scenario.name, "title": scenario.title, "description": scenario.description,
            "standing": scenario.standing,
            "horizon": {"start": scenario.horizon_start, "period": scenario.period, "periods": scenario.periods},
            "flags": dict(scenario.flags), "marking": _marking(scenario.rel_to),
        },
        "sources": [_source(s) for s in sources],
        "command": [_command(n, visible_nodes) for n in nodes],
        "tasks": [_task(t, visible_nodes) for t in tasks],
        "legal": [_legal(lg) for lg in legal],
        "pledges": [_pledge(p) for p in pledges],
        "changes": [{"kind": c.kind, **c.params} for c in scenario.changes],
    }
    return {k: v for k, v in document.items() if v != []}


def write_document(document: dict[str, Any], path: Path) -> None:
    """Write a document as YAML, or its pledges as a CSV/XLSX table, by the file's suffix."""
    if path.suffix.lower() in (".csv", ".xlsx"):
        write_rows(path, [pledge_to_row(p) for p in document.get("pledges", [])])
        return
    path.write_text(yaml.safe_dump(document, sort_keys=False, allow_unicode=True, width=110), encoding="utf-8")


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
            "command": t.command_key if t.command_key in visible else None,
            "legal_prerequisites": t.legal_prerequisites, "marking": _marking(t.rel_to)}


def _legal(lg: LegalInstrument) -> dict[str, Any]:
    return {"key": lg.key, "nation": lg.nation_code, "host": lg.host_code, "kind": lg.kind, "status": lg.status,
            "signed_on": lg.signed_on, "in_force_from": lg.in_force_from, "in_force_to": lg.in_force_to,
            "terms": lg.terms, **_graded(lg)}


def _pledge(p: Pledge) -> dict[str, Any]:
    return {"key": p.key, "nation": p.nation_code, "capability": p.capability, "domain": p.domain,
            "quantity": format_quantity(p.quantity), "personnel_per_unit": p.personnel_per_unit,
            "where": list(p.locations), "window": {"from": p.available_from, "to": p.available_to},
            "rotation": {"max_tour": p.max_tour, "min_dwell": p.min_dwell}, "caveats": list(p.caveats),
            "conditions": list(p.conditions), "status": p.status,
            "history": [{"status": h.status, "date": h.on_date} for h in p.history],
            "probability": p.probability, "notes": p.notes, **_graded(p)}

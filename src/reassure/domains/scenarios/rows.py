"""Turn a scenario file's validated entries into column values (the one place that knows both shapes).

Markings are not here: the importer works out each record's effective marking (its own, its scenario's or the
file's) and checks it against the writer and the records it depends on.
"""

from __future__ import annotations

from typing import Any

from reassure.core.capabilities import domain_of
from reassure.core.grading import parse_grade
from reassure.domains.pledges.rows import pledge_values
from reassure.scenario_io import schema as s

__all__ = [
    "assumptions_of",
    "claim_values",
    "command_values",
    "legal_values",
    "phase_values",
    "pledge_values",
    "scenario_values",
    "source_values",
    "task_values",
]


def _graded(entry: s.GradedEntry) -> dict[str, Any]:
    grade = parse_grade(entry.grade) if entry.grade else None
    return {"standing": entry.standing.value, "reliability": grade.reliability if grade else None,
            "credibility": grade.credibility if grade else None}


def source_values(entry: s.SourceEntry) -> dict[str, Any]:
    """Columns of a source."""
    return {"publisher": entry.publisher, "title": entry.title, "published": entry.published,
            "locator": entry.locator, "reliability": entry.reliability, "notes": entry.notes}


def claim_values(entry: s.ClaimEntry) -> dict[str, Any]:
    """Columns of a claim."""
    quantity = entry.quantity
    return {"topic": entry.topic, "nation_code": entry.nation, "statement": entry.statement,
            "reported_on": entry.reported_on, "unit": entry.unit,
            "qty_kind": quantity.kind.value if quantity else "undisclosed",
            "qty_value": quantity.value if quantity else None, "qty_low": quantity.low if quantity else None,
            "qty_high": quantity.high if quantity else None, **_graded(entry)}


def scenario_values(header: s.ScenarioHeader) -> dict[str, Any]:
    """Columns of a scenario."""
    return {"title": header.title, "description": header.description, "standing": header.standing.value,
            "horizon_start": header.horizon.start, "period": header.horizon.period,
            "periods": header.horizon.periods, "flags": dict(header.flags), "ceasefire": header.ceasefire,
            "assumptions": assumptions_of(header)}


def assumptions_of(header: s.ScenarioHeader) -> dict[str, Any]:
    """The planning assumptions a scenario stores (docs/adr/0023): only the keys its file gives."""
    out: dict[str, Any] = {}
    if header.priors:
        out["priors"] = [p.model_dump(mode="json") for p in header.priors]
    if header.nation_withdrawal is not None:
        out["nation_withdrawal"] = header.nation_withdrawal
    return out


def task_values(entry: s.TaskEntry, periods: int) -> dict[str, Any]:
    """Columns of a task; a single demand figure is spread over every period."""
    demand = entry.demand if isinstance(entry.demand, list) else [entry.demand] * periods
    return {"name": entry.name, "domain": domain_of(entry.capability).value, "capability": entry.capability,
            "location": entry.location.value, "sector": entry.sector, "demand": list(demand),
            "priority": entry.priority, "requires_legal": list(entry.requires_legal),
            "multinational": entry.multinational, "nations": list(entry.nations) if entry.nations else None,
            "lead_nation": entry.lead_nation, "min_nations": entry.min_nations, "max_share": entry.max_share,
            "command_key": entry.command,
            "legal_prerequisites": entry.legal_prerequisites}


def command_values(entry: s.CommandEntry) -> dict[str, Any]:
    """Columns of a command node."""
    return {"name": entry.name, "kind": entry.kind, "parent_key": entry.parent, "lead_nation": entry.lead_nation,
            "relationship_to_parent": entry.relationship, "multinational": entry.multinational,
            "location": entry.location}


def legal_values(entry: s.LegalEntry) -> dict[str, Any]:
    """Columns of a legal instrument."""
    return {"nation_code": entry.nation, "host_code": entry.host, "kind": entry.kind, "status": entry.status,
            "signed_on": entry.signed_on, "in_force_from": entry.in_force_from,
            "in_force_to": entry.in_force_to, "probability": entry.probability, "terms": entry.terms,
            "renew_by": entry.renew_by, "renewal": entry.renewal, **_graded(entry)}


def phase_values(entry: s.PhaseEntry, horizon: s.Horizon) -> dict[str, Any]:
    """Columns of a phase: its periods on the horizon (dates turned into periods) and its demand per task."""
    first, last = s.phase_periods(entry, horizon)
    return {"name": entry.name, "start_period": first, "end_period": last,
            "demand": [d.model_dump(exclude_none=True, exclude_defaults=True) | {"task": d.task} for d in entry.demand],
            "entry": entry.entry, "rule_id": entry.rule}

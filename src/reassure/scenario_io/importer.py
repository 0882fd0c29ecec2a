"""The import action: sync a validated document into the database, auditing every change."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from reassure.core.nations import nation_name
from reassure.db.access import may_write, viewer_of
from reassure.domains.audit.actions import record
from reassure.domains.command.models import CommandNode
from reassure.domains.legal.models import LegalInstrument
from reassure.domains.nations.models import Membership, Nation, NationFigure
from reassure.domains.pledges.models import Pledge, PledgeStatusEvent
from reassure.domains.scenarios.models import Scenario, ScenarioChange
from reassure.domains.sources.models import Claim, Source
from reassure.domains.tasks.models import Task
from reassure.scenario_io import rows
from reassure.scenario_io.errors import Problem, ScenarioFileError
from reassure.scenario_io.schema import ScenarioDocument


@dataclass
class ImportReport:
    """What an import created, updated, deleted or left unchanged, per entity."""

    origin: str
    counts: dict[str, Counter[str]] = field(default_factory=dict)

    def count(self, entity: str, outcome: str) -> None:
        """Count one outcome for an entity."""
        self.counts.setdefault(entity, Counter())[outcome] += 1

    @property
    def changes(self) -> int:
        """Return how many records were created, updated or deleted."""
        return sum(c["created"] + c["updated"] + c["deleted"] for c in self.counts.values())


def import_document(document: ScenarioDocument, *, db: Session, origin: str,
                    scenario_name: str | None = None) -> ImportReport:
    """Write a document in the caller's transaction; re-importing the same document changes nothing."""
    report = ImportReport(origin)
    sync = _Sync(db, report, origin)
    _ensure_nations(db, document)
    sources = {s.id: sync.upsert(Source, {"id": s.id}, rows.source_values(s)) for s in document.sources}
    db.flush()
    for claim in document.claims:
        obj = sync.upsert(Claim, {"key": claim.key}, rows.claim_values(claim))
        sync.relate(obj, "sources", _sources(db, sources, claim.sources), "Claim", claim.key)
    for entry in document.nations:
        _sync_memberships(sync, entry)
    for figure in document.figures:
        sync.upsert(NationFigure, {"nation_code": figure.nation, "indicator": figure.indicator,
                                   "year": figure.year}, {"value": figure.value, "source_id": figure.source})
    if document.scenario is not None:
        _sync_scenario(sync, document, sources)
    elif document.pledges:
        _sync_table(sync, document, sources, scenario_name, origin)
    db.flush()
    return report


def _sync_scenario(sync: _Sync, document: ScenarioDocument, sources: dict[str, Source]) -> None:
    header = document.scenario
    assert header is not None
    scenario = sync.upsert(Scenario, {"name": header.name}, rows.scenario_values(header))
    sync.db.flush()
    sid = scenario.id
    sync.children(Task, sid, {t.key: rows.task_values(t, header.horizon.periods) for t in document.tasks})
    sync.children(CommandNode, sid, {c.key: rows.command_values(c) for c in document.command})
    legal = sync.children(LegalInstrument, sid, {entry.key: rows.legal_values(entry) for entry in document.legal})
    for entry in document.legal:
        sync.relate(legal[entry.key], "sources", _sources(sync.db, sources, entry.sources), "LegalInstrument",
                    entry.key)
    _sync_pledges(sync, sid, document, sources)
    wanted = [(c.kind, c.model_dump(exclude_none=True, exclude={"kind"})) for c in document.changes]
    current = [(c.kind, c.params) for c in scenario.changes]
    if wanted != current:
        scenario.changes = [ScenarioChange(position=i, kind=k, params=p) for i, (k, p) in enumerate(wanted)]
        record(sync.db, action="scenario.changes.replace", entity="Scenario", key=header.name,
               details={"changes": len(wanted), "origin": sync.origin})
        sync.report.count("ScenarioChange", "updated")


def _sync_table(sync: _Sync, document: ScenarioDocument, sources: dict[str, Source],
                scenario_name: str | None, origin: str) -> None:
    scenario = sync.db.scalar(select(Scenario).where(Scenario.name == scenario_name)) if scenario_name else None
    if scenario is None:
        message = (f"scenario {scenario_name!r} does not exist: import its YAML first" if scenario_name
                   else "a pledge table needs --scenario NAME (the scenario it belongs to)")
        raise ScenarioFileError([Problem(origin, "", "scenario", message)])
    unknown = [Problem(origin, f"pledge {p.key}", "conditions",
                       f"unknown condition {flag!r}: scenario {scenario.name!r} has flags {sorted(scenario.flags)}")
               for p in document.pledges for flag in p.conditions if flag not in scenario.flags]
    if unknown:
        raise ScenarioFileError(unknown)
    _sync_pledges(sync, scenario.id, document, sources)


def _sync_pledges(sync: _Sync, scenario_id: int, document: ScenarioDocument, sources: dict[str, Source]) -> None:
    pledges = sync.children(Pledge, scenario_id, {p.key: rows.pledge_values(p) for p in document.pledges})
    for entry in document.pledges:
        pledge = pledges[entry.key]
        sync.relate(pledge, "sources", _sources(sync.db, sources, entry.sources), "Pledge", entry.key)
        wanted = [(s.status, s.date) for s in entry.history]
        if [(h.status, h.on_date) for h in pledge.history] != wanted:
            pledge.history = [PledgeStatusEvent(status=s, on_date=on) for s, on in wanted]
            if pledge.id is not None:
                record(sync.db, action="pledge.history.replace", entity="Pledge", key=entry.key,
                       details={"steps": len(wanted)})


def _sync_memberships(sync: _Sync, entry: Any) -> None:
    for membership in entry.memberships:
        sync.upsert(Membership, {"nation_code": entry.code, "organisation": membership.organisation,
                                 "start": membership.start},
                    {"role": membership.role, "end": membership.end, "source_id": membership.source})


def _ensure_nations(db: Session, document: ScenarioDocument) -> None:
    codes = rows.nation_codes(document)
    known = set(db.scalars(select(Nation.code).where(Nation.code.in_(codes))))
    for code in sorted(codes - known):
        db.add(Nation(code=code, name=nation_name(code)))
    db.flush()


def _sources(db: Session, in_file: dict[str, Source], ids: list[str]) -> list[Source]:
    found = []
    for source_id in ids:
        source = in_file.get(source_id) or db.get(Source, source_id)
        if source is None:
            raise ScenarioFileError([Problem("(database)", "", "sources", f"unknown source {source_id!r}")])
        found.append(source)
    return found


class _Sync:
    """Create, update or delete records so the database matches the document; audit each change."""

    def __init__(self, db: Session, report: ImportReport, origin: str) -> None:
        self.db, self.report, self.origin = db, report, origin

    def upsert(self, model: type[Any], key: dict[str, Any], values: dict[str, Any]) -> Any:
        """Insert or update one record found by its natural key."""
        obj = self.db.scalar(select(model).filter_by(**key))
        return self._apply(model, obj, key, values)

    def children(self, model: type[Any], scenario_id: int, wanted: dict[str, dict[str, Any]]) -> dict[str, Any]:
        """Make a scenario's records of one kind exactly the wanted ones; return them by key."""
        existing = {o.key: o for o in self.db.scalars(select(model).filter_by(scenario_id=scenario_id))}
        result = {}
        for key, values in wanted.items():
            result[key] = self._apply(model, existing.get(key), {"scenario_id": scenario_id, "key": key}, values)
        viewer = viewer_of(self.db)
        for key in sorted(set(existing) - set(wanted)):
            if not may_write(viewer, existing[key].rel_to):
                continue  # not released to the importer: the file could not have listed it
            self.db.delete(existing[key])
            record(self.db, action=f"{model.__name__.lower()}.delete", entity=model.__name__, key=key,
                   details={"origin": self.origin})
            self.report.count(model.__name__, "deleted")
        return result

    def relate(self, obj: Any, attr: str, targets: list[Any], entity: str, key: str) -> None:
        """Set a many-to-many list when its members differ."""
        if [t.id for t in getattr(obj, attr)] != [t.id for t in targets]:
            setattr(obj, attr, targets)
            record(self.db, action=f"{entity.lower()}.{attr}.set", entity=entity, key=key,
                   details={attr: [t.id for t in targets]})

    def _apply(self, model: type[Any], obj: Any, key: dict[str, Any], values: dict[str, Any]) -> Any:
        name = model.__name__
        label = "/".join(str(v) for v in key.values())
        if obj is None:
            obj = model(**key, **values)
            self.db.add(obj)
            record(self.db, action=f"{name.lower()}.create", entity=name, key=label, details={"origin": self.origin})
            self.report.count(name, "created")
            return obj
        changed = sorted(k for k, v in values.items() if getattr(obj, k) != v)
        if changed and hasattr(obj, "rel_to") and not may_write(viewer_of(self.db), obj.rel_to):
            raise ScenarioFileError([Problem(self.origin, "", f"{name} {label}",
                                             "exists but is not released to you: it cannot be changed")])
        if not changed:
            self.report.count(name, "unchanged")
            return obj
        for attr in changed:
            setattr(obj, attr, values[attr])
        record(self.db, action=f"{name.lower()}.update", entity=name, key=label,
               details={"fields": changed, "origin": self.origin})
        self.report.count(name, "updated")
        return obj

"""The import action: sync a validated document into the database under the importer's identity, auditing every
change. Rules (docs/adr/0007):

- roles: scenario parts need the planner role, facts (sources, claims, nations, figures) analyst or planner;
- every record has an effective marking (its own, its scenario's, else the file's) that must include the
  writer's nation: nobody writes what they could not read back;
- a record is found among the records the writer may see; hidden ones are neither changed, nor deleted, nor
  counted, nor reported ("unchanged" is only ever said of visible records); natural keys are unique per marking,
  so a hidden record never blocks a new one;
- a marking may be narrowed in place, never widened (no declassification); a source's and a scenario's marking
  are fixed (their parts and citing records, some perhaps hidden, must never end up wider than them);
- children are never released more widely than their scenario, nor a record more widely than its sources.

These rules are read and written in one transaction that holds the records it may change (db/locks.py): on
PostgreSQL each record found is locked (`FOR UPDATE`), on SQLite the import takes the write lock first, so writers
of several nations narrowing one record at once take turns instead of replacing each other's marking.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from reassure.core.errors import Denial, Forbidden, Problem
from reassure.core.identity import Identity, Role
from reassure.core.markings import Releasability, most_restrictive, parse_marking
from reassure.core.nations import all_nations
from reassure.db.access import identity_of
from reassure.db.locks import hold_writes
from reassure.domains.audit.actions import record
from reassure.domains.command.models import CommandNode
from reassure.domains.legal.models import LegalInstrument
from reassure.domains.nations.models import Membership, Nation, NationFigure
from reassure.domains.pledges.models import Pledge, PledgeStatusEvent
from reassure.domains.scenarios.models import Scenario, ScenarioChange
from reassure.domains.sources.actions import cites, create_source, pick, visible_source
from reassure.domains.sources.models import Claim, Source
from reassure.domains.tasks.models import Task
from reassure.scenario_io import rows
from reassure.scenario_io.bundled import BUNDLED, data_dir
from reassure.scenario_io.errors import ScenarioFileError
from reassure.scenario_io.load import load_document
from reassure.scenario_io.schema import ScenarioDocument

SCENARIO_PARTS = ("pledges", "tasks", "command", "legal", "changes")


@dataclass
class ImportReport:
    """What an import created, updated, deleted or left unchanged, per entity (records visible to the importer)."""

    origin: str
    counts: dict[str, Counter[str]] = field(default_factory=dict)

    def count(self, entity: str, outcome: str) -> None:
        """Count one outcome for an entity."""
        self.counts.setdefault(entity, Counter())[outcome] += 1

    @property
    def changes(self) -> int:
        """Return how many records were created, updated or deleted."""
        return sum(c["created"] + c["updated"] + c["deleted"] for c in self.counts.values())


def _column(marking: str | None) -> str | None:
    return None if marking is None else parse_marking(marking).to_column()


def import_document(document: ScenarioDocument, *, db: Session, origin: str, scenario_name: str | None = None,
                    prune: bool = True) -> ImportReport:
    """Write a document in the caller's transaction; re-importing the same document changes nothing.

    `prune` deletes a scenario's visible children that the file no longer lists (a planner's re-import);
    the bundled data loads without it, so the demo never deletes what users added.
    """
    identity = identity_of(db)
    label = Path(origin).name if not origin.startswith("bundled:") else origin  # never a local path in the log
    _check_roles(identity, document, label)
    hold_writes(db)  # SQLite: the rules below are checked and written under the write lock (PostgreSQL: row locks)
    report = ImportReport(origin)
    sync = _Sync(db, report, label, identity)
    ensure_reference_nations(db)
    default = _column(document.marking)
    sources: dict[str, Source] = {}
    for i, source in enumerate(document.sources):
        found = sync.source(source, _column(source.marking) or default, f"sources[{i}] ({source.id})")
        if found is not None:
            sources[source.id] = found
    for i, claim in enumerate(document.claims):
        place = f"claims[{i}] ({claim.key})"
        rel = _column(claim.marking) or default
        obj = sync.upsert(Claim, {"key": claim.key}, rows.claim_values(claim), rel, place)
        if obj is not None:
            sync.relate(obj, "sources", sync.cited(sources, claim.sources, obj.rel_to, place), "Claim", claim.key)
    for i, entry in enumerate(document.nations):
        rel = _column(entry.marking) or default
        for j, m in enumerate(entry.memberships):
            place = f"nations[{i}] ({entry.code}).memberships[{j}]"
            cited = sync.cited(sources, [m.source] if m.source else [], rel, place)
            sync.upsert(Membership, {"nation_code": entry.code, "organisation": m.organisation, "start": m.start},
                        {"role": m.role, "end": m.end, "source_id": cited[0].id if cited else None}, rel, place)
    for i, figure in enumerate(document.figures):
        place = f"figures[{i}] ({figure.nation} {figure.indicator} {figure.year})"
        rel = _column(figure.marking) or default
        cited = sync.cited(sources, [figure.source], rel, place)
        if cited:
            sync.upsert(NationFigure, {"nation_code": figure.nation, "indicator": figure.indicator,
                                       "year": figure.year}, {"value": figure.value, "source_id": cited[0].id},
                        rel, place)
    if document.scenario is not None:
        _sync_scenario(sync, document, sources, default, prune)
    elif document.pledges:
        _sync_table(sync, document, sources, scenario_name, prune)
    if sync.problems:
        raise ScenarioFileError(sync.problems, denials=sync.denials)
    db.flush()
    return report


def _check_roles(identity: Identity, document: ScenarioDocument, origin: str) -> None:
    scenario_part = document.scenario is not None or any(getattr(document, s) for s in SCENARIO_PARTS)
    needed = Role.PLANNER if scenario_part else (Role.ANALYST if identity.has(Role.ANALYST) else Role.PLANNER)
    try:
        identity.require(needed, "import scenarios and pledges" if scenario_part else "import facts")
    except Forbidden as error:
        error.denials = [Denial(action="import", entity="Document", key=origin,
                                rel_to=Releasability.to(identity.nation).to_column(),
                                details={"reason": error.message})]
        raise


def ensure_reference_nations(db: Session) -> None:
    """Make sure every ISO country is in the nations table (the migrations load them; pycountry may add some)."""
    known = set(db.scalars(select(Nation.code)))
    missing = [Nation(code=code, name=name) for code, name in all_nations() if code not in known]
    if missing:
        db.add_all(missing)
        db.flush()


def _sync_scenario(sync: _Sync, document: ScenarioDocument, sources: dict[str, Source], default: str | None,
                   prune: bool) -> None:
    header = document.scenario
    assert header is not None
    place = f"scenario ({header.name})"
    scenario = sync.upsert(Scenario, {"name": header.name}, rows.scenario_values(header),
                           _column(header.marking) or default, place)
    if scenario is None:
        return
    sync.db.flush()
    parent = scenario.rel_to
    sid = scenario.id
    sync.children(Task, sid, parent, {t.key: (rows.task_values(t, header.horizon.periods), _column(t.marking))
                                      for t in document.tasks}, "tasks", prune)
    sync.children(CommandNode, sid, parent, {c.key: (rows.command_values(c), _column(c.marking))
                                             for c in document.command}, "command", prune)
    legal = sync.children(LegalInstrument, sid, parent, {e.key: (rows.legal_values(e), _column(e.marking))
                                                         for e in document.legal}, "legal", prune)
    for i, entry in enumerate(document.legal):
        if entry.key in legal:
            obj = legal[entry.key]
            sync.relate(obj, "sources", sync.cited(sources, entry.sources, obj.rel_to, f"legal[{i}] ({entry.key})"),
                        "LegalInstrument", entry.key)
    _sync_pledges(sync, scenario, document, sources, prune)
    wanted = [(c.kind, c.model_dump(exclude_none=True, exclude={"kind"})) for c in document.changes]
    current = [(c.kind, c.params) for c in scenario.changes]
    if wanted != current or any(c.rel_to != parent for c in scenario.changes):
        scenario.changes = [ScenarioChange(position=i, kind=k, params=p, rel_to=parent)
                            for i, (k, p) in enumerate(wanted)]
        record(sync.db, action="scenario.changes.replace", entity="Scenario", key=header.name, rel_to=parent,
               before=[{"kind": k, **p} for k, p in current], after=[{"kind": k, **p} for k, p in wanted],
               details={"origin": sync.origin})
        sync.report.count("ScenarioChange", "updated")


def _sync_table(sync: _Sync, document: ScenarioDocument, sources: dict[str, Source],
                scenario_name: str | None, prune: bool) -> None:
    found = list(sync.db.scalars(select(Scenario).where(Scenario.name == scenario_name))) if scenario_name else []
    scenario = found[0] if len(found) == 1 else None
    if scenario is None:
        message = (f"no scenario named {scenario_name!r}: import its YAML first" if not found and scenario_name
                   else f"you see {len(found)} scenarios named {scenario_name!r} (one per marking): import the "
                        "pledges with the scenario's YAML instead" if found
                   else "a pledge table needs --scenario NAME (the scenario it belongs to)")
        raise ScenarioFileError([Problem(sync.origin, "", "scenario", message)])
    unknown = [Problem(sync.origin, f"pledge {p.key}", "conditions",
                       f"unknown condition {flag!r}: scenario {scenario.name!r} has flags {sorted(scenario.flags)}")
               for p in document.pledges for flag in p.conditions if flag not in scenario.flags]
    tasks = set(sync.db.scalars(select(Task.key).where(Task.scenario_id == scenario.id)))
    unknown += [Problem(sync.origin, f"pledge {p.key}", "caveat_tasks",
                        f"caveat names unknown task {task!r} (scenario {scenario.name!r} has {len(tasks)} tasks)")
                for p in document.pledges for caveat in p.caveats for task in caveat.tasks if task not in tasks]
    if unknown:
        raise ScenarioFileError(unknown)
    _sync_pledges(sync, scenario, document, sources, prune)


def _sync_pledges(sync: _Sync, scenario: Scenario, document: ScenarioDocument, sources: dict[str, Source],
                  prune: bool) -> None:
    pledges = sync.children(Pledge, scenario.id, scenario.rel_to,
                            {p.key: (rows.pledge_values(p), _column(p.marking)) for p in document.pledges},
                            "pledges", prune)
    for i, entry in enumerate(document.pledges):
        pledge = pledges.get(entry.key)
        if pledge is None:
            continue
        place = f"pledges[{i}] ({entry.key})"
        sync.relate(pledge, "sources", sync.cited(sources, entry.sources, pledge.rel_to, place), "Pledge", entry.key)
        wanted = [(s.status, s.date) for s in entry.history]
        current = [(h.status, h.on_date) for h in pledge.history]
        for step in pledge.history:  # history is marked like its pledge, also after the pledge is narrowed
            step.rel_to = pledge.rel_to
        if current != wanted:
            pledge.history.clear()
            sync.db.flush()  # the old steps go before the new ones arrive (same status and date are unique)
            pledge.history.extend(PledgeStatusEvent(status=s, on_date=on, rel_to=pledge.rel_to) for s, on in wanted)
            if current:
                record(sync.db, action="pledge.history.replace", entity="Pledge", key=entry.key,
                       rel_to=pledge.rel_to, before=current, after=wanted)


class _Sync:
    """Create, update or delete visible records so they match the document; audit each change; collect problems."""

    def __init__(self, db: Session, report: ImportReport, origin: str, identity: Identity) -> None:
        self.db, self.report, self.origin, self.identity = db, report, origin, identity
        self.problems: list[Problem] = []
        self.denials: list[Denial] = []

    def problem(self, place: str, message: str, *, denied: str | None = None, entity: str = "",
                key: str = "") -> None:
        """Note a problem; `denied` (a marking) also records the refused attempt in the audit log."""
        self.problems.append(Problem(self.origin, "", f"{place}.marking" if denied else place, message))
        if denied is not None:
            self.denials.append(Denial(action="import", entity=entity, key=key or place, rel_to=denied,
                                       details={"origin": self.origin, "reason": message}))

    def markable(self, rel_to: str | None, place: str, entity: str, key: str) -> Releasability | None:
        """Return the record's marking when the writer may use it, else note why not."""
        if rel_to is None:
            self.problem(place, "no marking (give the record, its scenario or the file a marking)")
            return None
        marking = Releasability.from_column(rel_to)
        if not self.identity.may_mark(marking):
            self.problem(place, f"marked {marking}, which is not released to your nation {self.identity.nation}: you "
                                "may only write records you could read", entity=entity, key=key,
                         denied=Releasability.to(self.identity.nation).to_column())
            return None
        return marking

    def source(self, entry: Any, rel_to: str | None, place: str) -> Source | None:
        """Create or update a source of the file; its marking is fixed once created."""
        if self.markable(rel_to, place, "Source", entry.id) is None:
            return None
        values = rows.source_values(entry)
        existing = visible_source(self.db, entry.id)
        obj = pick(existing, rel_to, self.identity.nation)
        if obj is None and existing:
            self.problem(place, f"you see {len(existing)} sources {entry.id!r} with other markings; "
                                "a source's marking cannot change (use a new id)")
            return None
        if obj is not None and obj.rel_to != rel_to:
            self.problem(place, f"source {entry.id!r} is marked {obj.releasability}: a source's marking cannot "
                                "change (use a new id)", denied=obj.rel_to, entity="Source", key=entry.id)
            return None
        if obj is None:
            self.report.count("Source", "created")
            return create_source(self.db, {"key": entry.id, **values, "rel_to": rel_to}, origin=self.origin)
        return self._update(obj, values, "Source", entry.id)

    def cited(self, in_file: dict[str, Source], keys: list[str], rel_to: str | None, place: str) -> list[Source]:
        """Resolve the sources a record cites (in the file, else visible in the database) and check their markings."""
        found: list[Source] = []
        for key in keys:
            source = in_file.get(key)
            if source is None:
                visible = visible_source(self.db, key)
                source = pick(visible, rel_to, self.identity.nation)
                if source is None:
                    self.problem(f"{place}.sources", f"unknown source {key!r}" if not visible else
                                 f"you see {len(visible)} sources {key!r}: list the one meant in this file")
                    continue
            if rel_to is not None and (bad := cites(rel_to, source, file=self.origin, where="",
                                                    field=f"{place}.sources")):
                self.problems.append(bad)
                continue
            found.append(source)
        return found

    def upsert(self, model: type[Any], key: dict[str, Any], values: dict[str, Any], rel_to: str | None,
               place: str, *, parent: str | None = None) -> Any:
        """Insert or update one visible record found by its natural key; None when the file is at fault."""
        name = model.__name__
        label = "/".join(str(v) for v in key.values() if not isinstance(v, int) or name == "NationFigure")
        marking = self.markable(rel_to, place, name, label)
        if marking is None or rel_to is None:
            return None
        if parent is not None and not marking.within(Releasability.from_column(parent)):
            self.problem(place, f"marked {marking} but its scenario is marked "
                                f"{Releasability.from_column(parent)}: a part is never released more widely than "
                                "its scenario")
            return None
        existing = list(self.db.scalars(select(model).filter_by(**key).with_for_update()))  # PostgreSQL: row locks
        obj = pick(existing, rel_to, self.identity.nation)
        if obj is None and existing:
            shown = ", ".join(sorted(str(o.releasability) for o in existing))
            self.problem(place, f"you see {len(existing)} records with this key ({shown}) and none marked {marking}: "
                                "a marking cannot be widened, and which one to narrow is unclear")
            return None
        if obj is None:
            obj = model(**key, **values, rel_to=rel_to)
            self.db.add(obj)
            record(self.db, action=f"{name.lower()}.create", entity=name, key=label, rel_to=rel_to,
                   after={**key, **values}, details={"origin": self.origin})
            self.report.count(name, "created")
            return obj
        if name == "Scenario" and (fixed := [k for k in ("horizon_start", "period", "periods")
                                             if getattr(obj, k) != values[k]]):
            # Its parts (some perhaps hidden from this writer) are laid out on the horizon: demand per period,
            # dates turned into periods. Refused whatever the parts, so the refusal says nothing of them.
            self.problem(place, f"scenario {label!r} has horizon {obj.horizon_start} +{obj.periods} {obj.period}s: "
                                f"a scenario's horizon cannot change ({', '.join(fixed)}; import under another name)")
            return None
        if obj.rel_to != rel_to:
            old = obj.releasability
            if name == "Scenario":
                # Fixed, like a source's: narrowing in place would leave parts the writer cannot see (released
                # to other nations) wider than their scenario, and refusing only then would reveal them.
                self.problem(place, f"scenario {label!r} is marked {old}: a scenario's marking cannot change "
                                    "(import under another name)", denied=obj.rel_to, entity=name, key=label)
                return None
            if not marking.within(old):
                self.problem(place, f"cannot widen the marking from {old} to {marking}: releasing a record more "
                                    "widely is not done by import", denied=obj.rel_to, entity=name, key=label)
                return None
            values = {**values, "rel_to": rel_to}
        return self._update(obj, values, name, label)

    def _update(self, obj: Any, values: dict[str, Any], name: str, label: str) -> Any:
        changed = sorted(k for k, v in values.items() if getattr(obj, k) != v)
        if not changed:
            self.report.count(name, "unchanged")
            return obj
        before = {k: getattr(obj, k) for k in changed}
        for attr in changed:
            setattr(obj, attr, values[attr])
        record(self.db, action=f"{name.lower()}.update", entity=name, key=label,
               rel_to=most_restrictive(Releasability.from_column(obj.rel_to),
                                       Releasability.from_column(before.get("rel_to", obj.rel_to))).to_column(),
               before=before, after={k: values[k] for k in changed}, details={"origin": self.origin})
        self.report.count(name, "updated")
        return obj

    def children(self, model: type[Any], scenario_id: int, parent: str,
                 wanted: dict[str, tuple[dict[str, Any], str | None]], section: str, prune: bool) -> dict[str, Any]:
        """Make a scenario's visible records of one kind the wanted ones (each marked its own way or as the
        scenario; `prune` deletes the visible ones the file no longer lists); return them by key."""
        result = {}
        for i, (key, (values, rel_to)) in enumerate(wanted.items()):
            obj = self.upsert(model, {"scenario_id": scenario_id, "key": key}, values, rel_to or parent,
                              f"{section}[{i}] ({key})", parent=parent)
            if obj is not None:
                result[key] = obj
        visible = list(self.db.scalars(select(model).filter_by(scenario_id=scenario_id).with_for_update()))
        for obj in visible:
            if obj.key in wanted and obj in result.values():
                continue
            if prune and obj.key not in wanted:
                self.db.delete(obj)
                record(self.db, action=f"{model.__name__.lower()}.delete", entity=model.__name__, key=obj.key,
                       rel_to=obj.rel_to, details={"origin": self.origin})
                self.report.count(model.__name__, "deleted")
        return result

    def relate(self, obj: Any, attr: str, targets: list[Any], entity: str, key: str) -> None:
        """Set a many-to-many list when its members differ."""
        current = list(getattr(obj, attr))
        if [t.id for t in current] != [t.id for t in targets]:
            setattr(obj, attr, targets)
            record(self.db, action=f"{entity.lower()}.{attr}.set", entity=entity, key=key, rel_to=obj.rel_to,
                   before={attr: [t.key for t in current]}, after={attr: [t.key for t in targets]})


def load_bundled(*, db: Session, on_file: Callable[[str], None] | None = None) -> list[ImportReport]:
    """Import every bundled file in the caller's transaction (idempotent; never deletes what users added)."""
    reports = []
    for name in BUNDLED:
        if on_file:
            on_file(name)
        document = load_document(data_dir() / name)
        reports.append(import_document(document, db=db, origin=f"bundled:{name}", prune=False))
    return reports

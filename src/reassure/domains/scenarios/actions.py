"""The audited writes of a scenario file's records (domains/scenarios/importing.py maps the file onto them): each
record is created, updated or deleted under the importer's identity, every change audited. Rules (docs/adr/0007):

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
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from reassure.core.errors import Denial, Problem
from reassure.core.identity import Identity
from reassure.core.markings import Releasability, most_restrictive
from reassure.domains.audit.actions import record
from reassure.domains.scenario_records.models import Scenario, ScenarioChange
from reassure.domains.sources.actions import cites, create_source, pick, visible_source
from reassure.domains.sources.models import Source


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


class RecordSync:
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

    def source(self, key: str, values: dict[str, Any], rel_to: str | None, place: str) -> Source | None:
        """Create or update a source of the file (its columns `values`); its marking is fixed once created."""
        if self.markable(rel_to, place, "Source", key) is None:
            return None
        existing = visible_source(self.db, key)
        obj = pick(existing, rel_to, self.identity.nation)
        if obj is None and existing:
            self.problem(place, f"you see {len(existing)} sources {key!r} with other markings; "
                                "a source's marking cannot change (use a new id)")
            return None
        if obj is not None and obj.rel_to != rel_to:
            self.problem(place, f"source {key!r} is marked {obj.releasability}: a source's marking cannot "
                                "change (use a new id)", denied=obj.rel_to, entity="Source", key=key)
            return None
        if obj is None:
            self.report.count("Source", "created")
            return create_source(self.db, {"key": key, **values, "rel_to": rel_to}, origin=self.origin)
        return self._update(obj, values, "Source", key)

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
               place: str, *, parent: str | None = None, label: str | None = None) -> Any:
        """Insert or update one visible record found by its natural key; None when the file is at fault. `label`
        names it in the audit log (default: its key's text values)."""
        name = model.__name__
        if label is None:
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

    def children(self, model: type[Any], scenario: Scenario,
                 wanted: dict[str, tuple[dict[str, Any], str | None]], section: str, prune: bool) -> dict[str, Any]:
        """Make a scenario's visible records of one kind the wanted ones (each marked its own way or as the
        scenario; `prune` deletes the visible ones the file no longer lists); return them by key. The audit log
        names each "scenario/key", as the other writes of a scenario's parts do: keys repeat across scenarios."""
        result = {}
        scenario_id, parent = scenario.id, scenario.rel_to
        for i, (key, (values, rel_to)) in enumerate(wanted.items()):
            obj = self.upsert(model, {"scenario_id": scenario_id, "key": key}, values, rel_to or parent,
                              f"{section}[{i}] ({key})", parent=parent, label=f"{scenario.name}/{key}")
            if obj is not None:
                result[key] = obj
        visible = list(self.db.scalars(select(model).filter_by(scenario_id=scenario_id).with_for_update()))
        for obj in visible:
            if obj.key in wanted and obj in result.values():
                continue
            if prune and obj.key not in wanted:
                self.db.delete(obj)
                record(self.db, action=f"{model.__name__.lower()}.delete", entity=model.__name__,
                       key=f"{scenario.name}/{obj.key}",
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


def replace_changes(sync: RecordSync, scenario: Scenario, wanted: list[tuple[str, dict[str, Any]]]) -> None:
    """Make a scenario's changes (what-ifs against its base) the wanted ones, marked like the scenario; audit it."""
    parent = scenario.rel_to
    current = [(c.kind, c.params) for c in scenario.changes]
    if wanted != current or any(c.rel_to != parent for c in scenario.changes):
        scenario.changes = [ScenarioChange(position=i, kind=k, params=p, rel_to=parent)
                            for i, (k, p) in enumerate(wanted)]
        record(sync.db, action="scenario.changes.replace", entity="Scenario", key=scenario.name, rel_to=parent,
               before=[{"kind": k, **p} for k, p in current], after=[{"kind": k, **p} for k, p in wanted],
               details={"origin": sync.origin})
        sync.report.count("ScenarioChange", "updated")

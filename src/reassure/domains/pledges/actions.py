"""Pledge actions: adding one pledge to a scenario, and its lifecycle: a dated status change (announced → offered →
confirmed → deployed) or a withdrawal.

Adding a pledge is a planner's audited write under a scenario they see; the pledge is marked as the writer says
(else like its scenario), never more widely than its scenario or its sources, and always released to the writer's
nation (nobody writes what they could not read back); its key must be new among the scenario's pledges they see.

No lost update (docs/adr/0051): every write of a pledge bumps its version (models.py); an edit names the version
its writer read (`expected_version`), checked with the pledge locked, and a stale one is a Conflict naming the pledge
and who changed it since, with nothing written.

A planner's audited write on a pledge released to them; the new step is marked like its pledge. Steps go
forward in time: a step dated before the pledge's last one is refused (Conflict), checked with the pledge locked
(db/locks.py), so concurrent writers cannot break the order.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from reassure.core.errors import Conflict, Denial, InputError, Problem
from reassure.core.identity import Role
from reassure.core.labels import capability_label
from reassure.core.markings import Releasability, parse_marking
from reassure.core.quantities import Quantity, QuantityKind
from reassure.db.access import identity_of
from reassure.db.locks import lock_for_update
from reassure.domains.audit.actions import record
from reassure.domains.audit.models import AuditEntry
from reassure.domains.nations.models import Nation
from reassure.domains.pledges.models import LIFECYCLE, Pledge, PledgeStatusEvent
from reassure.domains.pledges.rows import pledge_values
from reassure.domains.pledges.schemas import PledgeEdit, PledgeHistory, PledgeRead
from reassure.domains.pledges.service import find_pledge, get_pledge, pledge_history
from reassure.domains.scenario_records.lookup import find_scenario
from reassure.domains.sources.actions import cites, pick, visible_source
from reassure.domains.sources.models import Source
from reassure.domains.tasks.models import Task
from reassure.scenario_io.schema import PledgeEntry


def add_pledge(scenario: str, entry: PledgeEntry, *, db: Session) -> PledgeRead:
    """Add a pledge (a validated entry, as a scenario file gives one) to a visible scenario; return it as read.

    Every problem found is raised at once (InputError, each naming its field); a key the scenario already has among
    the pledges the writer sees is a Conflict. The entry's history (dated steps) is stored with it."""
    identity = identity_of(db)
    identity.require(Role.PLANNER, "add a pledge")
    found = find_scenario(scenario, db=db)  # hidden and absent alike: NotFound
    lock_for_update(db, found)  # writers adding to one scenario take turns: the key check below holds until commit
    parent = Releasability.from_column(found.rel_to)
    marking = parse_marking(entry.marking) if entry.marking is not None else parent
    rel_to = marking.to_column()
    problems: list[Problem] = []
    if not identity.may_mark(marking):
        mine = Releasability.to(identity.nation).to_column()
        message = (f"marked {marking}, which is not released to your nation {identity.nation}: you may only write "
                   "records you could read")
        raise InputError([Problem("", "", "marking", message)],
                         denials=[Denial(action="pledge.create", entity="Pledge", key=f"{scenario}/{entry.key}",
                                         rel_to=mine, details={"reason": message})])
    if not marking.within(parent):
        problems.append(Problem("", "", "marking", f"marked {marking} but its scenario is marked {parent}: a pledge "
                                                   "is never released more widely than its scenario"))
    if db.scalars(select(Pledge.id).where(Pledge.scenario_id == found.id, Pledge.key == entry.key)).first():
        raise Conflict(f"scenario {scenario!r} already has a pledge {entry.key!r}: choose another key, or change "
                       "that pledge's status")
    problems += [Problem("", "", "conditions", f"unknown condition {flag!r}: scenario {scenario!r} has flags "
                                               f"{', '.join(sorted(found.flags)) or 'none'}")
                 for flag in entry.conditions if flag not in found.flags]
    tasks = set(db.scalars(select(Task.key).where(Task.scenario_id == found.id)))
    problems += [Problem("", "", "caveat_tasks", f"caveat names unknown task {task!r}")
                 for caveat in entry.caveats for task in caveat.tasks if task not in tasks]
    sources: list[Source] = []
    for key in entry.sources:
        cited = pick(visible_source(db, key), rel_to, identity.nation)
        if cited is None:
            problems.append(Problem("", "", "sources", f"unknown source {key!r}"))
        elif problem := cites(rel_to, cited, file="", where="", field="sources"):
            problems.append(problem)
        else:
            sources.append(cited)
    if problems:
        raise InputError(problems)
    values = pledge_values(entry)
    pledge = Pledge(scenario_id=found.id, key=entry.key, **values, rel_to=rel_to, sources=sources,
                    history=[PledgeStatusEvent(status=s.status, on_date=s.date, rel_to=rel_to) for s in entry.history])
    db.add(pledge)
    db.flush()
    steps = [[s.status, s.date] for s in entry.history]
    record(db, action="pledge.create", entity="Pledge", key=f"{scenario}/{entry.key}", rel_to=rel_to,
           after={**values, "sources": [s.key for s in sources], "history": steps})
    return get_pledge(scenario, entry.key, db=db)


# What each audited write of a pledge did, for people (the audit log's action names are not shown).
CHANGES = {"pledge.create": "added it", "pledge.edit": "edited it", "pledge.status": "recorded a status step",
           "pledge.quantity": "changed its size", "pledge.update": "imported a change", "pledge.sources.set":
           "changed its sources", "pledge.history.replace": "imported its history"}


def pledge_label(pledge: Pledge, scenario: str, *, db: Session) -> str:
    """Name a pledge for people: its key, nation and capability, and its scenario."""
    nation = db.scalar(select(Nation.name).where(Nation.code == pledge.nation_code)) or pledge.nation_code
    return f"pledge {pledge.key!r} ({nation}, {capability_label(pledge.capability)}) of scenario {scenario!r}"


def check_version(pledge: Pledge, expected: int | None, scenario: str, *, db: Session) -> None:
    """Refuse a write made from a stale read (Conflict), with the pledge locked by the caller; None checks nothing.

    The message names the pledge and, from the audit log, who last changed it, when and what."""
    if expected is None or expected == pledge.version:
        return
    qualified = f"{scenario}/{pledge.key}"
    last = db.scalars(select(AuditEntry).where(AuditEntry.entity == "Pledge", AuditEntry.outcome == "done",
                                               AuditEntry.entity_key.in_([qualified, pledge.key]))
                      .order_by(AuditEntry.id.desc()).limit(1)).first()
    if last is not None and last.entity_key != qualified and (db.scalar(
            select(func.count(Pledge.id)).where(Pledge.key == pledge.key)) or 0) > 1:
        last = None  # older imports named a pledge by its bare key alone: of which scenario is unknown
    since = ""
    if last is not None:
        after = last.details.get("after") if isinstance(last.details, dict) else None
        fields = sorted(k.replace("_", " ") for k in after) if isinstance(after, dict) else []
        done = CHANGES.get(last.action, "changed it")
        what = f" ({', '.join(fields)})" if fields and last.action in ("pledge.edit", "pledge.update") else ""
        since = f": last changed by {last.actor} at {last.at:%Y-%m-%d %H:%M} UTC, who {done}{what}"
    raise Conflict(f"{pledge_label(pledge, scenario, db=db)} was changed by someone else since you read it (you "
                   f"sent version {expected}, it is now version {pledge.version}{since}); nothing was written: "
                   "read it again and make your change on what is there now")


def edit_pledge(scenario: str, key: str, edit: PledgeEdit, *, expected_version: int, db: Session) -> PledgeRead:
    """Change a visible pledge's plain fields (probability, notes, notice, rotation, validity and renewal), if it is
    still at `expected_version`, the version its writer read (else a Conflict, nothing written); return it as read.
    A planner's audited write under the pledge's lock."""
    identity_of(db).require(Role.PLANNER, "edit a pledge")
    changes = edit.changes()
    if not changes:
        raise InputError("nothing to change: give at least one field")
    pledge = find_pledge(scenario, key, db=db)
    lock_for_update(db, pledge)  # the version is compared with the last committed one, and holds until commit
    check_version(pledge, expected_version, scenario, db=db)
    changed = {k: v for k, v in changes.items() if getattr(pledge, k) != v}
    if not changed:
        return get_pledge(scenario, key, db=db)
    before = {k: getattr(pledge, k) for k in changed}
    for name, value in changed.items():
        setattr(pledge, name, value)
    db.flush()
    record(db, action="pledge.edit", entity="Pledge", key=f"{scenario}/{key}", rel_to=pledge.rel_to,
           before=before, after=changed, details={"version": pledge.version})
    return get_pledge(scenario, key, db=db)


def change_status(scenario: str, key: str, status: str, on_date: date, *, db: Session,
                  source: str | None = None, expected_version: int | None = None) -> PledgeHistory:
    """Record that a pledge reached a status on a date (citing a source when given); return its history. With
    `expected_version`, the pledge must still be at the version its writer read."""
    identity_of(db).require(Role.PLANNER, "change a pledge's status")
    if status not in LIFECYCLE:
        raise InputError(f"status must be one of {', '.join(LIFECYCLE)}, got {status!r}")
    pledge = find_pledge(scenario, key, db=db)
    lock_for_update(db, pledge)  # the order is checked against the last committed step, and holds until commit
    check_version(pledge, expected_version, scenario, db=db)
    last = max((h.on_date for h in pledge.history), default=None)
    if last is not None and on_date < last:
        raise Conflict(f"{on_date} is before the pledge's last step ({last}): steps go forward in time")
    if any(h.status == status and h.on_date == on_date for h in pledge.history):
        raise Conflict(f"the pledge is already recorded as {status} on {on_date}")
    if source is not None:
        cited = pick(visible_source(db, source), pledge.rel_to)
        if cited is None:
            raise InputError(f"unknown source {source!r}")
        if problem := cites(pledge.rel_to, cited, file="--source", where="", field=""):
            raise InputError([problem])
        if cited.id not in {s.id for s in pledge.sources}:
            pledge.sources.append(cited)
    before = {"status": pledge.status, "steps": len(pledge.history)}
    pledge.history.append(PledgeStatusEvent(status=status, on_date=on_date, rel_to=pledge.rel_to))
    pledge.status = status
    db.flush()
    record(db, action="pledge.status", entity="Pledge", key=f"{scenario}/{key}", rel_to=pledge.rel_to,
           before=before, after={"status": status, "on": on_date, "source": source})
    return pledge_history(scenario, key, db=db)


def withdraw(scenario: str, key: str, on_date: date, *, db: Session, source: str | None = None) -> PledgeHistory:
    """Record a pledge's withdrawal: plans built from then on leave its units out from the period containing the date
    on (docs/adr/0023)."""
    return change_status(scenario, key, "withdrawn", on_date, db=db, source=source)


def add_units(scenario: str, key: str, units: int, on_date: date, *, db: Session, source: str) -> PledgeRead:
    """Add `units` units to a visible pledge's size (an exact size, a lower bound, each end and the best estimate of a
    range), citing `source` (docs/adr/0041: a nation's answer to an ask); an undisclosed size is a Conflict. A
    planner's audited write, with the pledge locked; the pledge must be marked no wider than the source it cites."""
    identity_of(db).require(Role.PLANNER, "change a pledge's size")
    if units < 1:
        raise InputError(f"units to add must be at least 1, got {units}")
    pledge = find_pledge(scenario, key, db=db)
    lock_for_update(db, pledge)
    old = pledge.quantity
    if old.kind is QuantityKind.UNDISCLOSED:
        raise Conflict(f"pledge {key!r} has an undisclosed size: units cannot be added to it (make a new pledge)")
    cited = pick(visible_source(db, source), pledge.rel_to)
    if cited is None:
        raise InputError(f"unknown source {source!r}")
    if problem := cites(pledge.rel_to, cited, file="", where="", field="pledge"):
        raise InputError([problem])
    def plus(n: int | None) -> int | None:
        return None if n is None else n + units

    new = Quantity(kind=old.kind, value=plus(old.value), low=plus(old.low), high=plus(old.high))
    pledge.set_quantity(new)
    if cited.id not in {s.id for s in pledge.sources}:
        pledge.sources.append(cited)
    db.flush()
    record(db, action="pledge.quantity", entity="Pledge", key=f"{scenario}/{key}", rel_to=pledge.rel_to,
           before={"quantity": old.model_dump(mode="json")},
           after={"quantity": new.model_dump(mode="json"), "on": on_date, "source": source})
    return get_pledge(scenario, key, db=db)

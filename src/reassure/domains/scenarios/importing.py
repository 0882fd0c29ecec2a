"""The scenario import: map a validated scenario file (YAML, or a pledge table) onto its records and write them in
the caller's one transaction through the audited writes of domains/scenarios/actions.py; any problem (each naming
file, row and field) raises InputFileError and nothing is written.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from reassure.core.errors import Denial, Forbidden, Problem
from reassure.core.identity import Identity, Role
from reassure.core.markings import Releasability, parse_marking
from reassure.core.nations import all_nations
from reassure.core.text_files import InputFileError
from reassure.db.access import identity_of
from reassure.db.locks import hold_writes, serialize
from reassure.domains.audit.actions import record
from reassure.domains.command.models import CommandNode
from reassure.domains.legal.models import LegalInstrument
from reassure.domains.nations.models import Membership, Nation, NationFigure
from reassure.domains.phases.models import ScenarioPhase
from reassure.domains.pledges.models import Pledge, PledgeStatusEvent
from reassure.domains.scenario_records.models import Scenario
from reassure.domains.scenarios import rows
from reassure.domains.scenarios.actions import ImportReport, RecordSync, replace_changes
from reassure.domains.sources.models import Claim, Source
from reassure.domains.tasks.models import Task
from reassure.scenario_io.bundled import BUNDLED, data_dir
from reassure.scenario_io.load import load_document
from reassure.scenario_io.schema import ScenarioDocument

__all__ = ["ImportReport", "import_document", "load_bundled"]

SCENARIO_PARTS = ("pledges", "tasks", "command", "legal", "changes", "phases")


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
    if (name := document.scenario.name if document.scenario is not None else scenario_name) and (
            document.scenario is not None or document.pledges):
        # Whole-scenario imports of one scenario take turns (docs/adr/0051): one deleting what its file lacks while
        # another inserts would otherwise each prune by what it sees and leave a mix of the two, neither serial
        # order. PostgreSQL: a transaction-scoped advisory lock on the name, taken before anything is read, so the
        # second reads what the first committed; SQLite: the write lock, held above.
        serialize(db, f"scenario-import:{name}")
    report = ImportReport(origin)
    sync = RecordSync(db, report, label, identity)
    ensure_reference_nations(db)
    default = _column(document.marking)
    sources: dict[str, Source] = {}
    for i, source in enumerate(document.sources):
        found = sync.source(source.id, rows.source_values(source), _column(source.marking) or default,
                            f"sources[{i}] ({source.id})")
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
        raise InputFileError(sync.problems, denials=sync.denials)
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


def _sync_scenario(sync: RecordSync, document: ScenarioDocument, sources: dict[str, Source], default: str | None,
                   prune: bool) -> None:
    header = document.scenario
    assert header is not None
    place = f"scenario ({header.name})"
    scenario = sync.upsert(Scenario, {"name": header.name}, rows.scenario_values(header),
                           _column(header.marking) or default, place)
    if scenario is None:
        return
    sync.db.flush()
    sid = scenario.id
    sync.children(Task, scenario, {t.key: (rows.task_values(t, header.horizon.periods), _column(t.marking))
                                      for t in document.tasks}, "tasks", prune)
    sync.children(CommandNode, scenario, _command_wanted(sync.db, sid, document), "command", prune)
    legal = sync.children(LegalInstrument, scenario, {e.key: (rows.legal_values(e), _column(e.marking))
                                                         for e in document.legal}, "legal", prune)
    for i, entry in enumerate(document.legal):
        if entry.key in legal:
            obj = legal[entry.key]
            sync.relate(obj, "sources", sync.cited(sources, entry.sources, obj.rel_to, f"legal[{i}] ({entry.key})"),
                        "LegalInstrument", f"{scenario.name}/{entry.key}")
    _sync_pledges(sync, scenario, document, sources, prune)
    if document.phases:  # a phase names only tasks its writer sees (hidden and absent alike: "unknown task")
        seen = set(sync.db.scalars(select(Task.key).where(Task.scenario_id == sid)))
        for i, phase in enumerate(document.phases):
            for j, d in enumerate(phase.demand):
                if d.task not in seen:
                    sync.problem(f"phases[{i}].demand[{j}].task", f"phase {phase.key!r} names unknown task {d.task!r}")
    sync.children(ScenarioPhase, scenario, {p.key: (rows.phase_values(p, header.horizon), _column(p.marking))
                                               for p in document.phases}, "phases", prune)
    replace_changes(sync, scenario, [(c.kind, c.model_dump(exclude_none=True, exclude={"kind"}))
                                     for c in document.changes])


def _command_wanted(db: Session, scenario_id: int, document: ScenarioDocument) -> dict[str, tuple[dict, str | None]]:
    """Return the command nodes a file wants. A node the file gives no parent keeps a stored parent the importer
    cannot see: the export showed it as a root (hidden and absent look the same), so importing back what a nation
    sees never detaches a node from another nation's hidden headquarters."""
    wanted = {c.key: (rows.command_values(c), _column(c.marking)) for c in document.command}
    stored = {n.key: n.parent_key for n in db.scalars(select(CommandNode).filter_by(scenario_id=scenario_id))}
    for key, (values, _marking) in wanted.items():
        kept = stored.get(key)
        if values["parent_key"] is None and kept is not None and kept not in stored:
            values["parent_key"] = kept
    return wanted


def _sync_table(sync: RecordSync, document: ScenarioDocument, sources: dict[str, Source],
                scenario_name: str | None, prune: bool) -> None:
    found = list(sync.db.scalars(select(Scenario).where(Scenario.name == scenario_name))) if scenario_name else []
    scenario = found[0] if len(found) == 1 else None
    if scenario is None:
        message = (f"no scenario named {scenario_name!r}: import its YAML first" if not found and scenario_name
                   else f"you see {len(found)} scenarios named {scenario_name!r} (one per marking): import the "
                        "pledges with the scenario's YAML instead" if found
                   else "a pledge table needs --scenario NAME (the scenario it belongs to)")
        raise InputFileError([Problem(sync.origin, "", "scenario", message)])
    unknown = [Problem(sync.origin, f"pledge {p.key}", "conditions",
                       f"unknown condition {flag!r}: scenario {scenario.name!r} has flags {sorted(scenario.flags)}")
               for p in document.pledges for flag in p.conditions if flag not in scenario.flags]
    tasks = set(sync.db.scalars(select(Task.key).where(Task.scenario_id == scenario.id)))
    unknown += [Problem(sync.origin, f"pledge {p.key}", "caveat_tasks",
                        f"caveat names unknown task {task!r} (scenario {scenario.name!r} has {len(tasks)} tasks)")
                for p in document.pledges for caveat in p.caveats for task in caveat.tasks if task not in tasks]
    if unknown:
        raise InputFileError(unknown)
    _sync_pledges(sync, scenario, document, sources, prune)


def _sync_pledges(sync: RecordSync, scenario: Scenario, document: ScenarioDocument, sources: dict[str, Source],
                  prune: bool) -> None:
    pledges = sync.children(Pledge, scenario,
                            {p.key: (rows.pledge_values(p), _column(p.marking)) for p in document.pledges},
                            "pledges", prune)
    for i, entry in enumerate(document.pledges):
        pledge = pledges.get(entry.key)
        if pledge is None:
            continue
        place = f"pledges[{i}] ({entry.key})"
        sync.relate(pledge, "sources", sync.cited(sources, entry.sources, pledge.rel_to, place), "Pledge",
                    f"{scenario.name}/{entry.key}")
        wanted = [(s.status, s.date) for s in entry.history]
        current = [(h.status, h.on_date) for h in pledge.history]
        for step in pledge.history:  # history is marked like its pledge, also after the pledge is narrowed
            step.rel_to = pledge.rel_to
        if current != wanted:
            pledge.history.clear()
            sync.db.flush()  # the old steps go before the new ones arrive (same status and date are unique)
            pledge.history.extend(PledgeStatusEvent(status=s, on_date=on, rel_to=pledge.rel_to) for s, on in wanted)
            if current:
                record(sync.db, action="pledge.history.replace", entity="Pledge", key=f"{scenario.name}/{entry.key}",
                       rel_to=pledge.rel_to, before=current, after=wanted)


def load_bundled(*, db: Session, on_file: Callable[[str], None] | None = None) -> list[ImportReport]:
    """Import every bundled file in the caller's transaction (idempotent; never deletes what users added)."""
    reports = []
    for name in BUNDLED:
        if on_file:
            on_file(name)
        document = load_document(data_dir() / name)
        reports.append(import_document(document, db=db, origin=f"bundled:{name}", prune=False))
    return reports

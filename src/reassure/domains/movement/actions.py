"""Record a restriction on the force's freedom of movement: an analyst's audited write (docs/adr/0045).

The record is marked as the writer says; the marking must include the writer's nation (nobody writes what they could
not read back) and be no wider than what it rests on: its source and the tasks it is linked to (a derived record takes
the most restrictive marking of its inputs). Its standing follows from its grade as an incident report's does
(core/grading standing_for: credibility 1-2 verified, else unconfirmed until corroborated).
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from reassure.core.errors import Denial, Forbidden, InputError, Problem
from reassure.core.grading import AdmiraltyGrade, GradeError, parse_grade, standing_for
from reassure.core.identity import Role
from reassure.core.markings import Releasability, most_restrictive
from reassure.core.regions import region_code
from reassure.db.access import identity_of
from reassure.db.keys import first_of
from reassure.domains.audit.actions import record
from reassure.domains.movement.models import MOVEMENT_KINDS, MovementRestriction
from reassure.domains.movement.schemas import MovementRead
from reassure.domains.movement.service import movement_read
from reassure.domains.scenario_records.lookup import ScenarioNotFound, find_scenario
from reassure.domains.sources.actions import create_source, pick, visible_source
from reassure.domains.tasks.models import Task

MAX_TEXT = 2000
MAX_TASKS = 50


def record_movement(*, db: Session, kind: str, start: datetime, region: str, source: str, grade: str, rel_to: str,
                    end: datetime | None = None, place: str = "", description: str = "", scenario: str | None = None,
                    tasks: list[str] | None = None, publisher: str | None = None) -> MovementRead:
    """Store one restriction (kind, start and optional end, a region in any spelling, the tasks of `scenario` it
    affects) told by the visible source `source` (created, marked like the record, when `publisher` is given and no
    such source is visible) with an Admiralty `grade`; marked `rel_to`. Every problem is raised at once (InputError
    naming its field); needs the analyst role; audited."""
    identity = identity_of(db)
    try:
        identity.require(Role.ANALYST, "record movement restrictions")
    except Forbidden as error:
        error.denials = [Denial(action="movement.record", entity="MovementRestriction", key=kind[:40],
                                rel_to=Releasability.to(identity.nation).to_column(),
                                details={"reason": error.message})]
        raise
    problems: list[Problem] = []
    marking = Releasability.from_column(rel_to)
    if not identity.may_mark(marking):
        problems.append(Problem("", "", "--marking", f"{marking} is not released to your nation {identity.nation}: "
                                "you may only write records you could read"))
    if kind not in MOVEMENT_KINDS:
        problems.append(Problem("", "", "--kind", f"expected one of {', '.join(MOVEMENT_KINDS)}, got {kind[:40]!r}"))
    if end is not None and end < start:
        problems.append(Problem("", "", "--until", f"ends ({end:%Y-%m-%d %H:%M}) before it starts "
                                f"({start:%Y-%m-%d %H:%M})"))
    code = region_code(region)
    if code is None:
        problems.append(Problem("", "", "--region", f"{region[:120]!r} is no region of Ukraine; give an oblast, Kyiv, "
                                "Crimea or Sevastopol in any spelling, or an ISO 3166-2:UA code such as UA-63"))
    parsed: AdmiraltyGrade | None = None
    try:
        parsed = parse_grade(grade)
    except GradeError as error:
        problems.append(Problem("", "", "--grade", str(error)))
    place_text, words = " ".join(place.split()), " ".join(description.split())
    if len(place_text) > 200:
        problems.append(Problem("", "", "--place", f"at most 200 characters, got {len(place_text)}"))
    if len(words) > MAX_TEXT:
        problems.append(Problem("", "", "--description", f"at most {MAX_TEXT} characters, got {len(words)}"))
    rests_on: list[Releasability] = []
    keys = sorted(set(tasks or []))
    if keys and not scenario:
        problems.append(Problem("", "", "--scenario", "name the scenario whose tasks it affects"))
    elif len(keys) > MAX_TASKS:
        problems.append(Problem("", "", "--task", f"at most {MAX_TASKS} tasks, got {len(keys)}"))
    elif scenario:
        try:
            found = find_scenario(scenario, db=db)
        except ScenarioNotFound as error:
            problems.append(Problem("", "", "--scenario", error.message))
        else:
            rests_on.append(found.releasability)
            for key in keys:
                copies = list(db.scalars(select(Task).where(Task.scenario_id == found.id, Task.key == key)))
                if not copies:
                    problems.append(Problem("", "", "--task", f"scenario {scenario!r} has no task {key[:80]!r}"))
                else:
                    rests_on.append(first_of(copies, db=db).releasability)
    cited = pick(visible_source(db, source), rel_to, identity.nation)
    if cited is None and (visible_source(db, source) or not publisher):
        problems.append(Problem("", "", "--source", f"unknown source {source[:80]!r}: give --publisher to create it"
                                if not visible_source(db, source) else f"you see several sources {source[:80]!r} "
                                "and none is marked like this record: give --marking as one of them"))
    if cited is not None:
        rests_on.append(cited.releasability)
    inputs = most_restrictive(*rests_on) if rests_on else None
    if inputs is not None and not marking.within(inputs):
        problems.append(Problem("", "", "--marking", f"{marking} is wider than what it rests on ({inputs}: its "
                                "source and tasks): a record is never released more widely than its inputs"))
    if problems or parsed is None or code is None:
        raise InputError(problems)
    if cited is None:
        cited = create_source(db, {"key": source[:80], "publisher": (publisher or "not stated")[:200],
                                   "title": f"movement report: {source}"[:400], "reliability": parsed.reliability,
                                   "rel_to": marking.to_column()}, origin="movement.record")
    restriction = MovementRestriction(
        kind=kind, start=start, end=end, region=code, place=place_text, description=words, scenario=scenario,
        task_keys=keys, source_id=cited.id, reliability=parsed.reliability, credibility=parsed.credibility,
        standing=standing_for(parsed, corroborating_sources=1).value, recorded_by=identity.user,
        recorded_at=datetime.now(UTC).replace(tzinfo=None), rel_to=marking.to_column())
    db.add(restriction)
    db.flush()
    db.refresh(restriction, ["source"])
    read = movement_read(restriction)
    record(db, action="movement.record", entity="MovementRestriction", key=restriction.public_id,
           rel_to=marking.to_column(), after=read.model_dump(mode="json", exclude={"id", "marking"}))
    return read

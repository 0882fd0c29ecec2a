"""Asks to nations (docs/adr/0041): drafting one by hand or from a stored plan's force-generation asks, sending it,
recording the nation's answer, and turning an accepted answer into a pledge. Each is a planner's audited write.

Markings: an ask rests on its plan (or, drafted by hand, its scenario): it is marked as the writer says, else like
that record, never more widely, and always released to the writer's nation. It can only be sent when it is released
to the nation asked (an ask that nation may not read is a draft kept at home). The answer is a Source marked like its
ask; the pledge it becomes is marked like the ask, and a pledge it changes must be marked no wider than the answer.

Who: the drafting nation's planners send; the drafting or the asked nation's planners record the answer and turn it
into a pledge. Any other nation's planner is refused (Forbidden, audited as denied), a viewer too. Steps go in order
(drafted → sent → answered → pledged) and forward in time, checked with the ask locked: a step out of order is a
Conflict.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from reassure.core.capabilities import CAPABILITIES, Location
from reassure.core.errors import Conflict, Denial, Forbidden, InputError, Problem
from reassure.core.grading import parse_grade
from reassure.core.identity import Identity, Role
from reassure.core.labels import capability_label
from reassure.core.markings import MarkingError, Releasability, most_restrictive, parse_marking
from reassure.core.nations import nation_label
from reassure.db.access import identity_of
from reassure.db.locks import lock_for_update
from reassure.domains.audit.actions import record
from reassure.domains.followups.actions import open_followup
from reassure.domains.followups.schemas import FollowupRead
from reassure.domains.plans.service import get_stored
from reassure.domains.pledges.actions import add_pledge, add_units
from reassure.domains.pledges.models import Pledge
from reassure.domains.requests.models import ANSWERS, ForceAsk
from reassure.domains.requests.schemas import AskRead
from reassure.domains.requests.service import find_ask, get_ask, is_late
from reassure.domains.scenario_records.lookup import find_scenario
from reassure.domains.scenario_records.models import Scenario
from reassure.domains.sources.actions import cites, create_source, pick, visible_source
from reassure.domains.sources.models import Source
from reassure.domains.tasks.models import Task
from reassure.planner.instance import Plan
from reassure.planner.instance import Problem as PlanProblem
from reassure.planner.period_labels import period_start, span_label
from reassure.scenario_io.schema import PledgeEntry

MAX_TEXT = 2000
MAX_UNITS = 1000
LATE_DAYS = 14  # a late answer's follow-up is due this many days after it came


def _marking(identity: Identity, given: str | None, parent: Releasability, what: str) -> Releasability:
    """The marking of a new ask: the given one (else the parent's), released to the writer, no wider than parent."""
    try:
        marking = parse_marking(given) if given is not None else parent
    except MarkingError as error:
        raise InputError([Problem("", "", "marking", str(error))]) from None
    if not identity.may_mark(marking):
        message = (f"marked {marking}, which is not released to your nation {identity.nation}: you may only write "
                   "records you could read")
        raise InputError([Problem("", "", "marking", message)],
                         denials=[Denial(action="ask.create", entity="Ask", key=what[:200],
                                         rel_to=Releasability.to(identity.nation).to_column(),
                                         details={"reason": message})])
    if not marking.within(parent):
        raise InputError([Problem("", "", "marking", f"marked {marking} but it rests on a record marked {parent}: an "
                                                     "ask is never released more widely than what it rests on")])
    return marking


def _after(ask: ForceAsk) -> dict[str, Any]:
    return {"nation": ask.nation_code, "capability": ask.capability, "quantity": ask.quantity,
            "from": ask.available_from, "to": ask.available_to, "closes": [c.get("label") for c in ask.closes],
            "state": ask.state}


def create_ask(scenario: str, *, db: Session, nation: str, capability: str, quantity: int, available_from: date,
               available_to: date, on_date: date, personnel_per_unit: int | None = None,
               where: list[str] | None = None, max_tour: int | None = None, min_dwell: int | None = None,
               tasks: list[str] | None = None, note: str = "", marking: str | None = None,
               answer_by: date | None = None) -> AskRead:
    """Draft an ask by hand under a visible scenario: `quantity` units of `capability` from `nation` for a window,
    closing the named tasks' gaps, answered by `answer_by` if given (later is late: a follow-up). The units' size,
    places and rotation default to the nation's visible pledge of that capability in the scenario (else the fields must
    be given). Every problem is raised at once (InputError)."""
    identity = identity_of(db)
    identity.require(Role.PLANNER, "draft an ask")
    found = find_scenario(scenario, db=db)
    problems: list[Problem] = []
    code = nation.upper()
    if capability not in CAPABILITIES:
        problems.append(Problem("", "", "capability", f"unknown capability {capability[:40]!r}"))
    if not 1 <= quantity <= MAX_UNITS:
        problems.append(Problem("", "", "quantity", f"from 1 to {MAX_UNITS} units, got {quantity}"))
    if available_to < available_from:
        problems.append(Problem("", "", "to", f"the window ends ({available_to}) before it starts ({available_from})"))
    known = {t.key: t for t in db.scalars(select(Task).where(Task.scenario_id == found.id))}
    problems += [Problem("", "", "task", f"scenario {scenario!r} has no task {t[:80]!r}")
                 for t in tasks or [] if t not in known]
    template = db.scalars(select(Pledge).where(Pledge.scenario_id == found.id, Pledge.nation_code == code,
                                               Pledge.capability == capability).order_by(Pledge.key)).first()
    named = [known[t] for t in dict.fromkeys(tasks or []) if t in known]
    places = where if where else ([t.location for t in named] or (list(template.locations) if template else []))
    copied = template is not None and ((not where and not named) or None in (personnel_per_unit, max_tour, min_dwell))
    try:
        places = list(dict.fromkeys(Location(p).value for p in places))
    except ValueError:
        problems.append(Problem("", "", "where", f"places are {', '.join(x.value for x in Location)}"))
    if not places:
        problems.append(Problem("", "", "where", "give where the units serve (or a task, or ask a nation that "
                                                 "pledges this capability)"))
    values = {"personnel_per_unit": personnel_per_unit, "max_tour": max_tour, "min_dwell": min_dwell}
    for field, value in list(values.items()):
        if value is None and template is not None:
            values[field] = getattr(template, field)
        if values[field] is None:
            problems.append(Problem("", "", field.replace("_", "-"), f"give the {field.replace('_', ' ')} (the "
                                    f"nation has no pledge of this capability to take it from)"))
        elif not (1 if field == "max_tour" else 0) <= int(values[field] or 0) <= 100_000:
            problems.append(Problem("", "", field.replace("_", "-"), f"out of range: {values[field]}"))
    if len(note) > MAX_TEXT:
        problems.append(Problem("", "", "note", f"at most {MAX_TEXT} characters, got {len(note)}"))
    if answer_by is not None and answer_by < on_date:
        problems.append(Problem("", "", "answer-by", f"the answer is due ({answer_by}) before the ask is drafted "
                                f"({on_date})"))
    if problems:
        raise InputError(problems)
    # The ask copies in what it rests on: the scenario, the tasks it names and, when it takes the unit's size, places
    # or rotation from it, the nation's pledge. It is marked no wider than any of them.
    rests_on = [found.releasability, *(t.releasability for t in named),
                *([template.releasability] if copied and template is not None else [])]
    rel = _marking(identity, marking, most_restrictive(*rests_on), f"{scenario}/{nation}")
    span = f"{available_from:%d %b %Y} – {available_to:%d %b %Y}"
    closes = [{"task": t, "label": f"{t} {span}"} for t in dict.fromkeys(tasks or [])]
    ask = ForceAsk(scenario_id=found.id, nation_code=code, capability=capability, quantity=quantity,
                   locations=places, available_from=available_from, available_to=available_to, closes=closes,
                   note=" ".join(note.split()), state="drafted", author=identity.user, drafted_on=on_date,
                   answer_by=answer_by, rel_to=rel.to_column(), **values)
    db.add(ask)
    db.flush()
    record(db, action="ask.create", entity="Ask", key=ask.public_id, rel_to=ask.rel_to, after=_after(ask))
    return get_ask(ask.public_id, db=db)


def asks_from_plan(plan_id: object, *, db: Session, on_date: date, marking: str | None = None,
                   answer_by: date | None = None) -> list[AskRead]:
    """Draft one ask per force-generation ask stored with a visible plan (one per nation and capability, with the
    periods and gaps it would close), marked like the plan unless narrowed, each to be answered by `answer_by`. A plan
    whose asks are drafted already, or that has none, is a Conflict."""
    identity = identity_of(db)
    identity.require(Role.PLANNER, "draft asks from a plan")
    stored = get_stored(plan_id, db=db)
    rel = _marking(identity, marking, stored.releasability, stored.public_id)
    if answer_by is not None and answer_by < on_date:
        raise InputError([Problem("", "", "answer-by", f"the answer is due ({answer_by}) before the asks are "
                                  f"drafted ({on_date})")])
    lock_for_update(db, stored)  # two drafts from one plan take turns: the check below holds until commit
    plan = Plan.model_validate(stored.plan)
    if plan.asks is None or not plan.asks.asks:
        raise Conflict(f"plan {stored.public_id} has no force-generation asks: compute them first "
                       "(reassure plan asks)")
    if db.scalars(select(ForceAsk.id).where(ForceAsk.plan_id == stored.id)).first():
        raise Conflict(f"the asks of plan {stored.public_id} are drafted already: see reassure asks list")
    problem = PlanProblem.model_validate(stored.problem)
    horizon = problem.horizon
    found = find_scenario(stored.scenario, db=db)
    made: list[ForceAsk] = []
    for asked in plan.asks.asks:
        unit = asked.units[0]
        closes = [{"task": s.task, "first": s.periods[0], "last": s.periods[-1],
                   "label": f"{s.task} {span_label(horizon, s.periods[0], s.periods[-1])}"} for s in asked.closes]
        ends = period_start(horizon, unit.available_to + 1) - timedelta(days=1)
        ask = ForceAsk(scenario_id=found.id, plan_id=stored.id, nation_code=asked.nation,
                       capability=asked.capability, quantity=asked.count, personnel_per_unit=asked.personnel,
                       locations=[str(x) for x in unit.locations], available_from=period_start(horizon, asked.start),
                       available_to=ends, max_tour=unit.max_tour, min_dwell=unit.min_dwell, closes=closes,
                       note=f"from plan {stored.public_id}: {asked.template}"[:MAX_TEXT], state="drafted",
                       author=identity.user, drafted_on=on_date, answer_by=answer_by, rel_to=rel.to_column())
        db.add(ask)
        made.append(ask)
    db.flush()
    for ask in made:
        record(db, action="ask.create", entity="Ask", key=ask.public_id, rel_to=ask.rel_to,
               after={**_after(ask), "plan": stored.public_id})
    return [get_ask(a.public_id, db=db) for a in made]


def _party(db: Session, ask: ForceAsk, action: str, *, asked_too: bool) -> Identity:
    """The acting planner, if theirs is the drafting nation (or, with `asked_too`, the asked one); else Forbidden."""
    identity = identity_of(db)
    identity.require(Role.PLANNER, action)
    parties = {ask.owner_nation} | ({ask.nation_code} if asked_too else set())
    if identity.nation not in parties:
        who = " or ".join(sorted(n for n in parties if n))
        message = f"only planners of {who} may {action} (ask {ask.public_id})"
        raise Forbidden(message, action=action,
                        denials=[Denial(action=f"ask.{action.split()[0]}", entity="Ask", key=ask.public_id,
                                        rel_to=ask.rel_to, details={"reason": message})])
    return identity


def _step(ask: ForceAsk, expected: str, on_date: date, last: date | None, doing: str) -> None:
    if ask.state != expected:
        raise Conflict(f"ask {ask.public_id} is {ask.state}: only an ask that is {expected} can be {doing}")
    if last is not None and on_date < last:
        raise Conflict(f"{on_date} is before the ask's last step ({last}): steps go forward in time")


def send_ask(ask_id: object, *, db: Session, on_date: date, source: str | None = None) -> AskRead:
    """Record that a drafted ask was sent to its nation on a date (citing the letter or message as a visible source,
    when given). The ask must be released to the nation asked."""
    ask = find_ask(ask_id, db=db)
    _party(db, ask, "send the ask", asked_too=False)
    lock_for_update(db, ask)
    _step(ask, "drafted", on_date, ask.drafted_on, "sent")
    if not ask.releasability.allows(ask.nation_code):
        raise InputError([Problem("", "", "marking", f"the ask is marked {ask.releasability}, not released to "
                                  f"{ask.nation_code}: the nation asked could not read it (draft it anew, released "
                                  "to them)")])
    if source is not None:
        cited = pick(visible_source(db, source), ask.rel_to)
        if cited is None:
            raise InputError([Problem("", "", "source", f"unknown source {source[:80]!r}")])
        if problem := cites(ask.rel_to, cited, file="", where="", field="source"):
            raise InputError([problem])
        ask.sent_source_id = cited.id
    ask.state, ask.sent_on = "sent", on_date
    db.flush()
    record(db, action="ask.send", entity="Ask", key=ask.public_id, rel_to=ask.rel_to, before={"state": "drafted"},
           after={"state": "sent", "on": on_date, "source": source})
    return get_ask(ask.public_id, db=db)


def answer_ask(ask_id: object, *, db: Session, answer: str, on_date: date, accepted: int | None = None,
               conditions: str = "", publisher: str | None = None, title: str | None = None,
               locator: str | None = None, reliability: str = "B") -> AskRead:
    """Record a nation's answer to a sent ask: `full`, `part` (with the units `accepted`, fewer than asked) or
    `declined`, with its conditions in the nation's words. The answer is stored as a Source (publisher, title, date,
    locator, reliability) marked like the ask, which a pledge made from it cites."""
    ask = find_ask(ask_id, db=db)
    _party(db, ask, "answer the ask", asked_too=True)
    lock_for_update(db, ask)
    _step(ask, "sent", on_date, ask.sent_on, "answered")
    problems: list[Problem] = []
    if answer not in ANSWERS:
        problems.append(Problem("", "", "answer", f"expected one of {', '.join(ANSWERS)}, got {answer[:40]!r}"))
    elif answer == "full":
        if accepted not in (None, ask.quantity):
            problems.append(Problem("", "", "accepted", f"an answer in full accepts the {ask.quantity} units asked; "
                                    "for fewer answer part"))
        accepted = ask.quantity
    elif answer == "part":
        if accepted is None or not 1 <= accepted < ask.quantity:
            problems.append(Problem("", "", "accepted", f"an answer in part accepts from 1 to {ask.quantity - 1} "
                                    f"units, got {accepted}"))
    else:
        if accepted not in (None, 0):
            problems.append(Problem("", "", "accepted", "a declined ask accepts no units"))
        accepted = 0
    words = " ".join((conditions or "").split())
    if len(words) > MAX_TEXT:
        problems.append(Problem("", "", "conditions", f"at most {MAX_TEXT} characters, got {len(words)}"))
    if reliability not in "ABCDEF" or len(reliability) != 1:
        problems.append(Problem("", "", "reliability", f"an Admiralty reliability A to F, got {reliability[:8]!r}"))
    for field, text, most in (("publisher", publisher, 200), ("title", title, 400), ("locator", locator, 600)):
        if text is not None and len(text) > most:
            problems.append(Problem("", "", field, f"at most {most} characters, got {len(text)}"))
    if problems:
        raise InputError(problems)
    name = nation_label(ask.nation_code)
    source = create_source(db, {
        "key": f"answer-{ask.public_id}", "publisher": publisher or f"Government of {name}",
        "title": title or f"{name}'s answer to the ask for {ask.quantity} {capability_label(ask.capability, 2)}",
        "published": on_date, "locator": locator, "reliability": reliability, "notes": words or None,
        "rel_to": ask.rel_to}, origin="ask.answer")
    ask.state, ask.answer, ask.accepted, ask.conditions = "answered", answer, accepted, words
    ask.answered_on, ask.answer_source_id = on_date, source.id
    db.flush()
    record(db, action="ask.answer", entity="Ask", key=ask.public_id, rel_to=ask.rel_to, before={"state": "sent"},
           after={"state": "answered", "answer": answer, "accepted": accepted, "conditions": words, "on": on_date,
                  "source": source.key})
    follow_up_ask(ask, db=db, today=on_date)  # answered late: the asking nation's follow-up (else its sweep's)
    return get_ask(ask.public_id, db=db)


def follow_up_ask(ask: ForceAsk, *, db: Session, today: date) -> FollowupRead | None:
    """Open the asking nation's follow-up on an ask that is late (docs/adr/0047): answered after its answer-by date
    ("answered late", due in 14 days), or still unanswered after it ("unanswered", due today). Each cause opens one
    follow-up per ask, ever (closing it is the answer to it); the writer must be of the asking nation."""
    if not is_late(ask, today) or ask.owner_nation != identity_of(db).nation:
        return None
    who = f"{ask.quantity} × {capability_label(ask.capability, ask.quantity)} from {nation_label(ask.nation_code)}"
    if ask.answered_on is not None:
        title = f"Answer to the ask for {who} came late: {ask.answered_on} (due {ask.answer_by})"
        cause, due = "late", ask.answered_on + timedelta(days=LATE_DAYS)
    else:
        title = f"Chase the ask for {who}: no answer by {ask.answer_by}"
        cause, due = "unanswered", today
    return open_followup(db=db, title=title, follows_kind="ask", follows_key=f"{ask.public_id}/{cause}", due_on=due,
                         rests_on=ask.rel_to, once=True)


def follow_up_late_asks(*, db: Session, today: date | None = None) -> list[FollowupRead]:
    """Open a follow-up for each visible ask of the writer's nation that is late as of `today` (default: the
    current day): the sweep the monitor's alerts run and the rules job make, beside the expiry window's."""
    day = today or date.today()
    nation = identity_of(db).nation
    late = db.scalars(select(ForceAsk).where(ForceAsk.owner_nation == nation, ForceAsk.answer_by.is_not(None),
                                             ForceAsk.answer_by < day).order_by(ForceAsk.id)).all()
    opened = [follow_up_ask(ask, db=db, today=day) for ask in late]
    return [f for f in opened if f is not None]


def ask_to_pledge(ask_id: object, *, db: Session, on_date: date, pledge: str | None = None,
                  key: str | None = None) -> AskRead:
    """Turn an accepted answer (in full or part) into a pledge through the pledge actions, citing the answer: with
    `pledge`, add the accepted units to that visible pledge of the same nation and capability; else add a new pledge
    (key `key`, else ASK-<nation>-<capability>-<n>) of the accepted units for the ask's window, places and rotation,
    marked like the ask, offered on the answer's date and graded by the answer's reliability (unconfirmed)."""
    ask = find_ask(ask_id, db=db)
    _party(db, ask, "turn the ask into a pledge", asked_too=True)
    lock_for_update(db, ask)
    _step(ask, "answered", on_date, ask.answered_on, "turned into a pledge")
    if not ask.accepted:
        raise Conflict(f"ask {ask.public_id} was declined: there is nothing to pledge")
    scenario = db.scalar(select(Scenario.name).where(Scenario.id == ask.scenario_id))
    source = db.scalar(select(Source.key).where(Source.id == ask.answer_source_id))
    if scenario is None or source is None:
        raise Conflict(f"the scenario or the answer to ask {ask.public_id} is not visible to you: it cannot be cited")
    if pledge is not None:
        target = db.scalars(select(Pledge).where(Pledge.scenario_id == ask.scenario_id, Pledge.key == pledge)).first()
        if target is None:
            raise InputError([Problem("", "", "pledge", f"scenario {scenario!r} has no pledge {pledge[:80]!r}")])
        if (target.nation_code, target.capability) != (ask.nation_code, ask.capability):
            raise InputError([Problem("", "", "pledge", f"pledge {pledge!r} is {target.nation_code}'s "
                                      f"{target.capability}, not the {ask.nation_code} {ask.capability} asked")])
        add_units(scenario, pledge, ask.accepted, on_date, db=db, source=source)
        made = target
    else:
        made = _new_pledge(db, ask, scenario, key, source, on_date)
    ask.state, ask.pledge_id, ask.pledged_on = "pledged", made.id, on_date
    db.flush()
    record(db, action="ask.pledge", entity="Ask", key=ask.public_id, rel_to=ask.rel_to, before={"state": "answered"},
           after={"state": "pledged", "pledge": made.key, "units": ask.accepted, "changed": pledge is not None,
                  "on": on_date})
    return get_ask(ask.public_id, db=db)


def _new_pledge(db: Session, ask: ForceAsk, scenario: str, key: str | None, source: str, on_date: date) -> Pledge:
    reliability = db.scalar(select(Source.reliability).where(Source.id == ask.answer_source_id))
    taken = set(db.scalars(select(Pledge.key).where(Pledge.scenario_id == ask.scenario_id)))
    if key is None:
        stem, n = f"ASK-{ask.nation_code}-{ask.capability}", 1
        key = stem
        while key in taken:
            n += 1
            key = f"{stem}-{n}"
    try:
        entry = PledgeEntry.model_validate({
            "key": key, "nation": ask.nation_code, "capability": ask.capability, "quantity": ask.accepted,
            "personnel_per_unit": ask.personnel_per_unit, "where": list(ask.locations),
            "window": {"from": ask.available_from, "to": ask.available_to},
            "rotation": {"max_tour": ask.max_tour, "min_dwell": ask.min_dwell}, "status": "offered",
            "history": [{"status": "offered", "date": on_date}], "standing": "unconfirmed",
            "grade": str(parse_grade(f"{reliability or 'F'}2")), "sources": [source],
            "marking": str(ask.releasability),
            "notes": f"from ask {ask.public_id}" + (f"; conditions: {ask.conditions}" if ask.conditions else "")})
    except ValueError as error:
        raise InputError([Problem("", "", "key", str(error).splitlines()[0][:300])]) from None
    add_pledge(scenario, entry, db=db)
    made = db.scalars(select(Pledge).where(Pledge.scenario_id == ask.scenario_id, Pledge.key == key)).first()
    assert made is not None
    return made

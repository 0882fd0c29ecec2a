"""Reading asks to nations: through the session's access filter (db/access.py), paged in the database
(db/paging.py); a hidden ask and an absent one give the same NotFound, and what an ask names (its plan, its sources,
its pledge) is shown only when the reader sees that record too."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import Select, or_, select
from sqlalchemy.orm import Session

from reassure.core.errors import InputError, NotFound
from reassure.core.labels import capability_label
from reassure.core.markings import most_restrictive, parse_marking
from reassure.core.nations import nation_label
from reassure.core.public_ids import is_public_id, shown_id
from reassure.db.paging import paged
from reassure.domains.plans.models import StoredPlan
from reassure.domains.pledges.models import Pledge
from reassure.domains.requests.models import STATES, ForceAsk
from reassure.domains.requests.schemas import AskGap, AskRead, GapAsks, NationAsks, OpenAskLine, OpenAsks
from reassure.domains.scenario_records.models import Scenario
from reassure.domains.sources.models import Source
from reassure.domains.tasks.models import Task

OPEN = ("drafted", "sent")  # asks still waiting for an answer


def is_late(ask: ForceAsk, today: date) -> bool:
    """Tell whether an ask with an answer-by date was answered after it, or is still unanswered after it on `today`
    (docs/adr/0047); an ask without one is never late."""
    if ask.answer_by is None:
        return False
    if ask.answered_on is not None:
        return ask.answered_on > ask.answer_by
    return ask.state in OPEN and today > ask.answer_by


class AskNotFound(NotFound):
    """No visible ask of that id (hidden and absent alike)."""


def _query(*, scenario: str | None, nation: str | None, state: str | None, open_only: bool,
           plan: str | None = None) -> Select[ForceAsk]:
    query = select(ForceAsk)
    if plan is not None:
        query = query.where(ForceAsk.plan_id.in_(select(StoredPlan.id).where(StoredPlan.public_id == plan)))
    if scenario is not None:
        query = query.where(ForceAsk.scenario_id.in_(select(Scenario.id).where(Scenario.name == scenario)))
    if nation is not None:
        query = query.where(ForceAsk.nation_code == nation.upper())
    if state is not None:
        query = query.where(ForceAsk.state == state)
    if open_only:
        query = query.where(ForceAsk.state.in_(OPEN))
    return query.order_by(ForceAsk.nation_code, ForceAsk.available_from, ForceAsk.capability, ForceAsk.public_id)


def _visible(db: Session, model: type, column: str, ids: set[object], value: str) -> dict[object, str]:
    if not ids:
        return {}
    key, shown = getattr(model, column), getattr(model, value)
    return {k: v for k, v in db.execute(select(key, shown).where(key.in_(sorted(ids, key=str))))}  # filtered


def _reads(found: Sequence[ForceAsk], *, db: Session) -> list[AskRead]:
    scenarios = _visible(db, Scenario, "id", {a.scenario_id for a in found}, "name")
    plans = _visible(db, StoredPlan, "id", {a.plan_id for a in found if a.plan_id is not None}, "public_id")
    pledges = _visible(db, Pledge, "id", {a.pledge_id for a in found if a.pledge_id is not None}, "key")
    sources = _visible(db, Source, "id", {s for a in found for s in (a.sent_source_id, a.answer_source_id)
                                          if s is not None}, "key")
    names: dict[tuple[int, str], str] = {}
    if found:
        rows = db.execute(select(Task.scenario_id, Task.key, Task.name)
                          .where(Task.scenario_id.in_(sorted({a.scenario_id for a in found}))))  # filtered
        names = {(sid, key): name for sid, key, name in rows}
    return [AskRead(id=a.public_id, scenario=str(scenarios.get(a.scenario_id, "")),
                    plan=plans.get(a.plan_id) if a.plan_id is not None else None,
                    nation=a.nation_code, nation_name=nation_label(a.nation_code), capability=a.capability,
                    capability_name=capability_label(a.capability, a.quantity), quantity=a.quantity,
                    personnel_per_unit=a.personnel_per_unit, where=list(a.locations),
                    available_from=a.available_from, available_to=a.available_to, max_tour=a.max_tour,
                    min_dwell=a.min_dwell, closes=[str(c.get("label", "")) for c in a.closes],
                    close_tasks=list(dict.fromkeys(str(c.get("task", "")) for c in a.closes)), note=a.note,
                    state=a.state, author=a.author, drafted_on=a.drafted_on, sent_on=a.sent_on,
                    sent_source=sources.get(a.sent_source_id) if a.sent_source_id else None, answer=a.answer,
                    accepted=a.accepted, conditions=a.conditions, answered_on=a.answered_on,
                    answer_source=sources.get(a.answer_source_id) if a.answer_source_id else None,
                    pledge=pledges.get(a.pledge_id) if a.pledge_id is not None else None, pledged_on=a.pledged_on,
                    answer_by=a.answer_by, late=is_late(a, date.today()),
                    marking=str(a.releasability), drafting_nation=a.owner_nation or "",
                    released_to_nation=a.releasability.allows(a.nation_code),
                    gaps=[_gap(c, names.get((a.scenario_id, str(c.get("task", ""))))) for c in a.closes])
            for a in found]


def _gap(close: dict[str, object], name: str | None) -> AskGap:
    """A gap an ask closes, for people: the task's name (its key when the reader sees no such task) and months."""
    task, words = str(close.get("task", "")), str(close.get("label", ""))
    span = words[len(task):].strip() if words.startswith(task) else words
    return AskGap(task=task, task_name=name or task, span=span)


def page_asks(*, db: Session, scenario: str | None = None, nation: str | None = None, state: str | None = None,
              open_only: bool = False, plan: str | None = None, limit: int = 50,
              offset: int = 0) -> tuple[list[AskRead], int]:
    """Return one page of the visible asks (by nation, then start, capability and id) and how many there are; `plan`
    keeps those drafted from that stored plan (a public id)."""
    if state is not None and state not in STATES:
        raise InputError(f"state must be one of {', '.join(STATES)}, got {state[:40]!r}")
    found, total = paged(db, _query(scenario=scenario, nation=nation, state=state, open_only=open_only, plan=plan),
                         limit=limit, offset=offset)
    return _reads(found, db=db), total


def list_asks(*, db: Session, scenario: str | None = None, nation: str | None = None, state: str | None = None,
              open_only: bool = False) -> list[AskRead]:
    """Return every visible ask (filters as page_asks)."""
    if state is not None and state not in STATES:
        return page_asks(db=db, state=state)[0]  # raises the InputError
    found = list(db.scalars(_query(scenario=scenario, nation=nation, state=state, open_only=open_only)))
    return _reads(found, db=db)


def find_ask(ask_id: object, *, db: Session) -> ForceAsk:
    """Return the visible ask record of a public id, or raise AskNotFound (hidden, absent, any other text alike)."""
    found = db.scalar(select(ForceAsk).where(ForceAsk.public_id == ask_id)) if is_public_id(ask_id, "ask") else None
    if found is None:
        raise AskNotFound(f"no ask {shown_id(ask_id)}")
    return found


def get_ask(ask_id: object, *, db: Session) -> AskRead:
    """Return a visible ask as read, or raise AskNotFound."""
    return _reads([find_ask(ask_id, db=db)], db=db)[0]


STILL_OPEN_ORDER = {"sent": 0, "drafted": 1, "part": 2, "declined": 3}


def _open_line(ask: AskRead, today: date) -> OpenAskLine:
    waiting = (today - ask.sent_on).days if ask.state == "sent" and ask.sent_on is not None else None
    return OpenAskLine(ask=ask, waiting_days=waiting, still_open=ask.quantity - (ask.accepted or 0))


def _line_order(line: OpenAskLine) -> tuple[int, int, str, str]:
    kind = line.ask.state if line.ask.state in OPEN else str(line.ask.answer)
    return (STILL_OPEN_ORDER.get(kind, 9), -(line.waiting_days or 0), str(line.ask.available_from), line.ask.id)


def open_asks(*, db: Session, scenario: str, today: date) -> OpenAsks:
    """Return the scenario's asks still open as the reader sees them: sent and unanswered (with the days waiting
    since sent, as of `today`), drafted and not sent, answered in part (the units accepted and still open, with the
    conditions) and declined; by nation (sent and unanswered first, longest waiting first) and by gap (each task
    and months an ask would close, by task name); with the narrowest marking of the asks shown."""
    query = (select(ForceAsk).where(ForceAsk.scenario_id.in_(select(Scenario.id).where(Scenario.name == scenario)),
                                    or_(ForceAsk.state.in_(OPEN), ForceAsk.answer.in_(("part", "declined"))))
             .order_by(ForceAsk.nation_code, ForceAsk.public_id))
    lines = sorted((_open_line(a, today) for a in _reads(list(db.scalars(query)), db=db)), key=_line_order)
    nations: dict[str, list[OpenAskLine]] = {}
    gaps: dict[tuple[str, str, str], list[OpenAskLine]] = {}
    for line in lines:
        nations.setdefault(line.ask.nation, []).append(line)
        for gap in line.ask.gaps:
            gaps.setdefault((gap.task_name, gap.span, gap.task), []).append(line)
    marking = most_restrictive(*(parse_marking(line.ask.marking) for line in lines)) if lines else None
    return OpenAsks(scenario=scenario, today=today,
                    nations=[NationAsks(nation=code, nation_name=nation_label(code), lines=found)
                             for code, found in sorted(nations.items(), key=lambda n: nation_label(n[0]))],
                    gaps=[GapAsks(task=task, task_name=name, span=span, lines=found)
                          for (name, span, task), found in sorted(gaps.items(), key=lambda g: (g[0][0], g[0][2],
                                                                                                  _span_start(g[1])))],
                    total=len(lines), marking=str(marking) if marking is not None else "")


def _span_start(lines: list[OpenAskLine]) -> str:
    return min(str(line.ask.available_from) for line in lines)

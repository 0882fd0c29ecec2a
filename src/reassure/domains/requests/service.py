"""Reading asks to nations: through the session's access filter (db/access.py), paged in the database
(db/paging.py); a hidden ask and an absent one give the same NotFound, and what an ask names (its plan, its sources,
its pledge) is shown only when the reader sees that record too."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from reassure.core.errors import InputError, NotFound
from reassure.core.labels import capability_label
from reassure.core.nations import nation_label
from reassure.core.public_ids import is_public_id, shown_id
from reassure.db.paging import paged
from reassure.domains.plans.models import StoredPlan
from reassure.domains.pledges.models import Pledge
from reassure.domains.requests.models import STATES, ForceAsk
from reassure.domains.requests.schemas import AskRead
from reassure.domains.scenario_records.models import Scenario
from reassure.domains.sources.models import Source

OPEN = ("drafted", "sent")  # asks still waiting for an answer


def is_late(ask: ForceAsk, today: date) -> bool:
    """Tell whether an ask with an answer-by date was answered after it, or is still unanswered after it on `today`
    (docs/adr/0046); an ask without one is never late."""
    if ask.answer_by is None:
        return False
    if ask.answered_on is not None:
        return ask.answered_on > ask.answer_by
    return ask.state in OPEN and today > ask.answer_by


class AskNotFound(NotFound):
    """No visible ask of that id (hidden and absent alike)."""


def _query(*, scenario: str | None, nation: str | None, state: str | None, open_only: bool) -> Select[ForceAsk]:
    query = select(ForceAsk)
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
                    marking=str(a.releasability)) for a in found]


def page_asks(*, db: Session, scenario: str | None = None, nation: str | None = None, state: str | None = None,
              open_only: bool = False, limit: int = 50, offset: int = 0) -> tuple[list[AskRead], int]:
    """Return one page of the visible asks (by nation, then start, capability and id) and how many there are."""
    if state is not None and state not in STATES:
        raise InputError(f"state must be one of {', '.join(STATES)}, got {state[:40]!r}")
    found, total = paged(db, _query(scenario=scenario, nation=nation, state=state, open_only=open_only),
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

"""Asks to nations and their answers (docs/adr/0041): list and read them, draft one by hand or from a plan's
force-generation asks, send, answer, turn into a pledge. Writes are planners'; every one is audited."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query
from pydantic import BaseModel, Field

from reassure.api.deps import CallerDep
from reassure.api.pages import Limit, Offset, Page, page
from reassure.core.days import Day
from reassure.domains.requests import actions
from reassure.domains.requests.schemas import AskRead
from reassure.domains.requests.service import get_ask, page_asks

router = APIRouter(tags=["asks"])
# A public id (`ask_…`); any other text answers 404 like an unknown id.
AskId = Annotated[str, Path(description="an ask's public id, e.g. ask_k3x9q2m4v7c1w8ze")]
PlanId = Annotated[str, Path(description="a stored plan's public id")]
Text = Annotated[str, Field(max_length=2000)]
Key = Annotated[str, Field(max_length=120)]


@router.get("/asks", response_model=Page[AskRead])
def asks(caller: CallerDep, scenario: Annotated[str | None, Query(max_length=120)] = None,
         nation: Annotated[str | None, Query(pattern="^[A-Za-z]{3}$")] = None,
         state: Annotated[Literal["drafted", "sent", "answered", "pledged"] | None, Query()] = None,
         open_only: Annotated[bool, Query(alias="open")] = False, limit: Limit = 50,
         offset: Offset = 0) -> Page[AskRead]:
    """Asks to nations released to you, by nation (`open=true`: not yet answered)."""
    return page(*caller.read(lambda db: page_asks(db=db, scenario=scenario, nation=nation, state=state,
                                                  open_only=open_only, limit=limit, offset=offset)), limit, offset)


@router.get("/asks/{ask_id}", response_model=AskRead)
def ask(caller: CallerDep, ask_id: AskId) -> AskRead:
    """One ask, with its steps, answer and the pledge it became."""
    return caller.read(lambda db: get_ask(ask_id, db=db))


class NewAsk(BaseModel):
    """An ask drafted by hand; size, places and rotation default to the nation's pledge of that capability."""

    scenario: Key
    nation: Annotated[str, Field(pattern="^[A-Za-z]{3}$")]
    capability: Annotated[str, Field(max_length=40)]
    quantity: Annotated[int, Field(ge=1, le=1000)]
    available_from: Day
    available_to: Day
    on_date: Day
    tasks: Annotated[list[Key], Field(max_length=50)] = []
    where: Annotated[list[Literal["inside", "adjacent", "sea", "air"]], Field(max_length=4)] = []
    personnel_per_unit: Annotated[int | None, Field(ge=0, le=100_000)] = None
    max_tour: Annotated[int | None, Field(ge=1, le=520)] = None
    min_dwell: Annotated[int | None, Field(ge=0, le=520)] = None
    note: Text = ""
    marking: Annotated[str | None, Field(max_length=400)] = None
    answer_by: Day | None = None  # the day the answer is due (later: a follow-up)


@router.post("/asks", response_model=AskRead, status_code=201)
def create(caller: CallerDep, body: NewAsk) -> AskRead:
    """Draft an ask by hand (planners; audited); its marking defaults to the scenario's."""
    return caller.write(lambda db: actions.create_ask(
        body.scenario, db=db, nation=body.nation, capability=body.capability, quantity=body.quantity,
        available_from=body.available_from, available_to=body.available_to, on_date=body.on_date,
        personnel_per_unit=body.personnel_per_unit, where=list(body.where) or None, max_tour=body.max_tour,
        min_dwell=body.min_dwell, tasks=body.tasks, note=body.note, marking=body.marking, answer_by=body.answer_by))


class FromPlan(BaseModel):
    """Drafting a plan's force-generation asks as asks to nations."""

    on_date: Day
    marking: Annotated[str | None, Field(max_length=400)] = None
    answer_by: Day | None = None  # the day the answers are due (later: a follow-up)


@router.post("/plans/{plan_id}/asks/draft", response_model=list[AskRead], status_code=201)
def from_plan(caller: CallerDep, plan_id: PlanId, body: FromPlan) -> list[AskRead]:
    """Draft one ask per force-generation ask stored with the plan (planners; audited); drafted twice is 409."""
    return caller.write(lambda db: actions.asks_from_plan(plan_id, db=db, on_date=body.on_date, marking=body.marking,
                                                          answer_by=body.answer_by))


class Sending(BaseModel):
    """An ask sent on a date, citing the letter's source if given."""

    on_date: Day
    source: Key | None = None


@router.post("/asks/{ask_id}/send", response_model=AskRead)
def send(caller: CallerDep, ask_id: AskId, body: Sending) -> AskRead:
    """Record that the ask was sent (planners of the drafting nation; audited)."""
    return caller.write(lambda db: actions.send_ask(ask_id, db=db, on_date=body.on_date, source=body.source))


class Answer(BaseModel):
    """A nation's answer: in full, in part (units accepted), or declined, with its conditions; stored as a source."""

    answer: Literal["full", "part", "declined"]
    on_date: Day
    accepted: Annotated[int | None, Field(ge=0, le=1000)] = None
    conditions: Text = ""
    publisher: Annotated[str | None, Field(max_length=200)] = None
    title: Annotated[str | None, Field(max_length=400)] = None
    locator: Annotated[str | None, Field(max_length=600)] = None
    reliability: Literal["A", "B", "C", "D", "E", "F"] = "B"


@router.post("/asks/{ask_id}/answer", response_model=AskRead)
def answer(caller: CallerDep, ask_id: AskId, body: Answer) -> AskRead:
    """Record the nation's answer (planners of the drafting or the asked nation; audited)."""
    return caller.write(lambda db: actions.answer_ask(
        ask_id, db=db, answer=body.answer, on_date=body.on_date, accepted=body.accepted, conditions=body.conditions,
        publisher=body.publisher, title=body.title, locator=body.locator, reliability=body.reliability))


class ToPledge(BaseModel):
    """Turning an accepted answer into a pledge: add to `pledge`, or a new pledge (`key` optional)."""

    on_date: Day
    pledge: Key | None = None
    key: Key | None = None


@router.post("/asks/{ask_id}/pledge", response_model=AskRead)
def to_pledge(caller: CallerDep, ask_id: AskId, body: ToPledge) -> AskRead:
    """Turn the accepted answer into a pledge citing it (planners of either nation; audited)."""
    return caller.write(lambda db: actions.ask_to_pledge(ask_id, db=db, on_date=body.on_date, pledge=body.pledge,
                                                         key=body.key))

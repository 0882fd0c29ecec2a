"""The asks page (docs/adr/0046): the asks to nations the viewer sees in a scenario, by nation asked (paged in the
database, filtered by state) and the open ones by gap, each with its dated steps, its answer and the pledge made from
it; and the forms of its next step (send; answer in full, in part or declined; turn into a pledge), each offered only
to the planners of the nations the action accepts (domains/requests/actions.py, docs/adr/0041). The plan page's
"Draft asks to nations from this plan" posts here too.

A refused form comes back as the page with the problems by field at the ask, nothing written; a done one goes back to
the page anchored at the ask."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from reassure.core.errors import Forbidden, InputError, Problem, ReassureError
from reassure.domains.pledges.service import list_pledges
from reassure.domains.requests.actions import answer_ask, ask_to_pledge, asks_from_plan, send_ask
from reassure.domains.requests.models import ANSWERS, STATES
from reassure.domains.requests.service import open_asks, page_asks
from reassure.domains.scenarios.service import list_scenarios
from reassure.services.caller import Caller
from reassure.web.pages.common import Id, caller_of, check_csrf, render, scenario_page

router = APIRouter(include_in_schema=False)
PAGE = 50  # asks per page


def _page(request: Request, caller: Caller, name: str, state: str, offset: int, *, status_code: int = 200,
          problems: list[Problem] | None = None, failed: str = "") -> HTMLResponse:
    chosen = state if state in STATES else None
    today = date.today()

    def read(db: Session) -> tuple[Any, ...]:
        asks, total = page_asks(db=db, scenario=name, state=chosen, open_only=state == "open", limit=PAGE,
                                offset=offset)
        return (asks, total, open_asks(db=db, scenario=name, today=today), list_pledges(db=db, scenario=name),
                list_scenarios(db=db))

    asks, total, still_open, pledges, scenarios = caller.read(read)
    return render(request, "asks.html", status_code=status_code, scenario=name, asks=asks, total=total,
                  offset=offset, limit=PAGE, state=state, states=["open", *STATES], open=still_open,
                  pledges=pledges, scenarios=scenarios, answers=ANSWERS, today=today, problems=problems or [],
                  failed=failed)


@router.get("/asks", response_class=HTMLResponse)
def asks(request: Request, scenario: Annotated[str | None, Query(max_length=120)] = None,
         state: Annotated[str, Query(max_length=12)] = "",
         offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0) -> HTMLResponse:
    """The asks to nations of a scenario, by nation (a page of them, filtered by state) and the open ones by gap."""
    return scenario_page(request, scenario, lambda caller, name: _page(request, caller, name, state, offset))


def _day(text: str, field: str = "on_date") -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise InputError([Problem("", "", field, f"expected a day (YYYY-MM-DD), got {text[:20]!r}")]) from None


def _units(text: str) -> int | None:
    if not text.strip():
        return None
    if not text.strip().isdigit():
        raise InputError([Problem("", "", "accepted", f"expected a whole number of units, got {text[:20]!r}")])
    return int(text.strip())


def _done(request: Request, ask: str, scenario: str, state: str, offset: int,
          work: Callable[[Session], object]) -> Response:
    """Run the action; on success go back to the page at the ask, else show the page with the problems there."""
    caller = caller_of(request)
    try:
        caller.write(work)
    except InputError as error:
        problems = error.problems
        return scenario_page(request, scenario or None, lambda c, name: _page(
            request, c, name, state, offset, status_code=422, problems=problems, failed=ask))
    except ReassureError as error:
        if isinstance(error, Forbidden) or error.http_status in (401, 403, 404):
            raise
        message, code = error.message, error.http_status
        return scenario_page(request, scenario or None, lambda c, name: _page(
            request, c, name, state, offset, status_code=code, problems=[Problem("", "", "", message)], failed=ask))
    query = urlencode({k: v for k, v in (("scenario", scenario), ("state", state), ("offset", offset)) if v})
    return RedirectResponse(f"/asks?{query}#{ask}", status_code=303)


Scenario = Annotated[str, Form(max_length=120)]
State = Annotated[str, Form(max_length=12)]
Offset = Annotated[int, Form(ge=0, le=1_000_000)]
Csrf = Annotated[str, Form(max_length=100)]


@router.post("/asks/{ask}/send", response_model=None)
def send(request: Request, ask: Id, on_date: Annotated[str, Form(max_length=20)] = "",
         source: Annotated[str, Form(max_length=200)] = "", scenario: Scenario = "", state: State = "",
         offset: Offset = 0, csrf: Csrf = "") -> Response:
    """Record that a drafted ask was sent (`reassure asks send`): the drafting nation's planners."""
    check_csrf(request, csrf)
    return _done(request, ask, scenario, state, offset, lambda db: send_ask(
        ask, db=db, on_date=_day(on_date), source=source.strip() or None))


@router.post("/asks/{ask}/answer", response_model=None)
def answer(request: Request, ask: Id, answer: Annotated[str, Form(max_length=12)] = "",
           accepted: Annotated[str, Form(max_length=10)] = "", conditions: Annotated[str, Form(max_length=2000)] = "",
           on_date: Annotated[str, Form(max_length=20)] = "", publisher: Annotated[str, Form(max_length=200)] = "",
           locator: Annotated[str, Form(max_length=600)] = "", reliability: Annotated[str, Form(max_length=2)] = "B",
           scenario: Scenario = "", state: State = "", offset: Offset = 0, csrf: Csrf = "") -> Response:
    """Record the nation's answer (`reassure asks answer`): the drafting or the asked nation's planners."""
    check_csrf(request, csrf)
    return _done(request, ask, scenario, state, offset, lambda db: answer_ask(
        ask, db=db, answer=answer, on_date=_day(on_date), accepted=None if answer == "full" else _units(accepted),
        conditions=conditions, publisher=publisher.strip() or None, locator=locator.strip() or None,
        reliability=reliability))


@router.post("/asks/{ask}/pledge", response_model=None)
def pledge(request: Request, ask: Id, pledge: Annotated[str, Form(max_length=200)] = "",
           key: Annotated[str, Form(max_length=200)] = "", on_date: Annotated[str, Form(max_length=20)] = "",
           scenario: Scenario = "", state: State = "", offset: Offset = 0, csrf: Csrf = "") -> Response:
    """Turn the accepted answer into a pledge (`reassure asks to-pledge`): a new one, or units added to one."""
    check_csrf(request, csrf)
    return _done(request, ask, scenario, state, offset, lambda db: ask_to_pledge(
        ask, db=db, on_date=_day(on_date), pledge=pledge.strip() or None, key=key.strip() or None))


@router.post("/plan/{plan_id}/draft-asks", response_model=None)
def draft(request: Request, plan_id: Id, scenario: Scenario = "", csrf: Csrf = "") -> Response:
    """Draft one ask to a nation per force-generation ask of the plan (`reassure asks from-plan`): planners."""
    check_csrf(request, csrf)
    return _done(request, "asks", scenario, "drafted", 0,
                 lambda db: asks_from_plan(plan_id, db=db, on_date=date.today()))

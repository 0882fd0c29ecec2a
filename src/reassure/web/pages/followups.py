"""The follow-ups page: your nation's follow-up tasks (close yours, or as a planner assign and close any) beside what
lapses, must be renewed or is stale in the scenario (docs/adr/0043)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from reassure.core.errors import Conflict, InputError, Problem
from reassure.domains.followups.actions import assign_followup, close_followup
from reassure.domains.followups.service import list_followups
from reassure.services.caller import Caller
from reassure.services.renewals import renewals
from reassure.web.pages.common import caller_of, check_csrf, render, scenario_page

router = APIRouter(include_in_schema=False)


def _page(request: Request, caller: Caller, name: str, *, status_code: int = 200,
          problems: list[Problem] | None = None) -> HTMLResponse:
    settings = caller.settings
    today = date.today()
    found = caller.read(lambda db: (list_followups(db=db, today=today),
                                    renewals(db=db, scenario=name, today=today,
                                             window_days=settings.expiry_window_days,
                                             stale_days=settings.stale_record_days)))
    return render(request, "followups.html", status_code=status_code, scenario=name, followups=found[0],
                  renewals=found[1], problems=problems or [])


@router.get("/followups", response_class=HTMLResponse)
def followups(request: Request, scenario: str | None = None) -> HTMLResponse:
    """Your nation's follow-ups, soonest due first, and the scenario's expiring and stale records."""
    return scenario_page(request, scenario, lambda caller, name: _page(request, caller, name))


def _after(request: Request, caller: Caller, work: object, scenario: str) -> Response:
    try:
        caller.write(work)  # type: ignore[arg-type]
    except (InputError, Conflict) as error:
        problems = error.problems if isinstance(error, InputError) else [Problem("", "", "", error.message)]
        return scenario_page(request, scenario or None,
                             lambda c, name: _page(request, c, name, status_code=422, problems=problems))
    return RedirectResponse("/followups", status_code=303)


@router.post("/followups/close", response_model=None)
def close(request: Request, followup: Annotated[str, Form(min_length=1, max_length=40)],
          state: Annotated[str, Form(max_length=10)] = "done", note: Annotated[str, Form(max_length=2000)] = "",
          scenario: Annotated[str, Form(max_length=80)] = "",
          csrf: Annotated[str, Form(max_length=100)] = "") -> Response:
    """Close a follow-up as done or dropped (`reassure followups done`): its owner, or a planner."""
    check_csrf(request, csrf)
    caller = caller_of(request)
    return _after(request, caller, lambda db: close_followup(followup, db=db, state=state, note=note), scenario)


@router.post("/followups/assign", response_model=None)
def assign(request: Request, followup: Annotated[str, Form(min_length=1, max_length=40)],
           owner: Annotated[str, Form(min_length=1, max_length=64)],
           scenario: Annotated[str, Form(max_length=80)] = "",
           csrf: Annotated[str, Form(max_length=100)] = "") -> Response:
    """Give a follow-up to another user of the nation (`reassure followups assign`): planners and admins."""
    check_csrf(request, csrf)
    caller = caller_of(request)
    return _after(request, caller, lambda db: assign_followup(followup, owner, db=db), scenario)

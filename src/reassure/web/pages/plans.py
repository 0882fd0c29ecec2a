"""The plan page (a stored plan's picture and charts beside its base, the newest jobs) and its forms: solve, the same
plan without the US backstop, the plan counting only verified pledges, and the asks that would reach a coverage
target. Each form queues a job."""

from __future__ import annotations

import json
from typing import Annotated, Literal

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from reassure.charts import vega as charts
from reassure.domains.jobs.service import list_jobs
from reassure.domains.plans.service import default_plan, get_stored, list_plans, plan_picture
from reassure.domains.requests.service import page_asks
from reassure.jobs.worker import queue_of
from reassure.planner.analysis.whatif import FlagChange, VerifiedOnly
from reassure.services.caller import Caller
from reassure.services.job_requests import AsksJob, SolveJob, WhatIfJob
from reassure.services.phases import picture_with_rule_states
from reassure.web.pages.common import (
    Id,
    browser_of,
    caller_of,
    check_csrf,
    choose_scenario,
    may_start,
    render,
    scenario_of,
)

router = APIRouter(include_in_schema=False)


@router.get("/plan", response_class=HTMLResponse)
def plan(request: Request, plan_id: Annotated[str | None, Query(alias="id")] = None,
         scenario: str | None = None) -> HTMLResponse:
    caller = caller_of(request)
    picture = caller.read(lambda db: plan_picture(plan_id, db=db)) if plan_id is not None else None
    name = picture.plan.scenario if picture is not None else scenario_of(caller, scenario)
    if name is None:
        return choose_scenario(request, caller)
    if picture is None:  # the newest plan of the scenario that the reader's nation made: never another's
        chosen = caller.read(lambda db: default_plan(name, db=db))
        picture = caller.read(lambda db: plan_picture(chosen, db=db)) if chosen is not None else None
    plans = caller.read(lambda db: list_plans(db=db))
    base = None
    if picture is not None and picture.plan.base is not None:
        base_id = picture.plan.base
        base = caller.read(lambda db: plan_picture(base_id, db=db, samples=0))
    specs = {}
    if picture is not None and picture.phases:  # the entry rules' states beside the phases (docs/adr/0044)
        shown = picture
        picture = caller.read(lambda db: picture_with_rule_states(shown, db=db))
    if picture is not None:
        specs = {"gantt": charts.gantt(picture.tours, phases=picture.phases),
                 "heatmap": charts.coverage_heatmap(picture.coverage),
                 "burden": charts.burden(picture.burden)}
    jobs = caller.read(lambda db: list_jobs(db=db, limit=10))
    shown_id = picture.plan.id if picture is not None else None
    drafted = caller.read(lambda db: page_asks(db=db, plan=shown_id, limit=1)[1]) if shown_id is not None else 0
    return render(request, "plan.html", scenario=name, plans=plans, picture=picture, base=base,
                  specs={k: json.dumps(v) for k, v in specs.items()}, jobs=jobs, drafted_asks=drafted,
                  may_ask=picture is not None and _may_ask(request, caller, picture.plan.id))


def _may_ask(request: Request, caller: Caller, plan_id: str) -> bool:
    """Tell whether the reader may start an asks job on the plan: a planner of the plan's own nation (job_kinds)."""
    if not may_start(browser_of(request), "asks"):
        return False
    nation = caller.identity.nation
    return caller.read(lambda db: get_stored(plan_id, db=db).author_nation == nation)


@router.post("/plan/solve")
def plan_solve(request: Request, scenario: Annotated[str, Form(max_length=80)],
               time_limit: Annotated[float, Form(ge=0.5, le=600)] = 10.0,
               csrf: Annotated[str, Form(max_length=100)] = "") -> RedirectResponse:
    browser = check_csrf(request, csrf)
    job = queue_of(request).submit(browser.identity, SolveJob(scenario=scenario, time_limit=time_limit))
    return RedirectResponse(f"/jobs/{job.id}", status_code=303)


@router.post("/plan/{plan_id}/without-us-backstop")
def plan_without_backstop(request: Request, plan_id: Id, time_limit: Annotated[float, Form(ge=0.5, le=600)] = 10.0,
                          csrf: Annotated[str, Form(max_length=100)] = "") -> RedirectResponse:
    browser = check_csrf(request, csrf)
    change = FlagChange(flag="us_backstop", value=False)
    job = queue_of(request).submit(browser.identity, WhatIfJob(plan_id=plan_id, changes=[change],
                                                               time_limit=time_limit))
    return RedirectResponse(f"/jobs/{job.id}", status_code=303)


@router.post("/plan/{plan_id}/verified-only")
def plan_verified_only(request: Request, plan_id: Id, time_limit: Annotated[float, Form(ge=0.5, le=600)] = 10.0,
                       csrf: Annotated[str, Form(max_length=100)] = "") -> RedirectResponse:
    """Queue the re-plan counting only verified pledges (docs/adr/0042, 0047): a what-if job, stored linked to its
    base, which the brief reads."""
    browser = check_csrf(request, csrf)
    job = queue_of(request).submit(browser.identity, WhatIfJob(plan_id=plan_id, changes=[VerifiedOnly(period=0)],
                                                               time_limit=time_limit))
    return RedirectResponse(f"/jobs/{job.id}", status_code=303)


@router.post("/plan/{plan_id}/asks")
def plan_asks(request: Request, plan_id: Id, target: Annotated[float, Form(gt=0, le=100)] = 95.0,
              fair_shares: Annotated[Literal["strict", "prefer", "ignore"], Form()] = "strict",
              time_limit: Annotated[float, Form(ge=0.5, le=600)] = 10.0,
              csrf: Annotated[str, Form(max_length=100)] = "") -> RedirectResponse:
    browser = check_csrf(request, csrf)
    job = queue_of(request).submit(browser.identity, AsksJob(plan_id=plan_id, target=target / 100,
                                                             fair_shares=fair_shares, time_limit=time_limit))
    return RedirectResponse(f"/jobs/{job.id}", status_code=303)

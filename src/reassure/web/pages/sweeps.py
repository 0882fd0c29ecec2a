"""Scenario sweeps on the dashboard: the sweeps released to the viewer and the sweep jobs under way (their status
polled by htmx, as on a job's page), one sweep's runs side by side, and a form that starts one (docs/sweeps.md)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from sqlalchemy.orm import Session

from reassure.domains.jobs.schemas import JobRead
from reassure.domains.jobs.service import list_jobs
from reassure.domains.sweeps.schemas import SweepRead
from reassure.domains.sweeps.service import get_sweep, list_sweeps
from reassure.jobs.worker import queue_of
from reassure.services.job_requests import SweepJob
from reassure.services.sweep_files import read_sweep
from reassure.web.pages.common import Id, caller_of, check_csrf, render

router = APIRouter(include_in_schema=False)
EXAMPLE = """name: withdrawals
scenario: SCENARIO
seconds: 10
variants:
  withdrawals: each
  flags: {us_backstop: false}
"""


@router.get("/sweeps", response_class=HTMLResponse)
def sweeps_page(request: Request) -> HTMLResponse:
    def gather(db: Session) -> tuple[list[SweepRead], list[JobRead]]:
        jobs = list_jobs(db=db, limit=100)
        return list_sweeps(db=db), [j for j in jobs if j.kind == "sweep" and j.state in ("queued", "running")]

    found, running = caller_of(request).read(gather)
    return render(request, "sweeps.html", sweeps=found, running=running, example=EXAMPLE)


@router.get("/sweeps/{sweep_id}", response_class=HTMLResponse)
def sweep_page(request: Request, sweep_id: Id) -> HTMLResponse:
    detail = caller_of(request).read(lambda db: get_sweep(sweep_id, db=db))
    return render(request, "sweep.html", sweep=detail)


@router.post("/sweeps")
def sweep_start(request: Request, spec: Annotated[str, Form(max_length=64 * 1024)] = "",
                csrf: Annotated[str, Form(max_length=100)] = "") -> RedirectResponse:
    """Start a sweep as a job (planners: it reads as them) and open its page, which follows its progress."""
    browser = check_csrf(request, csrf)
    parsed = read_sweep(spec, "sweep file")  # a bad file: the error page lists each problem by line and field
    job = SweepJob(spec=parsed.model_dump(mode="json", by_alias=True, exclude_none=True))
    return RedirectResponse(f"/jobs/{queue_of(request).submit(browser.identity, job).id}", status_code=303)

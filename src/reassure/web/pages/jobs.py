"""A job's page (its status, polled by htmx as a partial), its cancel form and the download of the file it produced;
the dashboard's brief form, which starts a brief job (docs/adr/0040)."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError

from reassure.brief.files import attachment
from reassure.core.errors import InputError
from reassure.domains.jobs.actions import cancel_job
from reassure.domains.jobs.service import get_job, job_document
from reassure.jobs.worker import queue_of
from reassure.services.job_requests import BriefJob
from reassure.web.pages.common import Id, caller_of, check_csrf, render

router = APIRouter(include_in_schema=False)


@router.get("/jobs/{job_id}", response_class=HTMLResponse)
def job_page(request: Request, job_id: Id) -> HTMLResponse:
    job = caller_of(request).read(lambda db: get_job(job_id, db=db))
    partial = request.headers.get("HX-Request") == "true"
    return render(request, "job_status.html" if partial else "job.html", job=job)


@router.post("/jobs/{job_id}/cancel")
def job_cancel(request: Request, job_id: Id, csrf: Annotated[str, Form(max_length=100)] = "") -> RedirectResponse:
    check_csrf(request, csrf)
    caller_of(request).write(lambda db: cancel_job(job_id, db=db))
    return RedirectResponse(f"/jobs/{job_id}", status_code=303)


@router.get("/jobs/{job_id}/file")
def job_file(request: Request, job_id: Id) -> Response:
    """The file a job produced (a brief's PDF), to whoever may read the job; 404 as for an absent job otherwise."""
    name, content = caller_of(request).read(lambda db: job_document(job_id, db=db))
    return Response(content, media_type="application/pdf", headers={"Content-Disposition": attachment(name)})


@router.post("/brief")
def brief_start(request: Request, scenario: Annotated[str | None, Form(max_length=80)] = None,
                format: Annotated[Literal["staff", "minister"], Form()] = "staff",
                map_period: Annotated[str, Form(max_length=40)] = "",
                csrf: Annotated[str, Form(max_length=100)] = "") -> RedirectResponse:
    """Start the brief as a job (any signed-in user: it reads as them) and open its page."""
    browser = check_csrf(request, csrf)
    try:
        job = BriefJob(scenario=scenario or None, format=format, map_period=map_period.strip() or None)
    except ValidationError as error:
        raise InputError("; ".join(e["msg"].removeprefix("Value error, ") for e in error.errors())) from None
    return RedirectResponse(f"/jobs/{queue_of(request).submit(browser.identity, job).id}", status_code=303)

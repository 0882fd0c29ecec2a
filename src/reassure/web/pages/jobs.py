"""A job's page (its status, polled by htmx as a partial) and its cancel form."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from reassure.domains.jobs.actions import cancel_job
from reassure.domains.jobs.service import get_job
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

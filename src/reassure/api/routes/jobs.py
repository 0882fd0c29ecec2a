"""Background jobs: start a solve, a what-if, a robustness run, a rule evaluation or a brief; watch its state,
progress and best-so-far coverage and bound; cancel it; download the file it produced (a brief's PDF)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Request
from fastapi.responses import Response

from reassure.api.deps import CallerDep
from reassure.api.pages import Limit, Offset, Page, page
from reassure.brief.files import attachment
from reassure.domains.jobs.actions import cancel_job
from reassure.domains.jobs.schemas import JobRead
from reassure.domains.jobs.service import get_job, job_document, page_jobs
from reassure.jobs.worker import queue_of
from reassure.services.job_kinds import JobRequest

router = APIRouter(tags=["jobs"])
# A public id (`job_…`); any other text, an old number included, answers 404 like an unknown id (no 422 on shape).
JobId = Annotated[str, Path(description="a job's public id, e.g. job_k3x9q2m4v7c1w8ze")]


@router.post("/jobs", response_model=JobRead, status_code=202)
def submit(caller: CallerDep, request: Request, job: JobRequest) -> JobRead:
    """Queue a job (planners for solves, what-ifs, robustness and asks; analysts for rule evaluations; anyone for a
    brief, read as you: its PDF is then at GET /jobs/{job_id}/file)."""
    return queue_of(request).submit(caller.identity, job)


@router.get("/jobs", response_model=Page[JobRead])
def jobs(caller: CallerDep, limit: Limit = 50, offset: Offset = 0) -> Page[JobRead]:
    """Jobs released to you, newest first."""
    return page(*caller.read(lambda db: page_jobs(db=db, limit=limit, offset=offset)), limit, offset)


@router.get("/jobs/{job_id}", response_model=JobRead)
def job(caller: CallerDep, job_id: JobId) -> JobRead:
    """A job's state, progress, best-so-far coverage and bound, message and result (the stored plan's public id)."""
    return caller.read(lambda db: get_job(job_id, db=db))


@router.get("/jobs/{job_id}/file", response_class=Response, responses={200: {
    "description": "the file the job produced (a brief job: its tagged PDF), named after the day it was prepared",
    "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}}}})
def job_file(caller: CallerDep, job_id: JobId) -> Response:
    """Download the file a job produced (a brief's PDF), if you may read the job; 404 as for an absent job when it
    is not released to you or has no file (yet)."""
    name, content = caller.read(lambda db: job_document(job_id, db=db))
    return Response(content, media_type="application/pdf", headers={"Content-Disposition": attachment(name)})


@router.delete("/jobs/{job_id}", response_model=JobRead)
def cancel(caller: CallerDep, job_id: JobId) -> JobRead:
    """Cancel a job (its owner or an admin): at once if queued, within a second or two if running."""
    return caller.write(lambda db: cancel_job(job_id, db=db))

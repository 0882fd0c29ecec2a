"""Background jobs: start a solve, a what-if, a robustness run or a rule evaluation; watch its state, progress and
best-so-far coverage and bound; cancel it."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Request

from reassure.api.deps import CallerDep
from reassure.api.pages import Limit, Offset, Page, page
from reassure.domains.jobs.actions import cancel_job
from reassure.domains.jobs.schemas import JobRead
from reassure.domains.jobs.service import get_job, page_jobs
from reassure.jobs.worker import queue_of
from reassure.services.job_kinds import JobRequest

router = APIRouter(tags=["jobs"])
# A public id (`job_…`); any other text, an old number included, answers 404 like an unknown id (no 422 on shape).
JobId = Annotated[str, Path(description="a job's public id, e.g. job_k3x9q2m4v7c1w8ze")]


@router.post("/jobs", response_model=JobRead, status_code=202)
def submit(caller: CallerDep, request: Request, job: JobRequest) -> JobRead:
    """Queue a job (planners for solves, what-ifs and robustness; analysts for rule evaluations)."""
    return queue_of(request).submit(caller.identity, job)


@router.get("/jobs", response_model=Page[JobRead])
def jobs(caller: CallerDep, limit: Limit = 50, offset: Offset = 0) -> Page[JobRead]:
    """Jobs released to you, newest first."""
    return page(*caller.read(lambda db: page_jobs(db=db, limit=limit, offset=offset)), limit, offset)


@router.get("/jobs/{job_id}", response_model=JobRead)
def job(caller: CallerDep, job_id: JobId) -> JobRead:
    """A job's state, progress, best-so-far coverage and bound, message and result (the stored plan's public id)."""
    return caller.read(lambda db: get_job(job_id, db=db))


@router.delete("/jobs/{job_id}", response_model=JobRead)
def cancel(caller: CallerDep, job_id: JobId) -> JobRead:
    """Cancel a job (its owner or an admin): at once if queued, within a second or two if running."""
    return caller.write(lambda db: cancel_job(job_id, db=db))

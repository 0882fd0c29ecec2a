"""Read jobs (only those released to the viewer)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from reassure.core.errors import NotFound
from reassure.db.access import system
from reassure.domains.jobs.models import Job
from reassure.domains.jobs.schemas import JobRead


def read(job: Job) -> JobRead:
    """Return a job's read model."""
    return JobRead(id=job.id, kind=job.kind, params=dict(job.params), state=job.state,  # type: ignore[arg-type]
                   progress=job.progress, coverage=job.coverage, bound=job.bound, message=job.message,
                   result=dict(job.result), plan_id=job.plan_id, cancel_requested=job.cancel_requested,
                   owner=job.owner, created_at=job.created_at, started_at=job.started_at,
                   finished_at=job.finished_at, marking=str(job.releasability))


def find_job(job_id: int, *, db: Session) -> Job:
    """Return a visible job, or NotFound (hidden and absent alike)."""
    job = db.scalar(select(Job).where(Job.id == job_id)) if 0 < job_id < 2**31 else None
    if job is None:
        raise NotFound(f"no job {job_id}")
    return job


def get_job(job_id: int, *, db: Session) -> JobRead:
    """Return one visible job."""
    return read(find_job(job_id, db=db))


def list_jobs(*, db: Session, state: str | None = None, limit: int = 100) -> list[JobRead]:
    """Return visible jobs, newest first."""
    query = select(Job).order_by(Job.id.desc()).limit(max(1, min(limit, 10_000)))
    if state:
        query = query.where(Job.state == state)
    return [read(j) for j in db.scalars(query)]


def nations_with_running_jobs(*, db: Session) -> list[str]:
    """Return the nations whose users have jobs in the running state (a worker's start-up check, no identity)."""
    query = select(Job.owner_nation).where(Job.state == "running").distinct().execution_options(**system("lost-jobs"))
    return sorted(db.scalars(query))

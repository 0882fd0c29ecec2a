"""Read jobs (only those released to the viewer)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from reassure.core.errors import NotFound
from reassure.core.public_ids import is_public_id, shown_id
from reassure.db.access import system
from reassure.db.paging import paged
from reassure.db.types import aware
from reassure.domains.jobs.models import Job
from reassure.domains.jobs.schemas import JobRead
from reassure.domains.plans.service import public_ids_of

STALE_AFTER = timedelta(seconds=60)  # a running job with no lease (run before migration 0025), no heartbeat this long


def read(job: Job, plans: dict[int, str] | None = None) -> JobRead:
    """Return a job's read model; `plans` maps the stored plans' keys to their public ids (looked up when absent)."""
    if plans is None:
        plans = public_ids_of([job.plan_id], db=_session(job))
    return JobRead(id=job.public_id, kind=job.kind, params=dict(job.params), state=job.state,  # type: ignore[arg-type]
                   progress=job.progress, coverage=job.coverage, bound=job.bound, message=job.message,
                   result=dict(job.result), plan_id=plans.get(job.plan_id) if job.plan_id is not None else None,
                   cancel_requested=job.cancel_requested, owner=job.owner, created_at=job.created_at,
                   started_at=job.started_at, finished_at=job.finished_at, marking=str(job.releasability))


def _session(job: Job) -> Session:
    found = Session.object_session(job)
    assert found is not None, "a job is read inside its unit of work"
    return found


def find_job(job_id: object, *, db: Session) -> Job:
    """Return a visible job by its public id, or NotFound: hidden, absent, an old number and any other text alike."""
    job = db.scalar(select(Job).where(Job.public_id == job_id)) if is_public_id(job_id, "job") else None
    if job is None:
        raise NotFound(f"no job {shown_id(job_id)}")
    return job


def get_job(job_id: object, *, db: Session) -> JobRead:
    """Return one visible job."""
    return read(find_job(job_id, db=db))


def job_document(job_id: object, *, db: Session) -> tuple[str, bytes]:
    """Return the file a visible job produced, as (file name, content); NotFound when the job is hidden or absent,
    or has produced no file (not yet, or never: its kind makes none)."""
    job = find_job(job_id, db=db)
    name = job.result.get("file") if isinstance(job.result, dict) else None
    if job.state != "done" or job.document is None or not isinstance(name, str):
        raise NotFound(f"job {job.public_id} has no file to download")
    return name, job.document


def job_by_key(key: int, *, db: Session) -> str | None:
    """Return the public id of a visible job by its internal key: only for the worker, reading a queue message
    written before migration 0008 (which named jobs by number); nothing a user sends reaches it."""
    return db.scalar(select(Job.public_id).where(Job.id == key)) if isinstance(key, int) and 0 < key < 2**31 else None


def _query(state: str | None) -> Select[Job]:
    query = select(Job).order_by(Job.id.desc())
    return query.where(Job.state == state) if state else query


def _reads(jobs: list[Job], *, db: Session) -> list[JobRead]:
    plans = public_ids_of([j.plan_id for j in jobs], db=db)
    return [read(j, plans) for j in jobs]


def list_jobs(*, db: Session, state: str | None = None, limit: int = 100) -> list[JobRead]:
    """Return visible jobs, newest first (by creation: the internal key, which nobody sees)."""
    return _reads(list(db.scalars(_query(state).limit(max(1, min(limit, 10_000))))), db=db)


def page_jobs(*, db: Session, state: str | None = None, limit: int = 50,
              offset: int = 0) -> tuple[list[JobRead], int]:
    """Return one page of visible jobs, newest first, and how many there are."""
    jobs, total = paged(db, _query(state), limit=limit, offset=offset)
    return _reads(jobs, db=db), total


def nations_with_running_jobs(*, db: Session) -> list[str]:
    """Return the nations whose users have jobs in the running state (a worker's start-up check, no identity)."""
    query = select(Job.owner_nation).where(Job.state == "running").distinct().execution_options(**system("lost-jobs"))
    return sorted(db.scalars(query))


def worker_lost(job: Job, moment: datetime, gone: Callable[[str], bool] | None = None) -> bool:
    """Tell whether a running job's worker is lost: its lease ran out (or, for a job run before migration 0025, its
    heartbeat is stale), or `gone(worker)` says its process has ended (docs/adr/0051)."""
    if gone is not None and job.worker and gone(job.worker):
        return True
    if job.lease_until is not None:
        return aware(job.lease_until) < moment
    return job.heartbeat_at is None or aware(job.heartbeat_at) < moment - STALE_AFTER


def any_lost_job(*, db: Session, gone: Callable[[str], bool] | None = None, now: datetime | None = None) -> bool:
    """Tell whether any running job the reader sees has lost its worker: a plain read, so a reaper's round that finds
    every worker alive takes no write lock (the failing itself locks and checks again: jobs.actions.fail_lost_jobs)."""
    moment = now or datetime.now(UTC)
    return any(worker_lost(job, moment, gone) for job in db.scalars(select(Job).where(Job.state == "running")))

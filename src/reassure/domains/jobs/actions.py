"""Job lifecycle actions: create (with the role and marking rule its kind's entry in services/job_kinds.py gives),
cancel (the owner or an admin of the owner's nation), and the worker's bookkeeping (start, progress, finish), each
transition audited; progress ticks are not (they are the job's own state, written at most twice a second).

Jobs are rows with a kind string: this package knows no kind, and of the other domains only plans (the stored plan
a job produced, `Job.plan_id`)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from reassure.core.errors import Conflict, InputError, NotFound
from reassure.core.identity import Role
from reassure.core.markings import Releasability, most_restrictive
from reassure.core.public_ids import shown_id
from reassure.db.access import identity_of
from reassure.db.locks import hold_writes, lock_for_update
from reassure.domains.audit.actions import record
from reassure.domains.jobs.models import FINAL_STATES, Job
from reassure.domains.jobs.schemas import JobRead
from reassure.domains.jobs.service import find_job, read, worker_lost
from reassure.domains.plans.service import get_stored

LEASE = timedelta(seconds=30)  # how long a worker vouches for a running job at each beat (setting job_lease_seconds)


def create_job(kind: str, params: dict[str, Any], *, role: Role, marking: Callable[[Session], str],
               db: Session) -> JobRead:
    """Queue a job of a kind for the session's user: `role` may start it, and it is marked like the result it will
    produce, `marking(db)` (its kind's marking rule, services/job_kinds.py, which may refuse the job)."""
    identity = identity_of(db)
    identity.require(role, f"start a {kind} job")
    rel_to = marking(db)
    if not identity.may_mark(Releasability.from_column(rel_to)):
        raise InputError("the job's result would not be released to you")
    job = Job(kind=kind, params=params, state="queued", progress=0.0,
              owner=identity.user, owner_nation=identity.nation, rel_to=rel_to, message="queued", result={})
    db.add(job)
    db.flush()
    record(db, action="job.submit", entity="Job", key=job.public_id, rel_to=rel_to, after=job.params)
    return read(job)


def cancel_job(job_id: object, *, db: Session) -> JobRead:
    """Ask a job to stop: a queued one is cancelled at once, a running one at its next check (within a second or
    two); its owner or an admin of the owner's nation may. A user of another nation, admins included, is answered as
    for an absent job: they may read it (it is released to them), but it is not theirs to act on."""
    identity = identity_of(db)
    identity.require_writable("cancel a job")
    job = find_job(job_id, db=db)
    if job.owner != identity.user and job.owner_nation != identity.nation:
        raise NotFound(f"no job {shown_id(job_id)}")  # worded as find_job words an absent one
    lock_for_update(db, job)  # a worker starting it at the same moment waits, then sees it cancelled
    if job.owner != identity.user:
        identity.require(Role.ADMIN, "cancel another user's job")
    if job.state in FINAL_STATES:
        raise Conflict(f"job {job.public_id} has already ended ({job.state})")
    before = job.state
    job.cancel_requested = True
    if job.state == "queued":
        job.state, job.message, job.finished_at = "cancelled", "cancelled before it started", _now()
    db.flush()
    record(db, action="job.cancel", entity="Job", key=job.public_id, rel_to=job.rel_to, before={"state": before},
           after={"state": job.state, "cancel_requested": True})
    return read(job)


def start_job(job_id: str, worker: str, *, db: Session, lease: timedelta = LEASE) -> Job | None:
    """Mark a queued job running (the worker's side) under a lease its heartbeat renews; None if it was cancelled or
    taken meanwhile."""
    job = find_job(job_id, db=db)
    lock_for_update(db, job)  # checked and marked under the job's lock: a cancel at the same moment waits
    if job.state != "queued" or job.cancel_requested:
        return None
    job.state, job.worker, job.message = "running", worker[:80], "running"
    job.started_at = job.heartbeat_at = _now()
    job.lease_until = job.started_at + lease
    db.flush()
    record(db, action="job.start", entity="Job", key=job.public_id, rel_to=job.rel_to, after={"worker": job.worker})
    return job


def narrow_job(job_id: str, rel_to: str, *, db: Session) -> JobRead:
    """Narrow a job's marking to the most restrictive of its own and the data its run read (the data may have been
    narrowed, or grown a restricted record, since the job was queued); never widens it."""
    job = find_job(job_id, db=db)
    narrowed = most_restrictive(job.releasability, Releasability.from_column(rel_to)).to_column()
    if narrowed != job.rel_to:
        before = job.rel_to
        job.rel_to = narrowed
        db.flush()
        record(db, action="job.narrow", entity="Job", key=job.public_id, rel_to=narrowed, before={"marking": before},
               after={"marking": narrowed})
    return read(job)


def job_progress(job_id: str, *, db: Session, progress: float, coverage: float | None = None,
                 bound: float | None = None, message: str | None = None, lease: timedelta = LEASE) -> bool:
    """Write a running job's progress and heartbeat, renewing its lease; return whether it has been asked to
    cancel."""
    job = find_job(job_id, db=db)
    job.progress = max(0.0, min(1.0, progress))
    if coverage is not None:
        job.coverage = coverage
    if bound is not None:
        job.bound = bound
    if message is not None:
        job.message = message[:500]
    job.heartbeat_at = _now()
    job.lease_until = job.heartbeat_at + lease
    return job.cancel_requested


def finish_job(job_id: str, state: str, *, db: Session, message: str, result: dict[str, Any] | None = None,
               plan_id: str | None = None, document: bytes | None = None) -> JobRead:
    """End a job (done, failed or cancelled) with a message, its result, the public id of the plan it stored and
    the file it produced (a brief's PDF, named by the result's `file`)."""
    if state not in FINAL_STATES:
        raise InputError(f"a job ends done, failed or cancelled, not {state!r}")
    job = find_job(job_id, db=db)
    before = job.state
    job.state, job.message, job.finished_at = state, message[:2000], _now()
    job.result, job.plan_id = result or {}, get_stored(plan_id, db=db).id if plan_id is not None else None
    if document is not None:
        job.document = document
    if state == "done":
        job.progress = 1.0
        for figure in ("coverage", "bound"):  # the final figures, whatever the last progress beat said
            if isinstance(job.result.get(figure), (int, float)):
                setattr(job, figure, float(job.result[figure]))
    db.flush()
    record(db, action=f"job.{state}", entity="Job", key=job.public_id, rel_to=job.rel_to, before={"state": before},
           after={"state": state, "plan": plan_id, "message": job.message})
    return read(job)


def fail_lost_jobs(*, db: Session, now: datetime | None = None, gone: Callable[[str], bool] | None = None,
                   describe: Callable[[str], str] | None = None) -> list[str]:
    """Fail the running jobs whose worker is lost (docs/adr/0051), so no job shows as running forever; return their
    ids. A worker is lost when the job's lease has run out (its heartbeat stopped: the worker was killed, or its
    machine went away), or when `gone(worker)` says so (a worker process of this machine that no longer exists).
    `describe(kind)` names the work for the message, e.g. "solving". Any live worker may call this: jobs whose
    worker still renews its lease are left alone, and two callers at once fail each job once (its row is locked)."""
    moment = now or _now()
    hold_writes(db)
    query = select(Job).where(Job.state == "running").order_by(Job.id).with_for_update()
    lost = [j for j in db.scalars(query) if worker_lost(j, moment, gone)]
    for job in lost:
        doing = describe(job.kind) if describe is not None else "running the job"
        job.state, job.finished_at = "failed", moment
        job.message = (f"the worker stopped while {doing} (server restart, crash or lost machine); nothing of this "
                       "run was stored: run it again")
        record(db, action="job.failed", entity="Job", key=job.public_id, rel_to=job.rel_to,
               before={"state": "running", "worker": job.worker}, after={"state": "failed", "reason": "worker lost"})
    db.flush()
    return [j.public_id for j in lost]


def _now() -> datetime:
    return datetime.now(UTC)

"""Run one job: as its owner (their roles and nation now: a disabled owner's job fails), with a heartbeat thread
that writes progress twice a second and turns a cancel request into the solver's cancel token.

Bookkeeping (start, progress, finish) is written by the worker itself, `reassure-worker` reading as the owner's
nation; the work (reads, the stored plan, the evaluations) is done and audited as the owner.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import timedelta

from reassure.core.errors import ReassureError
from reassure.core.identity import Identity
from reassure.domains.jobs import actions
from reassure.domains.jobs.service import job_by_key
from reassure.jobs.brief import run_brief
from reassure.jobs.sweep import run_sweep_job
from reassure.planner.solver.runtime import Cancelled, CancelToken
from reassure.services.caller import Caller, user_caller
from reassure.services.job_kinds import kind_of
from reassure.services.runs import RunResult
from reassure.settings import Settings

log = logging.getLogger("reassure.jobs")
# The kinds whose run function needs the caller whole, above the services (services/job_kinds.py gives them
# run=None): the brief renders a file; a sweep reads the settings' Dask scheduler.
RENDERED: dict[str, Callable[..., RunResult]] = {"brief": run_brief, "sweep": run_sweep_job}
WORKER_USER = "reassure-worker"
BEAT = 0.5  # seconds between progress writes and cancel checks


def worker_identity(nation: str) -> Identity:
    """Return the worker's identity for a job's bookkeeping (no role: it only updates the job it runs)."""
    return Identity(user=WORKER_USER, nation=nation, roles=frozenset())


class _Beat:
    """The latest progress, written by a heartbeat thread; a cancel request read back sets the token."""

    def __init__(self, settings: Settings, job_id: str, nation: str, token: CancelToken) -> None:
        self.job_id, self.token = job_id, token
        self.lease = timedelta(seconds=settings.job_lease_seconds)
        self.worker = Caller(worker_identity(nation), settings)
        self.latest: tuple[float, float | None, float | None, str] = (0.0, None, None, "running")
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, name=f"reassure-job-{job_id}", daemon=True)

    def update(self, share: float, coverage: float | None, bound: float | None, message: str) -> None:
        self.latest = (share, coverage, bound, message)

    def _write(self) -> None:
        share, coverage, bound, message = self.latest
        if self.worker.write(lambda db: actions.job_progress(self.job_id, db=db, progress=share, coverage=coverage,
                                                             bound=bound, message=message, lease=self.lease),
                             retry=False):
            self.token.cancel()

    def _run(self) -> None:
        while not self.stop.wait(BEAT):
            try:
                self._write()
            except ReassureError as error:  # a locked database: the next beat tries again
                log.warning("job %s: progress not written: %s", self.job_id, error)

    def __enter__(self) -> _Beat:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        self.thread.join(timeout=10)


def run_job(settings: Settings, queued: str | int, owner: str, nation: str, worker: str) -> str:
    """Run a queued job (by its public id) to its end and return the state it ended in."""
    book = Caller(worker_identity(nation), settings).write

    if isinstance(queued, str):
        job_id = queued
    else:  # a queue message written before migration 0008 names the internal key
        found = book(lambda db: job_by_key(queued, db=db))
        if found is None:
            return "lost"
        job_id = found
    lease = timedelta(seconds=settings.job_lease_seconds)
    job = book(lambda db: actions.start_job(job_id, worker, db=db, lease=lease))
    if job is None:
        return "cancelled"
    token = CancelToken()
    try:
        caller = user_caller(settings, owner)
        kind = kind_of(job.kind)
        request = kind.request.model_validate(dict(job.params))
        with _Beat(settings, job_id, nation, token) as beat:
            def narrow(rel_to: str) -> None:
                book(lambda db: actions.narrow_job(job_id, rel_to, db=db))

            if kind.run is None:  # a kind whose file is rendered above the services
                result = RENDERED[job.kind](request, caller=caller, on_progress=beat.update, cancel=token,
                                            on_marking=narrow)
            else:
                result = kind.run(request, read=caller.read, write=caller.write, on_progress=beat.update,
                                  cancel=token, on_marking=narrow)
    except Cancelled:
        book(lambda db: actions.finish_job(job_id, "cancelled", db=db, message="cancelled while it ran"))
        return "cancelled"
    except ReassureError as error:
        why = error.message
        book(lambda db: actions.finish_job(job_id, "failed", db=db, message=why))
        return "failed"
    except Exception as error:  # a bug: the job says so, the log has the traceback
        log.exception("job %s failed", job_id)
        bug = f"unexpected error ({error.__class__.__name__}); see the server log"
        book(lambda db: actions.finish_job(job_id, "failed", db=db, message=bug))
        return "failed"
    book(lambda db: actions.finish_job(job_id, "done", db=db, message="done", result=result.summary,
                                       plan_id=result.plan_id, document=result.document))
    return "done"

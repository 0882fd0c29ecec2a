"""The job worker: huey consumer threads in the serving process (or their own), registered for one database."""

from __future__ import annotations

import logging
import os
import socket
import threading
from dataclasses import dataclass, field

from huey import Huey
from huey.api import TaskWrapper
from huey.consumer import Consumer
from starlette.requests import HTTPConnection

from reassure.core.errors import ReassureError
from reassure.core.identity import Identity
from reassure.db.uow import lookup_session, unit_of_work
from reassure.domains.jobs.actions import fail_lost_jobs
from reassure.domains.jobs.schemas import JobRead
from reassure.domains.jobs.service import any_lost_job, nations_with_running_jobs
from reassure.jobs.alerts import PERIODIC_TASK, due, evaluate_and_notify
from reassure.jobs.queue import TASK, make_huey
from reassure.jobs.runner import run_job, worker_identity
from reassure.services.job_kinds import kind_of, submit_job
from reassure.services.job_requests import JobParams
from reassure.settings import Settings

log = logging.getLogger("reassure.jobs")


class _EmbeddedConsumer(Consumer):
    """A consumer that may start from any thread: the server, not huey, owns the signal handlers."""

    def _set_signal_handlers(self) -> None:
        return


@dataclass
class JobQueue:
    """Submit jobs to a database's queue, and run its worker."""

    settings: Settings
    huey: Huey
    task: TaskWrapper
    consumer: Consumer | None = None
    reaper: threading.Thread | None = None
    stopping: threading.Event = field(default_factory=threading.Event)

    def submit(self, identity: Identity, request: JobParams) -> JobRead:
        """Record the job (an audited action) and queue it; the worker runs it as `identity`'s user."""
        with unit_of_work(self.settings, identity=identity) as db:
            job = submit_job(request, db=db)
        self.task(job.id, identity.user, identity.nation)
        # Logged under the request that queued it (its request id: http/request_log.py); the job's own lines name it.
        log.info("job %s queued: %s for %s (%s)", job.id, job.kind, identity.user, identity.nation)
        return job

    def start_worker(self, workers: int = 1) -> None:
        """Fail the jobs a lost worker left running, then start consumer threads in this process, and a reaper thread
        that goes on failing the jobs of workers lost later (here or on another machine), every third of a lease."""
        recover(self.settings)
        self.stopping.clear()
        self.reaper = threading.Thread(target=self._reap, name="reassure-job-reaper", daemon=True)
        self.reaper.start()
        periodic = self.settings.alerts_every_minutes > 0  # the scheduled rule evaluations (jobs/alerts.py)
        self.consumer = _EmbeddedConsumer(self.huey, workers=workers, worker_type="thread", periodic=periodic,
                                          initial_delay=0.1, max_delay=0.5, check_worker_health=False)
        self.consumer.start()

    def stop_worker(self) -> None:
        """Stop the consumer threads (a running job finishes its current step first)."""
        self.stopping.set()
        if self.reaper is not None:
            self.reaper.join(timeout=10)
            self.reaper = None
        if self.consumer is not None:
            self.consumer.stop(graceful=False)
            self.consumer = None

    def _reap(self) -> None:
        every = min(max(self.settings.job_lease_seconds / 3, 0.3), 10.0)
        while not self.stopping.wait(every):
            try:
                if failed := recover(self.settings):
                    log.warning("failed %d job(s) whose worker was lost: %s", len(failed), ", ".join(failed))
            except ReassureError as error:  # a locked or unreachable database: the next round tries again
                log.warning("lost jobs not checked: %s", error)


def job_queue(settings: Settings) -> JobQueue:
    """Return the queue of the settings' database with the job task registered."""
    huey = make_huey(settings)
    name = f"{socket.gethostname()}:{os.getpid()}"

    def run(job_id: str | int, owner: str, nation: str) -> str:
        return run_job(settings, job_id, owner, nation, name)

    task = huey.task(name=TASK)(run)

    def alerts() -> None:
        evaluate_and_notify(settings)

    if settings.alerts_every_minutes > 0:
        huey.periodic_task(due(settings.alerts_every_minutes), name=PERIODIC_TASK)(alerts)
    return JobQueue(settings, huey, task)


def queue_of(request: HTTPConnection) -> JobQueue:
    """Return a web app's job queue (made on first use, on the app's database; the API and the pages share it)."""
    queue = getattr(request.app.state, "queue", None)
    if queue is None:
        queue = request.app.state.queue = job_queue(request.app.state.settings)
    assert isinstance(queue, JobQueue)
    return queue


def recover(settings: Settings) -> list[str]:
    """Fail the jobs left running by a lost worker (docs/adr/0051): a lease run out, or a worker process of this
    machine that no longer exists (a restart finds its own crashed jobs at once); return their ids. Jobs of live
    workers, in this process, another process or another machine, are left alone.

    Each nation's jobs are failed by the worker reading as that nation, so no filter is bypassed."""
    with lookup_session(settings) as db:
        nations = nations_with_running_jobs(db=db)
    failed: list[str] = []
    for nation in nations:
        with unit_of_work(settings, identity=worker_identity(nation)) as db:  # a read first: most rounds end here
            if not any_lost_job(db=db, gone=worker_gone):
                continue
        with unit_of_work(settings, identity=worker_identity(nation)) as db:
            failed += fail_lost_jobs(db=db, gone=worker_gone, describe=doing)
    return failed


def worker_gone(worker: str) -> bool:
    """Tell whether a worker named `host:pid` (as job_queue names them) was a process of this machine that has ended;
    a worker of another machine, or of a process still alive, is not known to be gone (its lease will tell)."""
    host, _, pid = worker.rpartition(":")
    if host != socket.gethostname() or not pid.isdigit() or int(pid) == os.getpid():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except (PermissionError, OverflowError):
        return False
    return False


def doing(kind: str) -> str:
    """Say what a job of a kind was doing, for the message of a job its worker lost: "solving", "running the
    what-if"."""
    try:
        label = kind_of(kind).label
    except ReassureError:
        label = "job"
    return "solving" if kind == "solve" else f"running the {label}"

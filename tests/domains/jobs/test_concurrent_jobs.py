"""A job is cancelled or started, not both (issue 21, item 8: job states are check-then-write rules). A cancel and a
worker's start arriving together each read "queued"; without a lock both wrote, leaving a job "running" that was also
marked cancelled and finished. Each runs in its own unit of work, as the API request and the worker do."""

from __future__ import annotations

import threading

from sqlalchemy import text

from reassure.core.identity import Role
from reassure.db.uow import engine_for, unit_of_work
from reassure.domains.jobs.actions import cancel_job, start_job
from reassure.jobs.runner import worker_identity
from reassure.services.job_kinds import submit_job
from reassure.services.job_requests import RulesJob
from reassure.settings import Settings
from tests.conftest import who

ROUNDS = 12


def test_a_job_is_either_cancelled_or_started_never_both(settings: Settings) -> None:
    owner = who("FRA", Role.ANALYST, user="fra-analyst")
    outcomes = []
    for _ in range(ROUNDS):
        with unit_of_work(settings, identity=owner) as db:
            job_id = submit_job(RulesJob(), db=db).id
        start = threading.Barrier(2)
        started: list[bool] = []

        def cancel(job: str = job_id, start: threading.Barrier = start) -> None:
            start.wait()
            with unit_of_work(settings, identity=owner) as db:
                cancel_job(job, db=db)

        def run(job: str = job_id, start: threading.Barrier = start, started: list[bool] = started) -> None:
            start.wait()
            with unit_of_work(settings, identity=worker_identity("FRA")) as db:
                started.append(start_job(job, "worker-1", db=db) is not None)

        threads = [threading.Thread(target=cancel), threading.Thread(target=run)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=60)
        with engine_for(settings).connect() as connection:
            state, finished = connection.execute(text("SELECT state, finished_at FROM jobs WHERE public_id = :id"),
                                                 {"id": job_id}).one()
            actions = list(connection.scalars(text("SELECT action FROM audit_log WHERE entity = 'Job' AND "
                                                   "entity_key = :key ORDER BY id"), {"key": job_id}))
        outcomes.append((state, started == [True], actions))
        assert (state, finished is not None) in {("cancelled", True), ("running", False)}, outcomes[-1]
        assert started == [state == "running"], outcomes[-1]  # the worker runs it only if it was not cancelled
        assert actions in (["job.submit", "job.cancel"], ["job.submit", "job.start", "job.cancel"]), outcomes[-1]

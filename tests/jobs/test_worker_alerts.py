"""The job worker's periodic task evaluates the rules on a schedule (every `alerts_every_minutes`, a setting) and
sends the state changes it finds."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from reassure.jobs.alerts import PERIODIC_TASK, due
from reassure.jobs.worker import job_queue
from reassure.settings import Settings
from tests.jobs.receivers import webhook_receiver
from tests.jobs.test_alerts import MASS, QUIET, _channels, _ingest


def test_the_schedule_follows_the_setting() -> None:
    every_15 = due(15)
    assert [every_15(datetime(2026, 12, 7, 10, m)) for m in (0, 7, 15, 30, 44, 45)] == [
        True, False, True, True, False, True]
    assert due(60)(datetime(2026, 12, 7, 3, 0)) and not due(60)(datetime(2026, 12, 7, 3, 30))
    assert not due(0)(datetime(2026, 12, 7, 0, 0))


def test_the_worker_runs_the_periodic_evaluation_and_sends_changes(db_url: str, tmp_path: Path) -> None:
    settings = Settings(database_url=db_url, alerts_every_minutes=5, alerts_backoff_seconds=0.01)
    queue = job_queue(settings)
    [task] = queue.huey.read_periodic(datetime(2026, 12, 7, 10, 5))  # what the consumer's scheduler enqueues
    assert task.name == PERIODIC_TASK and queue.huey.read_periodic(datetime(2026, 12, 7, 10, 6)) == []
    off = job_queue(settings.model_copy(update={"alerts_every_minutes": 0}))
    assert off.huey.read_periodic(datetime(2026, 12, 7, 10, 0)) == []
    with webhook_receiver() as receiver:
        _channels(settings, {"FRA": receiver})
        _ingest(settings, tmp_path, QUIET, "FRA", "PUBLIC")
        queue.huey.execute(task)
        assert not receiver.received
        _ingest(settings, tmp_path, MASS, "FRA", "PUBLIC")
        queue.huey.execute(task)
        sent = len(receiver.received)
        queue.huey.execute(task)
    assert sent >= 1 and len(receiver.received) == sent

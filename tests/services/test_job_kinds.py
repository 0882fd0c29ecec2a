"""The table of job kinds (issue 24, item 3): a kind added as one entry and its run function is submitted, queued and
run by the real worker path (huey's task, in immediate mode) with its role, marking, result and audit; a kind the
table does not have is refused; a solve builds its problem once (at run, from the data then), not also at submit."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any, Literal

import pytest
from sqlalchemy import text

import reassure.domains.planning.problem as problem_module
from reassure.core.errors import Forbidden, InputError, NotFound
from reassure.core.identity import Role
from reassure.core.markings import Releasability
from reassure.db.access import identity_of
from reassure.db.uow import engine_for, unit_of_work
from reassure.domains.jobs.service import get_job
from reassure.domains.scenarios.importing import import_document
from reassure.jobs.runner import run_job
from reassure.jobs.worker import job_queue
from reassure.scenario_io.load import load_document
from reassure.services.job_kinds import KINDS, JobKind, submit_job
from reassure.services.job_requests import JobParams, SolveJob
from reassure.services.runs import OnMarking, OnProgress, RunResult, Work
from reassure.settings import Settings
from tests.conftest import stored_user, who
from tests.scenario_io.samples import VALID, write


class EchoJob(JobParams):
    """A test-only kind: echo a text back as the job's result."""

    kind: Literal["echo"] = "echo"
    text: str


def _echo_marking(request: EchoJob, db: Any) -> str:
    return Releasability.public().to_column()  # the echo rests on no record when queued


def _run_echo(request: EchoJob, *, read: Work, write: Work, on_progress: OnProgress, cancel: Any,
              on_marking: OnMarking) -> RunResult:
    owner = read(lambda db: identity_of(db).user)  # the run reads as the job's owner
    on_marking(Releasability.to("FRA").to_column())  # what it read at run time is France's only
    on_progress(0.5, None, None, "echoing")
    return RunResult({"echo": request.text, "read_as": owner})


@pytest.fixture
def echo_kind(monkeypatch: pytest.MonkeyPatch) -> Iterator[JobKind]:
    """Register the echo kind in the table for one test; the table is restored afterwards."""
    kind = JobKind(request=EchoJob, role=Role.ANALYST, marking=_echo_marking, run=_run_echo, label="echo")
    monkeypatch.setitem(KINDS, "echo", kind)
    yield kind
    monkeypatch.undo()
    assert "echo" not in KINDS


def _audit(settings: Settings, job_id: str) -> list[tuple[str, str]]:
    with engine_for(settings).connect() as connection:
        return [(a, b) for a, b in connection.execute(
            text("SELECT action, actor FROM audit_log WHERE entity = 'Job' AND entity_key = :key ORDER BY id"),
            {"key": job_id})]


def test_a_kind_added_to_the_table_runs_end_to_end_through_the_worker(settings: Settings, db_url: str,
                                                                       echo_kind: JobKind) -> None:
    owner = stored_user(db_url, "FRA", Role.ANALYST, name="fra-analyst")  # the worker runs a job as its owner
    queue = job_queue(settings)
    queue.huey.immediate = True  # the queued task runs at once, in this thread, through run_job
    job = queue.submit(who("FRA", Role.ANALYST, user=owner), EchoJob(text="hello"))
    with unit_of_work(settings, identity=who("FRA")) as db:
        done = get_job(job.id, db=db)
    assert job.kind == "echo" and job.marking == "PUBLIC" and job.state == "queued"
    assert done.state == "done" and done.progress == 1.0 and done.message == "done", done
    assert done.result == {"echo": "hello", "read_as": owner}
    assert done.marking == "REL TO FRA" and done.params == {"kind": "echo", "text": "hello"}
    with unit_of_work(settings, identity=who("DEU")) as db, pytest.raises(NotFound):
        get_job(job.id, db=db)  # narrowed at run time to what it read: hidden from Germany now
    assert _audit(settings, job.id) == [("job.submit", owner), ("job.start", "reassure-worker"),
                                        ("job.narrow", "reassure-worker"), ("job.done", "reassure-worker")]


def test_a_kind_keeps_its_role_and_an_unknown_kind_is_refused(settings: Settings, echo_kind: JobKind) -> None:
    with unit_of_work(settings, identity=who("FRA", Role.PLANNER)) as db, pytest.raises(Forbidden):
        submit_job(EchoJob(text="hello"), db=db)  # the echo kind is for analysts
    KINDS.pop("echo")
    with unit_of_work(settings, identity=who("FRA", Role.ANALYST)) as db, pytest.raises(InputError, match="echo"):
        submit_job(EchoJob(text="hello"), db=db)
    assert _audit_count(settings) == 0  # nothing written for either


def _audit_count(settings: Settings) -> int:
    with engine_for(settings).connect() as connection:
        return int(connection.scalar(text("SELECT count(*) FROM audit_log WHERE action = 'job.submit'")) or 0)


def test_a_solve_job_builds_its_problem_once(settings: Settings, db_url: str, tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    built: list[str] = []
    build = problem_module._problem

    def counted(sources: Any) -> Any:
        built.append(sources.scenario.name)
        return build(sources)

    owner = stored_user(db_url, "FRA", Role.ANALYST, Role.PLANNER, name="fra-user")
    with unit_of_work(settings, identity=who("FRA")) as db:
        import_document(load_document(write(tmp_path, VALID)), db=db, origin="sample")
    monkeypatch.setattr(problem_module, "_problem", counted)
    with unit_of_work(settings, identity=who("FRA")) as db:
        job_id = submit_job(SolveJob(scenario="small", time_limit=1), db=db).id
    assert built == []  # submitting reads the marking of what the problem rests on, and builds nothing
    assert run_job(settings, job_id, owner, "FRA", "test") == "done"
    assert built == ["small"]
    with unit_of_work(settings, identity=who("FRA")) as db:
        job = get_job(job_id, db=db)
    assert job.marking == "REL TO FRA, GBR" and job.plan_id  # marked like the problem's inputs, as before

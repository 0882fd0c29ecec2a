"""The brief's run as a job (docs/adr/0040): its stages reach the job's progress in words, and a cancel stops it at
the next stage, before any file is kept (the finished job, its file and download: tests/api/routes/test_jobs.py and
tests/web/test_widths.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from reassure import migrations as migrate
from reassure.core.identity import Role
from reassure.db.uow import engine_for, unit_of_work
from reassure.domains.scenarios.importing import import_document
from reassure.jobs.brief import run_brief
from reassure.planner.solver.runtime import Cancelled, CancelToken
from reassure.scenario_io.load import load_document
from reassure.services.caller import user_caller
from reassure.services.job_requests import BriefJob
from reassure.settings import Settings
from tests.conftest import stored_user, who
from tests.scenario_io.samples import VALID, write


def test_a_brief_job_says_its_stages_and_a_cancel_stops_it_at_the_next(tmp_path: Path) -> None:
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'brief.sqlite'}")
    migrate.upgrade(engine_for(settings))
    with unit_of_work(settings, identity=who("GBR")) as db:
        import_document(load_document(write(tmp_path, VALID)), db=db, origin="scenario.yaml")
    caller = user_caller(settings, stored_user(settings.database_url, "FRA", Role.VIEWER, name="fra-viewer"))
    seen: list[tuple[float, str]] = []
    narrowed: list[str] = []
    token = CancelToken()

    def progress(share: float, _coverage: float | None, _bound: float | None, message: str) -> None:
        seen.append((share, message))
        if message == "drawing the charts and the map":
            token.cancel()  # as the job's heartbeat does when its owner cancels it

    with pytest.raises(Cancelled):
        run_brief(BriefJob(scenario="small"), caller=caller, cancel=token, on_marking=narrowed.append,
                  on_progress=progress)
    assert seen == [(0.05, "gathering the figures"), (0.4, "drawing the charts and the map")]
    assert narrowed == []  # stopped before the PDF: nothing kept, no marking taken

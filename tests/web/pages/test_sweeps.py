"""The sweeps page over HTTP (TestClient, SQLite): a planner starts a sweep from the form, sees it under way with its
status polled by htmx, then its runs side by side; a bad file writes nothing."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from reassure import migrations
from reassure.db.uow import engine_for, lookup_session, unit_of_work
from reassure.domains.jobs.models import Job
from reassure.domains.scenarios.importing import import_document
from reassure.domains.users.actions import hash_password
from reassure.domains.users.models import User
from reassure.jobs.runner import run_job
from reassure.scenario_io.load import load_document
from reassure.settings import Settings
from tests.conftest import raw_counts, who
from tests.scenario_io.samples import VALID, write
from tests.web.pages.test_admin import PASSWORD, signed_in

SPEC = "name: web sweep\nscenario: small\nseconds: 0.5\nvariants:\n  withdrawals: each\n"


@pytest.mark.slow
def test_a_sweep_started_on_the_page_is_followed_then_compared(tmp_path: Path) -> None:
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'web.sqlite'}")
    migrations.upgrade(engine_for(settings))
    with lookup_session(settings) as db:
        db.add(User(name="gbr-planner", nation="GBR", roles=["planner"], active=True,
                    password_hash=hash_password(PASSWORD)))
    with unit_of_work(settings, identity=who("FRA")) as db:
        import_document(load_document(write(tmp_path, VALID)), db=db, origin="tests")
    planner, csrf = signed_in(settings, "gbr-planner")
    page = planner.get("/sweeps").text
    assert 'id="no-sweeps"' in page and 'id="sweep-form"' in page

    bad = planner.post("/sweeps", data={"spec": SPEC.replace("seconds: 0.5", "seconds: never"), "csrf": csrf})
    assert bad.status_code == 422 and "sweep file:3" in bad.text and "seconds" in bad.text
    assert raw_counts(settings.database_url, Job) == (0,)

    started = planner.post("/sweeps", data={"spec": SPEC, "csrf": csrf})
    assert started.status_code == 303
    job_id = started.headers["location"].rsplit("/", 1)[1]
    under_way = planner.get("/sweeps").text
    assert f'hx-get="/jobs/{job_id}"' in under_way and "web sweep" in under_way  # polled like a job's page
    assert run_job(settings, job_id, "gbr-planner", "GBR", "test") == "done"  # what the worker would do

    status = planner.get(f"/jobs/{job_id}").text
    sweep_id = re.search(r'href="/sweeps/(sweep_[a-z2-7]+)"', status)
    assert sweep_id is not None and "hx-get" not in status  # finished: no more polling
    listing = planner.get("/sweeps").text
    assert sweep_id[1] in listing and "hx-get" not in listing
    runs = planner.get(f"/sweeps/{sweep_id[1]}").text
    assert "without France" in runs and "without United Kingdom" in runs and "REL TO FRA, GBR" in runs
    # Another nation's view of the same sweep (404, hidden as absent) is tested over the API: tests/api/routes.

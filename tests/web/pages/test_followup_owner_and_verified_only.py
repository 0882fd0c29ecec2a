"""The admin page's follow-up owner (docs/adr/0047) and the plan page's "What if only verified pledges count?"
button: each form only for roles whose action accepts it; the owner is one of the nation's users (another's is
refused, nothing written); the button queues a what-if job counting only verified pledges."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from reassure.db.uow import unit_of_work
from reassure.domains.jobs.models import Job
from reassure.domains.preferences.service import get_followup_owner
from reassure.settings import Settings
from tests.api.conftest import Api
from tests.conftest import who
from tests.web.pages.test_admin import accounts, new_signed_in, signed_in  # noqa: F401 - the fixture


def test_an_admin_sets_the_follow_up_owner_to_a_user_of_their_nation(accounts: Settings) -> None:  # noqa: F811
    admin, csrf = signed_in(accounts, "fra-admin")
    page = admin.get("/admin").text
    assert "FRA has no follow-up owner: new follow-ups are <em>unassigned</em>" in page
    form = page.split('id="set-followup-owner"')[1].split("</form>")[0]
    assert '<option value="fra-planner"' in form and "deu-viewer" not in form  # its own nation's users only
    refused = admin.post("/admin/followup-owner", data={"owner": "deu-viewer", "csrf": csrf})
    assert refused.status_code == 422 and "no active user &#39;deu-viewer&#39; of FRA" in refused.text
    assert admin.post("/admin/followup-owner", data={"owner": "fra-planner", "csrf": csrf}).status_code == 303
    assert "go to <strong>fra-planner</strong>, set by fra-admin" in admin.get("/admin").text
    with unit_of_work(accounts, identity=who("FRA")) as db:
        assert get_followup_owner(db=db).owner == "fra-planner"
    assert admin.post("/admin/followup-owner", data={"owner": "", "csrf": csrf}).status_code == 303
    with unit_of_work(accounts, identity=who("FRA")) as db:
        assert get_followup_owner(db=db).owner is None


def test_the_verified_only_what_if_is_offered_to_planners_and_queued_as_a_job(accounts: Settings,  # noqa: F811
                                                                             tmp_path: Path) -> None:
    api = Api(accounts.database_url)
    api.load_sample(tmp_path)
    plan = api.store_sample_plan("FRA")
    viewer, viewer_csrf = new_signed_in(accounts, "fra-viewer", "FRA", ["viewer"])
    assert 'id="plan-id"' in viewer.get(f"/plan?id={plan}").text
    assert "run-verified-only" not in viewer.get(f"/plan?id={plan}").text
    assert viewer.post(f"/plan/{plan}/verified-only", data={"csrf": viewer_csrf}).status_code == 403
    planner, csrf = signed_in(accounts, "fra-planner")
    page = planner.get(f"/plan?id={plan}").text
    assert f'action="/plan/{plan}/verified-only"' in page and "What if only verified pledges count?" in page
    queued = planner.post(f"/plan/{plan}/verified-only", data={"csrf": csrf, "time_limit": "1"})
    assert queued.status_code == 303 and queued.headers["location"].startswith("/jobs/")
    with unit_of_work(accounts, identity=who("FRA")) as db:
        jobs = [(j.kind, j.params["changes"]) for j in db.scalars(select(Job))]
    assert jobs == [("whatif", [{"kind": "verified_only", "period": 0}])]

"""The dashboard shows the reader's nation's expiring instruments and overdue follow-ups on the overview, and its
follow-ups (with forms only for whom the actions accept) on /followups; another nation sees none of them. Over HTTP
(TestClient) on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import update

from reassure.core.identity import Role
from reassure.db.uow import engine_for, unit_of_work
from reassure.domains.followups.actions import open_followup
from reassure.domains.followups.service import list_followups
from reassure.domains.preferences.actions import set_default_scenario, set_followup_owner
from reassure.domains.users.actions import hash_password
from reassure.domains.users.models import User
from reassure.jobs.alerts import evaluate_and_notify
from reassure.settings import Settings
from tests.conftest import who
from tests.services.test_renewals import TODAY, expiring  # noqa: F401 (the fixture)
from tests.web.pages.test_admin import PASSWORD, signed_in


def _section(page: str, element: str) -> str:
    return page.split(f'id="{element}"')[1].split("</table>")[0]


def test_expiring_instruments_and_follow_ups_on_the_dashboard(expiring: Settings) -> None:  # noqa: F811
    settings = expiring
    with engine_for(settings).begin() as connection:  # the users the fixture stored, given a password
        connection.execute(update(User).values(password_hash=hash_password(PASSWORD)))
    evaluate_and_notify(settings, ["FRA", "GBR"], sleep=lambda _: None)  # no scenario chosen yet: unknown
    for nation in ("FRA", "GBR"):
        with unit_of_work(settings, identity=who(nation, Role.ADMIN)) as db:
            set_default_scenario("small", db=db)
    with unit_of_work(settings, identity=who("FRA", Role.PLANNER, user="fra-planner")) as db:
        late = open_followup(db=db, title="Send the SOFA text to parliament", follows_kind="legal",
                             follows_key="small/SOFA-FRA/text", due_on=TODAY - timedelta(days=3),
                             rests_on=",FRA,GBR,")
    assert late is not None
    with unit_of_work(settings, identity=who("FRA", Role.ADMIN)) as db:  # follow-ups the hooks open go to her
        set_followup_owner("fra-planner", db=db)
    # Now the monitor's alerts run fires the bundled rule `instruments-expiring` in each nation's view (issue 26's
    # second "Done when"): France's follow-up is owned by a French user and shown to France only.
    evaluate_and_notify(settings, ["FRA", "GBR"], sleep=lambda _: None)
    with unit_of_work(settings, identity=who("FRA", user="fra-reader")) as db:
        fired = next(f for f in list_followups(db=db) if f.follows_key == "instruments-expiring")
    assert (fired.owner, fired.nation, fired.marking) == ("fra-planner", "FRA", "REL TO FRA")

    reader, _ = signed_in(settings, "fra-reader")
    overview = reader.get("/").text
    listed = _section(overview, "expiring")
    assert listed.count("SOFA-FRA") == 2 and "renewal due" in listed and "parliamentary approval" in listed
    assert "legal instrument" in listed and "SOFA-GBR" not in listed  # two years away: outside the window
    assert "Send the SOFA text to parliament" in _section(overview, "overdue-followups")
    page = reader.get("/followups").text
    rows = _section(page, "followups")
    assert fired.id in rows and "Pledges or legal instruments expiring" in rows and "fra-planner" in rows
    assert late.id in rows and "overdue" in rows and "small/SOFA-FRA/lapses" not in rows  # labels, not keys
    assert '<em class="unassigned">unassigned</em>' in rows  # no follow-up owner configured: shown, never hidden
    assert "/followups/close" not in page and "/followups/assign" not in page  # a viewer owns none: no form

    planner, csrf = signed_in(settings, "fra-planner")
    assert "/followups/assign" in planner.get("/followups").text
    closed = planner.post("/followups/close", data={"followup": late.id, "state": "done", "note": "sent",
                                                    "csrf": csrf})
    assert closed.status_code == 303
    assert "no overdue follow-ups" in _section(planner.get("/").text, "overdue-followups")

    other, _ = signed_in(settings, "gbr-reader")
    theirs = other.get("/followups").text
    assert late.id not in theirs and "Send the SOFA text" not in theirs and fired.id not in theirs
    gbr_planner, gbr_csrf = signed_in(settings, "gbr-planner")
    refused = gbr_planner.post("/followups/close", data={"followup": fired.id, "state": "done", "csrf": gbr_csrf})
    assert refused.status_code == 404  # another nation's follow-up is absent, not forbidden
    landing = other.get("/").text
    assert "Send the SOFA text" not in landing
    assert "SOFA-FRA" in _section(landing, "expiring")  # the instrument itself is released to Britain

"""Follow-up hooks (issue 26 item 7, docs/adr/0047): an ask unanswered after its answer-by date, or answered after
it, and a verification that finds a shortfall or nothing, each open one follow-up of the writer's nation, owned by
the nation's configured follow-up owner (unassigned without one), marked like what it follows; the same cause never
opens two; setting the owner is a planner's or admin's audited write, only to an active user of the nation."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select, update

from reassure.core.errors import Forbidden, InputError
from reassure.core.identity import Role
from reassure.db.uow import engine_for, unit_of_work
from reassure.domains.audit.models import AuditEntry
from reassure.domains.followups.service import list_followups
from reassure.domains.preferences.actions import clear_followup_owner, set_followup_owner
from reassure.domains.preferences.service import get_followup_owner
from reassure.domains.requests.actions import answer_ask, create_ask, follow_up_late_asks, send_ask
from reassure.domains.requests.service import get_ask
from reassure.domains.scenarios.importing import import_document
from reassure.domains.users.models import User
from reassure.domains.verifications.actions import add_verification
from reassure.scenario_io.load import load_document
from reassure.settings import Settings
from tests.conftest import stored_user, who
from tests.scenario_io.samples import VALID, write

DRAFTED, DUE = date(2026, 11, 1), date(2026, 11, 20)
CHECK = {"kind": "visit", "source": "JFC visit team", "grade": "B2"}
SHARED = VALID.replace("marking: PUBLIC", "marking: REL TO FRA, GBR", 1)


@pytest.fixture
def small(settings: Settings, tmp_path: Path) -> Settings:
    """The small scenario (REL TO FRA, GBR) imported by France; a French planner and viewer, a British planner."""
    for nation, role, name in (("FRA", Role.PLANNER, "fra-planner"), ("FRA", Role.VIEWER, "fra-reader"),
                               ("GBR", Role.PLANNER, "gbr-planner")):
        stored_user(settings.database_url, nation, role, name=name)
    with unit_of_work(settings, identity=who("FRA")) as db:
        import_document(load_document(write(tmp_path, SHARED)), db=db, origin="tests")
    return settings


def _sent_ask(settings: Settings) -> str:
    with unit_of_work(settings, identity=who("FRA")) as db:
        ask = create_ask("small", db=db, nation="GBR", capability="fighter_squadron", quantity=2,
                         available_from=date(2027, 1, 1), available_to=date(2027, 6, 30), on_date=DRAFTED,
                         tasks=["AIR-WEST"], answer_by=DUE)
        send_ask(ask.id, db=db, on_date=DRAFTED + timedelta(days=1))
    return ask.id


def _followups(settings: Settings, nation: str = "FRA") -> list[tuple[str, str, str, date, str]]:
    with unit_of_work(settings, identity=who(nation, Role.VIEWER)) as db:
        return [(f.follows_kind, f.follows_key, f.owner, f.due_on, f.marking) for f in list_followups(db=db)]


def test_an_ask_unanswered_then_answered_late_opens_one_follow_up_per_cause(small: Settings) -> None:
    ask_id = _sent_ask(small)
    with unit_of_work(small, identity=who("FRA")) as db:
        assert follow_up_late_asks(db=db, today=DUE) == []  # on the day itself: not late yet
        assert get_ask(ask_id, db=db).answer_by == DUE
    late_day = DUE + timedelta(days=3)
    with unit_of_work(small, identity=who("FRA")) as db:  # no owner configured: unassigned, never dropped
        opened = follow_up_late_asks(db=db, today=late_day)
    assert [(f.follows_key, f.owner, f.due_on) for f in opened] == [(f"{ask_id}/unanswered", "", late_day)]
    assert "no answer by 2026-11-20" in opened[0].title and opened[0].marking == "REL TO FRA"
    with unit_of_work(small, identity=who("GBR")) as db:  # Britain's sweep: not its ask, nothing opened
        assert follow_up_late_asks(db=db, today=late_day) == []

    # Britain answers late; France's sweeps (twice) open one "answered late" follow-up, owned by its configured owner.
    with unit_of_work(small, identity=who("FRA", Role.PLANNER, user="fra-planner")) as db:
        set_followup_owner("fra-planner", db=db)
    with unit_of_work(small, identity=who("GBR")) as db:
        answer_ask(ask_id, db=db, answer="part", accepted=1, on_date=late_day + timedelta(days=2))
    assert _followups(small, "GBR") == []
    for _ in range(2):
        with unit_of_work(small, identity=who("FRA")) as db:
            follow_up_late_asks(db=db, today=late_day + timedelta(days=5))
    assert [(k, key, owner) for k, key, owner, _, _ in _followups(small)] == [
        ("ask", f"{ask_id}/unanswered", ""), ("ask", f"{ask_id}/late", "fra-planner")]
    with unit_of_work(small, identity=who("FRA", Role.VIEWER)) as db:
        assert get_ask(ask_id, db=db).late


def test_a_late_answer_recorded_by_the_asking_nation_opens_its_follow_up_at_once(small: Settings) -> None:
    ask_id = _sent_ask(small)
    with unit_of_work(small, identity=who("FRA")) as db:
        answer_ask(ask_id, db=db, answer="declined", on_date=DUE + timedelta(days=1))
    [(kind, key, owner, due, marking)] = _followups(small)
    assert (kind, key, owner, due, marking) == ("ask", f"{ask_id}/late", "", DUE + timedelta(days=15),
                                                "REL TO FRA")


def test_an_answer_by_before_the_draft_is_refused(small: Settings) -> None:
    with unit_of_work(small, identity=who("FRA")) as db, pytest.raises(InputError, match="answer-by"):
        create_ask("small", db=db, nation="GBR", capability="fighter_squadron", quantity=1,
                   available_from=date(2027, 1, 1), available_to=date(2027, 6, 30), on_date=DRAFTED,
                   answer_by=DRAFTED - timedelta(days=1))


def test_a_failed_verification_opens_a_follow_up_on_the_pledge_marked_like_it(small: Settings) -> None:
    with unit_of_work(small, identity=who("FRA", Role.PLANNER, user="fra-planner")) as db:
        set_followup_owner("fra-reader", db=db)
    with unit_of_work(small, identity=who("FRA")) as db:
        add_verification("small", "FRA-FS", db=db, on_date=date(2026, 11, 2), finding="verified", **CHECK)
    assert _followups(small) == []  # verified: nothing to follow up
    with unit_of_work(small, identity=who("FRA")) as db:
        add_verification("small", "GBR-FS", db=db, on_date=date(2026, 11, 3), finding="shortfall", found=1,
                         marking="REL TO FRA", **CHECK)
        add_verification("small", "GBR-FS", db=db, on_date=date(2026, 11, 4), finding="not_verified", **CHECK)
        add_verification("small", "FRA-FS", db=db, on_date=date(2026, 11, 5), finding="not_verified", **CHECK)
    rows = _followups(small)
    # one per pledge while it is open (the second failure of GBR-FS opens none), owned by the configured owner
    assert rows == [("verification", "small/GBR-FS", "fra-reader", date(2026, 11, 17), "REL TO FRA"),
                    ("verification", "small/FRA-FS", "fra-reader", date(2026, 11, 19), "REL TO FRA")]
    with unit_of_work(small, identity=who("FRA", Role.VIEWER)) as db:
        titles = [f.title for f in list_followups(db=db)]
    assert "shortfall, 1 unit(s) found ready on 2026-11-03 (visit)" in titles[0]
    assert _followups(small, "GBR") == []  # France's tasks: Britain sees none


def test_the_owner_is_a_planners_audited_choice_of_an_active_user_of_the_nation(small: Settings) -> None:
    with unit_of_work(small, identity=who("FRA", Role.VIEWER)) as db, pytest.raises(Forbidden):
        set_followup_owner("fra-planner", db=db)
    for name in ("gbr-planner", "nobody"):  # another nation's user reads as one that does not exist
        with unit_of_work(small, identity=who("FRA", Role.PLANNER)) as db, pytest.raises(InputError, match="owner"):
            set_followup_owner(name, db=db)
    with unit_of_work(small, identity=who("FRA", Role.ADMIN, user="fra-admin")) as db:
        assert set_followup_owner("fra-planner", db=db).owner == "fra-planner"
    with unit_of_work(small, identity=who("GBR", Role.VIEWER)) as db:
        assert get_followup_owner(db=db).owner is None  # France's setting is France's
    with engine_for(small).begin() as connection:  # the owner leaves: hooks fall back to unassigned
        connection.execute(update(User).where(User.name == "fra-planner").values(active=False))
    with unit_of_work(small, identity=who("FRA", Role.VIEWER)) as db:
        assert get_followup_owner(db=db).owner is None
    with unit_of_work(small, identity=who("FRA", Role.PLANNER)) as db:
        assert clear_followup_owner(db=db).owner is None
    with engine_for(small).connect() as connection:
        done = list(connection.execute(select(AuditEntry.action, AuditEntry.outcome, AuditEntry.rel_to)
                                       .where(AuditEntry.action.like("nation.followup_owner%"))
                                       .order_by(AuditEntry.id)))
    assert [(a, o) for a, o, _ in done if o == "done"] == [("nation.followup_owner", "done"),
                                                           ("nation.followup_owner.clear", "done")]
    assert {r for _, o, r in done if o == "done"} == {",FRA,"}

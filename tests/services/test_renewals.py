"""Issue 26, "Done when" (second bullet): an instrument expiring within the window is listed, fires the `expiring`
rule in the monitor's alerts run, and the follow-up it opens is owned by a user of that nation, visible to them and to
no other nation."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest

from reassure.core.errors import NotFound
from reassure.core.identity import Role
from reassure.db.uow import unit_of_work
from reassure.domains.followups.actions import assign_followup, close_followup
from reassure.domains.followups.service import find_followup, list_followups
from reassure.domains.preferences.actions import set_default_scenario, set_followup_owner
from reassure.domains.scenarios.importing import import_document
from reassure.jobs.alerts import evaluate_and_notify
from reassure.scenario_io.load import load_document
from reassure.services.renewals import renewals
from reassure.settings import Settings
from tests.conftest import stored_user, who
from tests.scenario_io.samples import VALID, write

TODAY = date.today()
LAPSES = TODAY + timedelta(days=30)
RULE = "instruments-expiring"


def expiring_scenario(tmp: Path) -> Path:
    """The small scenario, released to France and Britain, whose French SOFA lapses in 30 days and needs a
    parliamentary approval in 40, and whose British SOFA lapses in two years (outside the window)."""
    text = VALID.replace("marking: PUBLIC", "marking: REL TO FRA, GBR", 1).replace(
        "  - {key: SOFA-FRA, nation: FRA, kind: SOFA, status: in_force, in_force_from: 2027-01-01}",
        f"  - {{key: SOFA-FRA, nation: FRA, kind: SOFA, status: in_force, in_force_from: 2026-01-01, "
        f"in_force_to: {LAPSES}, renew_by: {TODAY + timedelta(days=40)}, renewal: parliamentary approval}}\n"
        f"  - {{key: SOFA-GBR, nation: GBR, kind: SOFA, status: in_force, in_force_from: 2026-01-01, "
        f"in_force_to: {TODAY + timedelta(days=730)}}}")
    return write(tmp, text)


@pytest.fixture
def expiring(settings: Settings, tmp_path: Path) -> Settings:
    """Users of France and Britain, and the scenario imported but no default scenario chosen yet."""
    for nation in ("FRA", "GBR"):
        stored_user(settings.database_url, nation, Role.PLANNER, name=f"{nation.lower()}-planner")
        stored_user(settings.database_url, nation, Role.VIEWER, name=f"{nation.lower()}-reader")
    with unit_of_work(settings, identity=who("FRA", Role.PLANNER)) as db:
        import_document(load_document(expiring_scenario(tmp_path)), db=db, origin="tests")
    return settings


def test_an_expiring_instrument_is_listed_fires_the_rule_and_its_follow_up_is_its_nations_only(
        expiring: Settings) -> None:
    settings = expiring
    first = evaluate_and_notify(settings, ["FRA", "GBR"], sleep=lambda _: None)  # no scenario chosen: unknown
    assert first.changes == {"FRA": [], "GBR": []}
    for nation in ("FRA", "GBR"):
        with unit_of_work(settings, identity=who(nation, Role.ADMIN)) as db:
            set_default_scenario("small", db=db)
    with unit_of_work(settings, identity=who("FRA", Role.PLANNER)) as db:  # Britain configures no owner
        set_followup_owner("fra-planner", db=db)
    with unit_of_work(settings, identity=who("FRA")) as db:
        listed = renewals(db=db, today=TODAY, window_days=90, stale_days=365)
    assert [(i.key, i.what, i.on, i.days) for i in listed.expiring] == [
        ("SOFA-FRA", "lapses", LAPSES, 30), ("SOFA-FRA", "renewal", TODAY + timedelta(days=40), 40)]
    assert listed.expiring[1].renewal == "parliamentary approval" and listed.marking == "REL TO FRA, GBR"
    assert [i.key for i in listed.stale] == ["c-1"]  # its source is of 2025-09-04: older than a year

    second = evaluate_and_notify(settings, ["FRA", "GBR"], sleep=lambda _: None)
    assert second.changes["FRA"] and second.changes["GBR"]  # unknown → met in each view
    with unit_of_work(settings, identity=who("FRA", user="fra-reader")) as db:
        fra = list_followups(db=db)
    rule = next(f for f in fra if f.follows_kind == "rule")
    assert (rule.follows_key, rule.owner, rule.nation, rule.marking) == (RULE, "fra-planner", "FRA", "REL TO FRA")
    own = sorted((f.follows_key, f.due_on) for f in fra if f.follows_kind == "legal")
    assert own == [("small/SOFA-FRA/lapses", LAPSES), ("small/SOFA-FRA/renewal", TODAY + timedelta(days=40))]
    with unit_of_work(settings, identity=who("GBR", user="gbr-planner")) as db:
        gbr = list_followups(db=db)
        with pytest.raises(NotFound):
            find_followup(rule.id, db=db)
    # Britain's own view fired too: its follow-up is Britain's, unassigned (no owner configured); France's
    # instrument opens none for Britain.
    assert [(f.follows_kind, f.owner, f.nation) for f in gbr] == [("rule", "", "GBR")]
    assert not {f.id for f in gbr} & {f.id for f in fra}

    # A run while the state holds opens nothing new; the owner closes theirs, a planner reassigns one.
    evaluate_and_notify(settings, ["FRA"], sleep=lambda _: None)
    with unit_of_work(settings, identity=who("FRA", user="fra-reader")) as db:
        assert len(list_followups(db=db)) == 3
    with unit_of_work(settings, identity=who("FRA", Role.PLANNER, user="fra-planner")) as db:
        moved = assign_followup(own_id(fra, "small/SOFA-FRA/renewal"), "fra-reader", db=db)
    with unit_of_work(settings, identity=who("FRA", user="fra-reader")) as db:
        done = close_followup(moved.id, db=db, note="Approval scheduled")
    assert (moved.owner, done.state, done.note) == ("fra-reader", "done", "Approval scheduled")
    with unit_of_work(settings, identity=who("GBR", Role.PLANNER, user="gbr-planner")) as db, \
            pytest.raises(NotFound):
        assign_followup(rule.id, "gbr-planner", db=db)


def own_id(found: list, key: str) -> str:  # type: ignore[type-arg]
    """The id of the follow-up following `key`."""
    return next(f.id for f in found if f.follows_key == key)


def test_the_brief_lists_the_instrument_and_asks_to_renew_it_before_the_next_brief(expiring: Settings) -> None:
    from reassure.brief.render import render_html
    from reassure.services.briefing import brief_context
    from reassure.services.decisions import renewal_decisions

    with unit_of_work(expiring, identity=who("GBR")) as db:
        context = brief_context("small", db=db, as_of=TODAY)
    assert context.renewals is not None and [i.key for i in context.renewals.expiring] == ["SOFA-FRA", "SOFA-FRA"]
    html = render_html(context)
    assert 'id="renewals-table"' in html and "parliamentary approval" in html and "SOFA-FRA" in html
    assert not any(d.ask.startswith("Renew") for d in context.bottom.decisions)  # 30 days: after the next brief
    soon = renewal_decisions(context.renewals, within=35)
    assert [d.ask for d in soon] == [
        "Renew the legal instrument SOFA-FRA (FRA, SOFA with UKR) by parliamentary approval"]
    assert soon[0].why == f"it lapses on {LAPSES.day} {LAPSES:%b %Y}, in 30 days, before the next brief"


def test_the_expiring_rule_counts_from_today_when_the_incident_feed_is_months_old(expiring: Settings,
                                                                                 tmp_path: Path) -> None:
    """A rule over the registry's dates alone is read as of today, not as of the newest incident: with attacks only
    from January 2025 on record, France's SOFA lapsing in 30 days still meets the 90-day trigger (it read "not met" as
    of the newest attack's day before)."""
    from reassure.domains.incidents.actions import import_air_attacks
    from reassure.rules.load import load_bundled_rules
    from reassure.services.situation import rule_states
    from tests.api.conftest import attacks_csv

    feed = tmp_path / "feed.csv"
    feed.write_text(attacks_csv(1), encoding="utf-8")
    with unit_of_work(expiring, identity=who("FRA")) as db:
        import_air_attacks(feed, db=db, rel_to="PUBLIC")
    rule = next(r for r in load_bundled_rules() if r.id == RULE)
    with unit_of_work(expiring, identity=who("FRA")) as db:
        state = rule_states([rule], db=db, scenario="small")[0]
        old = rule_states([rule], db=db, scenario="small", at=date(2025, 1, 9))[0]  # a day given is kept
    assert (state.met, state.as_of) == (True, TODAY)
    assert (old.met, old.as_of) == (False, date(2025, 1, 9))

"""The demo's steps (services/demo.py): a second nation reads fewer pledges, counted through the data layer; a re-run
replaces the demo's stored plans; the second nation gets a plan of its own that it may read."""

from __future__ import annotations

from sqlalchemy import select

from reassure.db.uow import lookup_session, unit_of_work
from reassure.domains.audit.models import AuditEntry
from reassure.domains.plans.service import default_plan, list_plans
from reassure.domains.pledges.service import list_pledges
from reassure.domains.users.service import identity_for
from reassure.services import demo
from reassure.services.caller import Caller
from reassure.services.planning import solve_and_review
from reassure.settings import Settings


def _founded(settings: Settings) -> Caller:
    founder = demo.demo_user(settings, "FRA").founder
    assert founder is not None
    with unit_of_work(settings, identity=founder) as db:
        demo.load_registry(db=db, on_file=lambda _: None)
    return Caller(founder, settings)


def test_the_german_viewer_reads_fewer_pledges_and_the_demo_says_which(settings: Settings) -> None:
    admin = _founded(settings)
    difference = demo.release_difference(settings, admin.identity)
    assert difference is not None
    assert (difference.nation, difference.total, difference.seen) == ("DEU", 75, 72)
    assert difference.withheld == {"REL TO FRA, GBR": 3}
    deu_admin = demo.demo_accounts(settings, admin.identity)
    assert deu_admin is not None and deu_admin.nation == "DEU"
    with lookup_session(settings) as db:
        viewer = Caller(identity_for(db, demo.DEMO_VIEWER), settings)
    keys = {p.key for p in viewer.read(lambda db: list_pledges(db=db, scenario=demo.SCENARIO))}
    assert len(keys) == 72 and not keys & {"FRA-MECH", "FRA-MED", "GBR-ISR"}  # as the viewer reads them itself
    with unit_of_work(settings, identity=admin.identity) as db:
        previews = list(db.scalars(select(AuditEntry).where(AuditEntry.action == "preview.read")))
    assert [(e.actor, e.entity_key) for e in previews] == [("demo-admin", "DEU")]  # the count was a preview, audited
    assert demo.release_difference(settings, deu_admin) is None  # counted only against another nation


def test_a_rerun_replaces_the_demo_plans_and_germany_gets_its_own(settings: Settings) -> None:
    admin = _founded(settings)
    facts = admin.read(lambda db: demo.demo_facts(db=db))
    assert facts.marking_label == "REL TO FRA, GBR"  # the plan rests on pledges released to FRA and GBR only
    review = solve_and_review(facts.problem, marking=facts.marking_label, seconds=0.5, samples=0)
    deu_admin = demo.demo_accounts(settings, admin.identity)
    assert deu_admin is not None
    counts = []
    for run in range(2):
        assert demo.replace_demo_plans(write=admin.write) == (0 if run == 0 else 2)
        base = demo.store_demo_plans(facts.problem, facts.marking, review, 0.5, write=admin.write)
        german = demo.store_nation_plan(settings, deu_admin, 0.5)
        assert german.replaced == (0 if run == 0 else 1) and german.marking == "PUBLIC" and german.units == 106
        counts.append(len(admin.read(lambda db: list_plans(db=db))))
        assert admin.read(lambda db: default_plan(demo.SCENARIO, db=db)) == base  # the baseline, not the what-if
    assert counts == [3, 3]
    plans = {p.label: p for p in admin.read(lambda db: list_plans(db=db))}
    assert {label: p.marking for label, p in plans.items()} == {
        "demo": "REL TO FRA, GBR", "demo: no US backstop": "REL TO FRA, GBR",
        "demo: the records released to DEU": "PUBLIC"}
    germany = Caller(deu_admin, settings)
    assert [p.label for p in germany.read(lambda db: list_plans(db=db))] == ["demo: the records released to DEU"]
    assert germany.read(lambda db: default_plan(demo.SCENARIO, db=db)) == german.plan_id
    for who, deleted in ((admin.identity, 2), (deu_admin, 1)):  # each nation's demo admin deleted its own
        with unit_of_work(settings, identity=who) as db:
            rows = list(db.scalars(select(AuditEntry).where(AuditEntry.action == "plan.delete",
                                                            AuditEntry.actor == who.user)))
            assert len(rows) == deleted, who.user

"""The brief's context: the viewer's facts, force and pictures, marked as narrowly as its narrowest part."""

from __future__ import annotations

from pathlib import Path

import pytest

from reassure.core.errors import IdentityError
from reassure.db.uow import lookup_session, unit_of_work
from reassure.domains.incidents.actions import import_air_attacks
from reassure.domains.scenarios.importing import load_bundled
from reassure.services.briefing import brief_context, facts_picture
from reassure.settings import Settings
from tests.conftest import who

CSV = "time_start,time_end,model,launched,destroyed\n2025-03-01 18:00,2025-03-02 08:00,Shahed-136/131,140,120\n"


def test_a_brief_is_marked_by_its_narrowest_part(settings: Settings, tmp_path: Path) -> None:
    with unit_of_work(settings, identity=who("FRA")) as db:
        load_bundled(db=db)
    secret = tmp_path / "secret.csv"
    secret.write_text(CSV, encoding="utf-8")
    with unit_of_work(settings, identity=who("FRA")) as db:
        import_air_attacks(secret, db=db, rel_to=",FRA,")
    briefs = {}
    for nation in ("FRA", "DEU"):
        with unit_of_work(settings, identity=who(nation)) as db:
            briefs[nation] = brief_context("illustrative", db=db)
    fra, deu = briefs["FRA"], briefs["DEU"]
    assert fra.marking == "REL TO FRA" and deu.marking == "PUBLIC"
    assert fra.audience == "FRA" and fra.preview is None and fra.situation is not None and fra.situation.has_incidents
    assert deu.situation is not None and not deu.situation.has_incidents  # no data, said as no data
    assert fra.scenario.scenario.name == "illustrative" and fra.plan is None  # no stored plan: said so
    assert any("unknown, not quiet" in line for line in deu.takeaways)
    assert all(r.met is None for r in deu.rules)  # no data: the rules' states are unknown, not "not met"


def test_facts_come_verified_first_each_with_sources_and_a_grade(settings: Settings) -> None:
    with unit_of_work(settings, identity=who("GBR")) as db:
        load_bundled(db=db)
        facts = facts_picture(db=db)
    order = {"verified": 0, "unconfirmed": 1, "assumption": 2}
    assert facts.event and [order[c.standing] for c in facts.event] == sorted(order[c.standing] for c in facts.event)
    assert all(c.sources and c.grade for c in facts.event)
    assert facts.positions and all(
        [str(c.reported_on) for c in cs] == sorted((str(c.reported_on) for c in cs), reverse=True)
        for cs in facts.positions.values())


def test_no_identity_no_brief(settings: Settings) -> None:
    with lookup_session(settings) as db, pytest.raises(IdentityError):
        brief_context("illustrative", db=db)


def test_rule_states_are_compared_with_the_stored_evaluations_of_the_readers_view(settings: Settings,
                                                                                     tmp_path: Path) -> None:
    from datetime import UTC, datetime

    from sqlalchemy import text

    from reassure.brief.render import render_html
    from reassure.db.uow import engine_for
    from reassure.domains.evaluations.actions import store_evaluations
    from reassure.rules import load_bundled_rules
    from reassure.services.situation import rule_states
    from tests.jobs.test_alerts import MASS, QUIET

    with unit_of_work(settings, identity=who("FRA")) as db:
        load_bundled(db=db)

    def ingest_and_store(csv: str, stored_at: datetime) -> None:
        path = tmp_path / f"{stored_at:%Y%m%d}.csv"
        path.write_text(csv, encoding="utf-8")
        cut = datetime.now(UTC)
        with unit_of_work(settings, identity=who("FRA")) as db:
            import_air_attacks(path, db=db, rel_to=",FRA,")
            store_evaluations([s.evaluation for s in rule_states(load_bundled_rules(), db=db)], db=db)
        with engine_for(settings).begin() as connection:  # when each evaluation was stored, for the story
            connection.execute(text("UPDATE rule_evaluations SET created_at = :at WHERE created_at >= :cut"),
                               {"at": stored_at, "cut": cut})

    ingest_and_store(QUIET, datetime(2026, 10, 1, 9, tzinfo=UTC))
    with unit_of_work(settings, identity=who("FRA")) as db:
        first = {r.rule_id: r for r in brief_context("illustrative", db=db,
                                                     now=datetime(2026, 10, 2, tzinfo=UTC)).rules}
    assert first["sanctions-review-mass-attacks"].change == "not met since at least 1 Oct 2026 (first stored " \
                                                           "evaluation; unchanged)"
    ingest_and_store(MASS, datetime(2026, 10, 3, 9, tzinfo=UTC))
    briefs = {}
    for label, now in (("week", datetime(2026, 10, 5, tzinfo=UTC)), ("later", datetime(2026, 12, 7, tzinfo=UTC))):
        with unit_of_work(settings, identity=who("FRA")) as db:
            briefs[label] = brief_context("illustrative", db=db, now=now)
    week = {r.rule_id: r for r in briefs["week"].rules}["sanctions-review-mass-attacks"]
    later = {r.rule_id: r for r in briefs["later"].rules}["sanctions-review-mass-attacks"]
    assert week.change == "new this week: met since 3 Oct 2026, was not met" and week.change_status == "new"
    assert later.change == "met since 3 Oct 2026 (unchanged)" and later.change_status == "unchanged"
    assert briefs["later"].marking == "REL TO FRA"
    assert "met since 3 Oct 2026 (unchanged)" in render_html(briefs["later"])
    with unit_of_work(settings, identity=who("DEU")) as db:  # another nation's view: FRA's evaluations are not its
        deu = brief_context("illustrative", db=db, now=datetime(2026, 12, 7, tzinfo=UTC))
    assert {r.change for r in deu.rules} == {"no earlier evaluation stored"} and deu.marking == "PUBLIC"


def test_a_brief_on_a_user_ingested_report_shows_its_accounts_side_by_side(settings: Settings, tmp_path: Path) -> None:
    from datetime import date

    from reassure.core.errors import NotFound
    from reassure.domains.incidents.actions import ingest_report

    feed = tmp_path / "air.csv"
    feed.write_text(CSV + "2025-04-01 18:00,2025-04-02 08:00,Shahed-136/131,90,80\n", encoding="utf-8")
    with unit_of_work(settings, identity=who("FRA")) as db:
        load_bundled(db=db)
        import_air_attacks(feed, db=db, rel_to="PUBLIC")
    with unit_of_work(settings, identity=who("DEU")) as db:
        alone = brief_context("illustrative", db=db)
    assert [a.key for a in alone.situation.attacks] == ["mmau:2025-04-01T18:00/2025-04-02T08:00"]  # newest night
    assert "no attack has accounts from two sources" in alone.situation.attack_choice
    with unit_of_work(settings, identity=who("DEU")) as db:  # a user's report of the March night
        ingest_report("From 18:00 on 1 March 2025 Russia launched 200 Shahed drones; 120 were shot down.", db=db,
                      name="march.txt", publisher="Wire service", rel_to="PUBLIC")
    with unit_of_work(settings, identity=who("DEU")) as db:
        chosen = brief_context("illustrative", db=db)  # the newest night with two sources' accounts
        by_date = brief_context("illustrative", db=db, attack_date=date(2025, 4, 2))
        by_key = brief_context("illustrative", db=db, incident="mmau:2025-03-01T18:00/2025-03-02T08:00")
    (attack,) = chosen.situation.attacks
    assert attack.key == "mmau:2025-03-01T18:00/2025-03-02T08:00" and attack.sources == ["file-march", "mmau"]
    assert {a.source for a in attack.accounts} == {"file-march", "mmau"} and attack.standing == "conflicting"
    assert [v.shown for f in attack.figures if f.figure == "drones launched" for v in f.values] == ["140", "200"]
    assert [a.key for a in by_date.situation.attacks] == ["mmau:2025-04-01T18:00/2025-04-02T08:00"]
    assert by_key.situation.attacks[0].sources == ["file-march", "mmau"]
    assert "as asked" in by_key.situation.attack_choice
    with unit_of_work(settings, identity=who("DEU")) as db, pytest.raises(NotFound):
        brief_context("illustrative", db=db, incident="mmau:nothing")

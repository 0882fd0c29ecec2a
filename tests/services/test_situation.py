"""The security picture service: what each nation's picture rests on, its marking, and no data shown as no data."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from reassure.core.markings import PUBLIC
from reassure.db.uow import unit_of_work
from reassure.domains.incidents.actions import import_air_attacks
from reassure.rules import load_bundled_rules
from reassure.services.situation import attack_accounts, backtest_rule, rule_states, situation_picture
from reassure.settings import Settings
from tests.conftest import who

CSV = "time_start,time_end,model,launched,destroyed\n" + "\n".join(
    f"2025-{m:02d}-{d:02d} 18:00,2025-{m:02d}-{d + 1:02d} 08:00,Shahed-136/131,{100 + d},{90 + d}"
    for m in (1, 2) for d in range(1, 9)) + "\n"


def _ingest(settings: Settings, tmp_path: Path) -> None:
    public, secret = tmp_path / "public.csv", tmp_path / "secret.csv"
    public.write_text(CSV, encoding="utf-8")
    secret.write_text(CSV.replace("2025-01-", "2025-03-").replace("2025-02-", "2025-04-"), encoding="utf-8")
    with unit_of_work(settings, identity=who("DEU")) as db:
        import_air_attacks(public, db=db, rel_to=PUBLIC)
    with unit_of_work(settings, identity=who("FRA")) as db:
        import_air_attacks(secret, db=db, rel_to=",FRA,")


def test_each_nation_sees_its_own_picture_marked_by_what_it_rests_on(settings: Settings, tmp_path: Path) -> None:
    _ingest(settings, tmp_path)
    with unit_of_work(settings, identity=who("DEU")) as db:
        deu = situation_picture(db=db, last=0)
    with unit_of_work(settings, identity=who("FRA")) as db:
        fra = situation_picture(db=db, last=0)
    assert deu.marking == "PUBLIC" and fra.marking == "REL TO FRA"
    assert [r.period_start.month for r in deu.indicators] == [1, 2]
    assert [r.period_start.month for r in fra.indicators] == [1, 2, 3, 4]
    assert sum(r.launched or 0 for r in fra.indicators) == 2 * sum(r.launched or 0 for r in deu.indicators)
    assert {s.rule_id for s in deu.rules} == {r.id for r in load_bundled_rules()}
    assert all(s.bundled for s in deu.rules)
    assert max(s.as_of for s in fra.rules if s.rule_id != "instruments-expiring") > \
        max(s.as_of for s in deu.rules if s.rule_id != "instruments-expiring")  # that one: as of today (ADR 0043)


def test_no_incidents_is_no_data_not_a_quiet_period(settings: Settings) -> None:
    with unit_of_work(settings, identity=who("GBR")) as db:
        picture = situation_picture(db=db, attack_window=(date(2025, 9, 3), date(2025, 9, 5)))
        assert backtest_rule(load_bundled_rules()[0], db=db) is None
    assert not picture.has_incidents and picture.indicators == [] and picture.attacks == []


def test_attacks_in_a_window_come_with_every_account(settings: Settings, tmp_path: Path) -> None:
    _ingest(settings, tmp_path)
    with unit_of_work(settings, identity=who("DEU")) as db:
        jan = attack_accounts(db=db, start=date(2025, 1, 2), end=date(2025, 1, 4))
        hidden = attack_accounts(db=db, start=date(2025, 3, 1), end=date(2025, 3, 31))
        other_source = attack_accounts(db=db, start=date(2025, 1, 1), end=date(2025, 1, 31), source="nobody")
    assert [a.start.day for a in jan] == sorted(a.start.day for a in jan) and len(jan) >= 2
    assert all(a.accounts and a.accounts[0].source == "mmau" for a in jan)
    assert hidden == [] and other_source == []


def test_rules_are_evaluated_as_of_a_given_day(settings: Settings, tmp_path: Path) -> None:
    _ingest(settings, tmp_path)
    rules = load_bundled_rules()
    with unit_of_work(settings, identity=who("FRA")) as db:
        states = rule_states(rules, db=db, at=date(2025, 2, 1))
        timeline = backtest_rule(rules[0], db=db)
    assert {s.as_of for s in states} == {date(2025, 2, 1)} and not any(s.bundled for s in states)
    assert timeline is not None and timeline.start <= date(2025, 1, 2)


def test_a_new_ingest_is_seen_at_once_despite_the_frame_cache(settings: Settings, tmp_path: Path) -> None:
    _ingest(settings, tmp_path)
    with unit_of_work(settings, identity=who("DEU")) as db:
        before = situation_picture(db=db, last=0)
    extra = tmp_path / "more.csv"
    extra.write_text(CSV.replace("2025-01-", "2025-05-").replace("2025-02-", "2025-06-"), encoding="utf-8")
    with unit_of_work(settings, identity=who("DEU")) as db:
        import_air_attacks(extra, db=db, rel_to=PUBLIC)
    with unit_of_work(settings, identity=who("DEU")) as db:
        after = situation_picture(db=db, last=0)
    with unit_of_work(settings, identity=who("FRA")) as db:
        fra = situation_picture(db=db, last=0)
    assert [r.period_start.month for r in before.indicators] == [1, 2]
    assert [r.period_start.month for r in after.indicators if r.attacks] == [1, 2, 5, 6]
    # March and April lie between the feed's first and last day (docs/adr/0018): covered, and quiet for DEU.
    assert [r.attacks for r in after.indicators if r.period_start.month in (3, 4)] == [0, 0]
    assert [r.air_coverage for r in after.indicators] == ["full"] * 5 + ["partial"]
    assert [r.violations for r in after.indicators] == [None] * 6  # no source of violations: unknown, not 0
    assert [r.period_start.month for r in fra.indicators if r.attacks] == [1, 2, 3, 4, 5, 6]


def test_attacks_by_category_follow_releasability(settings: Settings, tmp_path: Path) -> None:
    from reassure.domains.incidents.indicators import attacks_by_category

    _ingest(settings, tmp_path)
    with unit_of_work(settings, identity=who("DEU")) as db:
        deu = attacks_by_category(db=db, every="month", last=0)
    with unit_of_work(settings, identity=who("FRA")) as db:
        fra = attacks_by_category(db=db, every="month", last=2)
    assert [r.period_start.month for r in deu] == [1, 2] and len({r.category for r in deu}) == 1
    assert [r.period_start.month for r in fra] == [3, 4]  # the last two periods only
    assert deu[0].launched == sum(100 + d for d in range(1, 9))

"""The dedup rule (pure): which stored incident a new account is about; regions and weapon categories."""

from __future__ import annotations

from datetime import datetime

import pytest

from reassure.core.regions import normalise_region
from reassure.monitoring.feeds.accounts import Account, Candidate, MatchRules, launched_by_category, match_accounts
from reassure.monitoring.feeds.weapons import builtin_catalogue
from reassure.monitoring.report import Count, WeaponCounts

TEXT = MatchRules(source_id="news", rel_to="PUBLIC", one_report_per_incident=False)
DATASET = MatchRules(source_id="mmau", rel_to="PUBLIC", one_report_per_incident=True)


def account(start: datetime, end: datetime | None = None, *, timed: bool = False, launched: int | None = None,
            qualifier: str = "exact", region: str | None = None, kind: str = "air_attack") -> Account:
    end = end or start.replace(hour=23, minute=59, second=59)
    weapons = [] if launched is None else [WeaponCounts.model_validate(
        {"category": "drone", "launched": {"value": launched, "qualifier": qualifier}})]
    return Account(kind=kind, start=start, end=end, timed=timed, external_ref="x", raw_text="t", reliability="B",
                   credibility=2, standing="unconfirmed", region=region, weapons=weapons)


def candidate(i: int, start: datetime, end: datetime, *, timed: bool = True, sources: tuple[str, ...] = ("other",),
              region: str | None = None, rel_to: str = "PUBLIC", kind: str = "air_attack") -> Candidate:
    return Candidate(id=i, kind=kind, start=start, end=end, timed=timed, region=region, rel_to=rel_to,
                     sources=frozenset(sources))


def no_figures(_: int) -> dict[str, Count]:
    return {}


def test_a_report_dated_d_matches_the_overnight_attack_ending_that_morning() -> None:
    night = candidate(1, datetime(2025, 9, 3, 19, 30), datetime(2025, 9, 4, 9, 0))
    assert match_accounts([account(datetime(2025, 9, 4))], [night], TEXT, no_figures) == [1]
    assert match_accounts([account(datetime(2025, 9, 6))], [night], TEXT, no_figures) == [None]


def test_kind_region_and_marking_must_be_compatible() -> None:
    day = datetime(2024, 5, 1)
    stored = candidate(1, day, day.replace(hour=23), timed=False, region="Kharkiv Oblast")
    assert match_accounts([account(day, region="Kharkiv Oblast")], [stored], TEXT, no_figures) == [1]
    assert match_accounts([account(day, region=None)], [stored], TEXT, no_figures) == [1]
    assert match_accounts([account(day, region="Odesa Oblast")], [stored], TEXT, no_figures) == [None]
    assert match_accounts([account(day, kind="ceasefire_violation")], [stored], TEXT, no_figures) == [None]
    hidden = candidate(2, day, day.replace(hour=23), timed=False, rel_to=",FRA,")
    assert match_accounts([account(day)], [hidden], TEXT, no_figures) == [None]


def test_agreeing_figures_beat_a_longer_overlap() -> None:
    night = candidate(1, datetime(2025, 9, 3, 19, 30), datetime(2025, 9, 4, 9, 0))
    south = candidate(2, datetime(2025, 9, 4), datetime(2025, 9, 4, 23, 59, 59), timed=False)
    figures = {1: {"drone": Count(value=112)}, 2: {"drone": Count(value=14)}}
    report = account(datetime(2025, 9, 4), launched=100, qualifier="at_least")
    assert match_accounts([report], [south, night], TEXT, figures.__getitem__) == [1]


def test_a_dataset_never_puts_two_of_its_records_on_one_incident() -> None:
    stored = candidate(1, datetime(2025, 1, 1), datetime(2025, 1, 1, 23, 59, 59), timed=False, sources=("news",))
    mine = candidate(2, datetime(2025, 1, 2), datetime(2025, 1, 2, 23, 59, 59), timed=False, sources=("mmau",))
    first = account(datetime(2025, 1, 1, 18, 0), datetime(2025, 1, 2, 8, 0), timed=True)
    second = account(datetime(2025, 1, 1), timed=False)
    # both overlap the news incident; it goes to the longer overlap, and never to two records of one dataset
    assert match_accounts([first, second], [stored, mine], DATASET, no_figures) == [None, 1]


def test_launched_sums_per_category_and_keeps_the_loosest_qualifier() -> None:
    lines = [WeaponCounts(category="drone", launched=Count(value=100, qualifier="at_least")),
             WeaponCounts(category="drone", launched=Count(value=12)),
             WeaponCounts(category="cruise_missile", launched=Count(value=3))]
    assert launched_by_category(lines) == {"drone": Count(value=112, qualifier="at_least"),
                                           "cruise_missile": Count(value=3)}


@pytest.mark.parametrize(("raw", "expected"), [
    ("Donetsk oblast", "Donetsk Oblast"), ("Kharkiv Oblast", "Kharkiv Oblast"),
    ("Zaporizhzhya oblast", "Zaporizhzhia Oblast"), ("Kiev Special Republican city", "Kyiv City"),
    ("Odessa oblast", "Odesa Oblast"), ("Dnipropetrovsk oblast, Dnipro Raion", "Dnipropetrovsk Oblast"),
    ("Ukraine", None), ("Odesa oblast and Mykolaiv oblast", None), ("south", "South"), (None, None),
])
def test_regions_get_one_spelling(raw: str | None, expected: str | None) -> None:
    assert normalise_region(raw) == expected


@pytest.mark.parametrize(("model", "category"), [
    ("Shahed-136/131", "drone"), ("Молнія", "drone"), ("X-101/X-555 and Iskander-K", "cruise_missile"),
    ("X-59/X-69", "guided_air_missile"), ("Iskander-M/KN-23", "ballistic_missile"),
    ("Iskander-M and Iskander-K", "missile"), ("C-300", "missile"), ("Shahed-136/131 and Lancet", "drone"),
    ("Aerial Bomb", "guided_bomb"), ("Foo-1", None),
])
def test_builtin_keywords_categorise_models(model: str, category: str | None) -> None:
    assert builtin_catalogue().category_of(model) == category


def test_dataset_rows_compete_on_figures_even_with_a_single_candidate() -> None:
    """A seed report (112 drones) is stored; the daytime group (10) must not take it from the overnight one (112)."""
    seed = candidate(1, datetime(2025, 9, 4), datetime(2025, 9, 4, 23, 59, 59), timed=False, sources=("seed-000",))
    figures = {1: {"drone": Count(value=112)}}
    daytime = account(datetime(2025, 9, 4), launched=10)
    overnight = account(datetime(2025, 9, 3, 19, 30), datetime(2025, 9, 4, 9, 0), timed=True, launched=112)
    assert match_accounts([daytime, overnight], [seed], DATASET, figures.__getitem__) == [None, 1]

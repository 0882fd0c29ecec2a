"""Issue 22's done-when checks on the public data (../shared/data; skipped with the reason when absent): the demo's
`few-violations` is unknown, not met; the violations column has no zeros for months no source covers; the launch
comparison is per day with the partial month named; the picture says it is stale, with the date of its data."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from reassure.core.markings import PUBLIC
from reassure.db.uow import unit_of_work
from reassure.domains.incidents.actions import import_air_attacks, import_ucdp
from reassure.domains.scenarios.importing import import_document
from reassure.scenario_io.load import load_document
from reassure.services.briefing import launches_takeaway
from reassure.services.situation import situation_picture
from reassure.settings import Settings
from tests.conftest import shared_data, who
from tests.scenario_io.samples import VALID, write

pytestmark = pytest.mark.shared_data


def _demo_incidents(settings: Settings) -> None:
    """Ingest the feeds `reassure demo` ingests from the public data."""
    attacks = shared_data("ua-air-attacks", "missile_attacks_daily.csv")
    weapons = shared_data("ua-air-attacks", "missiles_and_uavs.csv")
    ucdp = shared_data("ucdp-ged-ukraine", "ucdp_ged_ukraine_2014_2023.csv")
    with unit_of_work(settings, identity=who("FRA")) as db:
        import_air_attacks(attacks, db=db, rel_to=PUBLIC, weapons=weapons)
        import_ucdp(ucdp, db=db, rel_to=PUBLIC)


def test_demo_picture_knows_what_it_does_not_know(settings: Settings, tmp_path: Path) -> None:
    _demo_incidents(settings)
    with unit_of_work(settings, identity=who("FRA")) as db:
        bare = situation_picture(db=db, every="month", last=24, today=date(2026, 12, 7))
    exit_rule = next(s for s in bare.rules if s.rule_id == "exit-quiet-skies")  # no ceasefire date: unknown
    few = next(c for c in exit_rule.evaluation.conditions if c.key == "few-violations")
    assert few.state == "unknown" and "no ceasefire date" in (few.note or "") and exit_rule.state != "met"

    flags = "  flags: {us_backstop: true}\n"  # a scenario whose ceasefire is long before the data ends
    dated = VALID.replace(flags, flags + "  ceasefire: 2022-03-01\n")
    with unit_of_work(settings, identity=who("FRA")) as db:
        import_document(load_document(write(tmp_path, dated)), db=db, origin="scenario.yaml")
    with unit_of_work(settings, identity=who("FRA")) as db:
        picture = situation_picture(db=db, every="month", last=24, today=date(2026, 12, 7), scenario="small")

    # few-violations rests on weeks after the UCDP data ends: unknown, never met.
    exit_rule = next(s for s in picture.rules if s.rule_id == "exit-quiet-skies")
    few = next(c for c in exit_rule.evaluation.conditions if c.key == "few-violations")
    assert few.state == "unknown" and not few.met and few.value is None
    assert few.periods_uncovered == 12
    assert [c.source for c in few.coverage] == ["ucdp-ged"] and few.coverage[0].last.year == 2023
    assert "covered by no source" in (few.note or "") and "ucdp-ged" in (few.note or "")
    assert exit_rule.state != "met"

    # The violations column: no zero in a month no violation source covers.
    uncovered = [r for r in picture.indicators if r.violations_coverage == "none"]
    assert len(uncovered) >= 12
    assert all(r.violations is None for r in uncovered)
    assert all(r.violations is not None for r in picture.indicators if r.violations_coverage == "full")

    # The last month holds 6 days of data: partial, compared per day, named.
    june = picture.indicators[-1]
    assert june.period_start == date(2026, 6, 1) and june.air_coverage == "partial"
    assert (june.air_days, june.days) == (6, 30)
    launches = picture.launches
    assert launches is not None and launches.change_per_day is not None and launches.change_total is not None
    assert round(launches.change_per_day * 100) == 46 and round(launches.change_total * 100) == 9
    text = launches_takeaway(picture)
    assert text is not None and "per day" in text and "+46%" in text
    assert "June 2026 has data for 6 of 30 days" in text

    # Data six months old is stale, with the date of the newest data.
    assert picture.staleness is not None and picture.staleness.stale
    assert picture.staleness.newest == date(2026, 6, 6)
    assert "2026-06-06" in picture.staleness.describe()

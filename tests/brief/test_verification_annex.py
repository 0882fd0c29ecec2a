"""The staff brief's force annex states each pledge's verification and readiness (docs/adr/0042), as its reader sees
them, and the brief is marked as narrowly as the verifications it rests on."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from reassure.brief.render import render_html
from reassure.db.uow import unit_of_work
from reassure.domains.scenarios.importing import import_document
from reassure.domains.verifications.actions import add_verification
from reassure.scenario_io.load import load_document
from reassure.services.briefing import brief_context
from reassure.settings import Settings
from tests.conftest import who
from tests.scenario_io.samples import VALID, write


def test_the_force_annex_shows_verifications_released_to_its_reader(settings: Settings, tmp_path: Path) -> None:
    with unit_of_work(settings, identity=who("FRA")) as db:
        import_document(load_document(write(tmp_path, VALID)), db=db, origin="tests")
    with unit_of_work(settings, identity=who("GBR")) as db:
        add_verification("small", "FRA-FS", db=db, on_date=date(2026, 11, 2), kind="visit", finding="shortfall",
                         found=1, readiness="high", notice=2, source="UK liaison team", grade="B2",
                         marking="REL TO GBR")
    html = {}
    for nation in ("GBR", "FRA"):
        with unit_of_work(settings, identity=who(nation)) as db:
            brief = brief_context("small", db=db)
            html[nation] = (brief.marking, render_html(brief))
    marking, text = html["GBR"]
    assert marking == "REL TO GBR"  # narrower than any pledge: it rests on GBR's verification
    assert "Of 2 pledge(s), 1 have no verification on record" in text
    assert "verified with shortfall 2026-11-02: 1 of 2 units found (visit, B2)" in text
    assert "high readiness, 2 periods&#39; notice to move, confirmed 2026-11-02" in text
    assert "<td>1 of 2</td>" in text
    marking, text = html["FRA"]
    assert marking == "REL TO FRA, GBR" and "verified with shortfall" not in text  # France sees no verification
    assert "Of 2 pledge(s), 2 have no verification on record" in text

"""Attack (derived marking): a pledge read carries its standing, readiness and planned units from verifications that
may be marked more narrowly than the pledge, yet the read keeps the pledge's own marking. A FRA user's pledges
listing (API, page, anything that labels each row by PledgeRead.marking) then labels REL TO FRA findings PUBLIC."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from reassure.core.markings import parse_marking
from reassure.db.uow import unit_of_work
from reassure.domains.pledges.service import get_pledge
from reassure.domains.scenarios.importing import import_document
from reassure.domains.verifications.actions import add_verification
from reassure.scenario_io.load import load_document
from reassure.settings import Settings
from tests.conftest import who
from tests.scenario_io.samples import VALID, write


@pytest.fixture
def small(settings: Settings, tmp_path: Path) -> Settings:
    with unit_of_work(settings, identity=who("FRA")) as db:
        import_document(load_document(write(tmp_path, VALID)), db=db, origin="tests")
    return settings


def test_pledge_read_marked_public_carries_a_rel_fra_verification(small: Settings) -> None:
    with unit_of_work(small, identity=who("FRA")) as db:
        add_verification("small", "FRA-FS", db=db, on_date=date(2026, 12, 1), kind="visit", finding="shortfall",
                         found=1, source="FRA MOD", grade="A2", marking="REL TO FRA")
        read = get_pledge("small", "FRA-FS", db=db)
    assert read.verification.startswith("verified with shortfall")
    assert read.planned_units == 1
    # the read's marking should be no wider than what it shows
    assert parse_marking(read.marking).within(parse_marking("REL TO FRA")), read.marking

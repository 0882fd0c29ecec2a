"""Attacks found on the merged issue 26 (docs/adr/0042, addendum): verifications were kept by (scenario, pledge key),
so another nation could write its own pledge under the key of a pledge it cannot see, verify that one, and the
verification stood for the hidden pledge in its owners' view; and any nation's finding capped every nation's plans.
A verification now belongs to its pledge record and counts in its own nation's view and the pledging nation's."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from reassure.db.uow import unit_of_work
from reassure.domains.planning.problem import problem_and_marking
from reassure.domains.pledges.actions import add_pledge
from reassure.domains.pledges.service import get_pledge
from reassure.domains.scenarios.importing import import_document
from reassure.domains.verifications.actions import add_verification
from reassure.scenario_io.load import load_document
from reassure.scenario_io.schema import PledgeEntry
from reassure.settings import Settings
from tests.conftest import who
from tests.scenario_io.samples import VALID, write


@pytest.fixture
def small(settings: Settings, tmp_path: Path) -> Settings:
    with unit_of_work(settings, identity=who("FRA")) as db:
        import_document(load_document(write(tmp_path, VALID)), db=db, origin="tests")
    return settings


def test_deu_verification_of_its_own_same_key_pledge_changes_gbrs_hidden_pledge(small: Settings) -> None:
    # GBR-FS is marked REL TO GBR, FRA: DEU cannot see it.
    with unit_of_work(small, identity=who("GBR")) as db:
        before = get_pledge("small", "GBR-FS", db=db)
        units_before = [u.id for u in problem_and_marking("small", db=db)[0].units if u.pledge == "GBR-FS"]
    assert before.verification.startswith("not verified")
    assert units_before
    with unit_of_work(small, identity=who("DEU")) as db:
        # DEU writes its own PUBLIC pledge under the same key (allowed: it sees no pledge of that key)
        add_pledge("small", PledgeEntry.model_validate({
            "key": "GBR-FS", "nation": "DEU", "capability": "fighter_squadron", "quantity": 1,
            "personnel_per_unit": 10, "where": ["air"], "window": {"from": "2027-01-01", "to": "2027-12-31"},
            "rotation": {"max_tour": 4, "min_dwell": 8}, "status": "offered", "marking": "PUBLIC"}), db=db)
        add_verification("small", "GBR-FS", db=db, on_date=date(2026, 12, 1), kind="visit", finding="shortfall",
                         found=0, source="DEU team", grade="A1")
    with unit_of_work(small, identity=who("GBR")) as db:
        after = get_pledge("small", "GBR-FS", db=db)
        problem, _ = problem_and_marking("small", db=db)
    assert after.nation == "GBR"  # GBR still reads its own pledge ...
    # ... but DEU's verification of DEU's pledge now stands for it
    assert after.verification.startswith("not verified"), after.verification
    assert [u.id for u in problem.units if u.pledge == "GBR-FS"] == units_before


def test_deu_analyst_shortfall_on_a_public_french_pledge_cuts_frances_plan(small: Settings) -> None:
    """Any nation's analyst may verify a pledge it sees, but its finding counts in its own nation's view only: DEU's
    shortfall on France's public pledge does not cut France's plans."""
    with unit_of_work(small, identity=who("FRA")) as db:
        before = [u.id for u in problem_and_marking("small", db=db)[0].units if u.pledge == "FRA-FS"]
    with unit_of_work(small, identity=who("DEU")) as db:
        add_verification("small", "FRA-FS", db=db, on_date=date(2026, 12, 1), kind="visit", finding="shortfall",
                         found=0, source="DEU team", grade="A1")
    with unit_of_work(small, identity=who("FRA")) as db:
        after = [u.id for u in problem_and_marking("small", db=db)[0].units if u.pledge == "FRA-FS"]
    assert after == before

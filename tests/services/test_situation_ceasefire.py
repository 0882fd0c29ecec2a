"""The scenario's ceasefire date decides which stored UCDP events are violations in indicators and rules (both
databases); each event keeps its UCDP type and region."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from reassure.core.identity import Role
from reassure.db.uow import unit_of_work
from reassure.domains.incidents.actions import import_ucdp
from reassure.domains.incidents.indicators import indicator_table
from reassure.domains.incidents.service import incident_frame, list_incidents
from reassure.domains.preferences.actions import set_default_scenario
from reassure.domains.scenarios.importing import import_document
from reassure.monitoring.indicators.series import NO_CEASEFIRE
from reassure.rules.model import Rule
from reassure.scenario_io.load import load_document
from reassure.services.situation import ceasefire_of, rule_states
from reassure.settings import Settings
from tests.conftest import who
from tests.monitoring.feeds.test_ucdp_types import ucdp_file
from tests.scenario_io.samples import VALID, write

RULE = Rule.model_validate({
    "id": "few", "name": "few", "kind": "exit_condition", "description": "d", "action": "a",
    "conditions": [{"id": "few-violations", "indicator": "violations", "period": "month", "comparator": "<",
                    "threshold": 1, "consecutive": 1}]})


@pytest.fixture
def world(settings: Settings, tmp_path: Path) -> Settings:
    """A scenario with a ceasefire on 1 October 2025 and three UCDP events: state-based on 20 September, non-state on
    5 October, one-sided on 12 October."""
    flags = "  flags: {us_backstop: true}\n"
    dated = VALID.replace(flags, flags + "  ceasefire: 2025-10-01\n")
    with unit_of_work(settings, identity=who("GBR")) as db:
        import_document(load_document(write(tmp_path, dated)), db=db, origin="scenario.yaml")
        import_ucdp(ucdp_file(tmp_path), db=db, rel_to="PUBLIC")
    return settings


def test_events_keep_their_type_and_region(world: Settings) -> None:
    with unit_of_work(world, identity=who("DEU")) as db:
        got = {(i.key, i.kind, i.event_type, tuple(r.code for r in i.regions)) for i in list_incidents(db=db)}
        frame = incident_frame(db=db)
    assert got == {("ucdp:1001", "ceasefire_violation", "state_based", ("UA-14",)),
                   ("ucdp:1002", "ceasefire_violation", "non_state", ("UA-63",)),
                   ("ucdp:1003", "other", "one_sided", ("UA-23",))}
    assert sorted(frame["event_type"].to_list()) == ["non_state", "one_sided", "state_based"]


def test_only_events_after_the_scenarios_ceasefire_are_violations(world: Settings) -> None:
    with unit_of_work(world, identity=who("DEU")) as db:
        assert ceasefire_of(db=db, scenario="small") == date(2025, 10, 1)
        table = indicator_table(db=db, every="month", ceasefire=ceasefire_of(db=db, scenario="small"))
        (state,) = rule_states([RULE], db=db, scenario="small", at=date(2025, 10, 31))
    assert [(r.period_start, r.violations) for r in table.rows] == [(date(2025, 9, 1), None), (date(2025, 10, 1), 1)]
    condition = state.evaluation.conditions[0]
    # The September event is before the ceasefire: not counted. October is covered to the 12th only (the data's
    # last day), so its 1 is a lower bound: "< 1" is known to fail.
    assert condition.at_least == 1 and not state.met and state.state == "not_met"


def test_without_a_ceasefire_date_nothing_is_counted_and_the_rule_says_so(world: Settings) -> None:
    with unit_of_work(world, identity=who("DEU")) as db:
        assert ceasefire_of(db=db) is None  # Germany has no default scenario
        (state,) = rule_states([RULE], db=db, at=date(2025, 10, 31))
        table = indicator_table(db=db, every="month")
    assert not state.met and state.state == "unknown"  # no data is never "not met"
    assert state.evaluation.conditions[0].note == f"unknown: {NO_CEASEFIRE}"
    assert all(r.violations is None for r in table.rows) and table.violations_note == NO_CEASEFIRE


def test_the_nations_default_scenario_gives_the_ceasefire(world: Settings) -> None:
    with unit_of_work(world, identity=who("GBR", Role.ADMIN)) as db:
        set_default_scenario("small", db=db)
    with unit_of_work(world, identity=who("GBR")) as db:
        assert ceasefire_of(db=db) == date(2025, 10, 1)
    with unit_of_work(world, identity=who("DEU")) as db:
        assert ceasefire_of(db=db) is None  # another nation's default is not Germany's

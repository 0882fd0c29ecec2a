"""Attack (issue 22, scenario ceasefire date): a stored rule evaluation rests on the ceasefire date of the nation's
default scenario, but is marked only like the incidents it counts.

France keeps a scenario marked REL TO FRA, GBR whose ceasefire date is 1 October 2025 and makes it its default. Every
incident France sees is PUBLIC, so `store_evaluations` (run by a French analyst, or by the alerts run as France)
marks France's evaluation of a violations rule PUBLIC. Germany lists stored evaluations (`GET /api/v1/rules/.../
evaluations`, the web rules page, `reassure rules history`) and reads France's: its violations condition counts
from the hidden scenario's ceasefire (a value, a last period starting on the ceasefire month, a state that is not
"unknown"), and when no complete period follows the ceasefire its note even spells the date out. Germany thereby
learns that France holds a scenario with a ceasefire, and when it starts: facts of a record hidden from Germany.
A derived record must take the most restrictive marking of all its inputs, the scenario included.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from reassure.core.identity import Role
from reassure.db.uow import unit_of_work
from reassure.domains.evaluations.actions import store_evaluations
from reassure.domains.evaluations.service import list_evaluations
from reassure.domains.incidents.actions import import_ucdp
from reassure.domains.preferences.actions import set_default_scenario
from reassure.domains.scenarios.importing import import_document
from reassure.rules.model import Rule
from reassure.scenario_io.load import load_document
from reassure.services.situation import rule_states
from reassure.settings import Settings
from tests.conftest import who
from tests.monitoring.feeds.test_ucdp_types import ucdp_file
from tests.scenario_io.samples import VALID, write

RULE = Rule.model_validate({
    "id": "few", "name": "few", "kind": "exit_condition", "description": "d", "action": "a",
    "conditions": [{"id": "few-violations", "indicator": "violations", "period": "month", "comparator": "<",
                    "threshold": 1, "consecutive": 1}]})


def test_an_evaluation_resting_on_a_hidden_scenarios_ceasefire_is_not_released_to_others(
        settings: Settings, tmp_path: Path) -> None:
    flags = "  flags: {us_backstop: true}\n"
    secret = VALID.replace("marking: PUBLIC", "marking: REL TO FRA, GBR", 1).replace(flags,
                                                                            flags + "  ceasefire: 2025-10-01\n")
    with unit_of_work(settings, identity=who("FRA")) as db:
        import_document(load_document(write(tmp_path, secret)), db=db, origin="scenario.yaml")
        import_ucdp(ucdp_file(tmp_path), db=db, rel_to="PUBLIC")
    with unit_of_work(settings, identity=who("FRA", Role.ADMIN, user="fra-admin")) as db:
        set_default_scenario("small", db=db)
    with unit_of_work(settings, identity=who("FRA")) as db:
        store_evaluations([s.evaluation for s in rule_states([RULE], db=db, at=date(2025, 10, 31))], db=db)
        store_evaluations([s.evaluation for s in rule_states([RULE], db=db, at=date(2025, 10, 20))], db=db)
    with unit_of_work(settings, identity=who("DEU", Role.VIEWER)) as db:
        seen = list_evaluations(db=db, rule_id="few")
    leaked = [e for e in seen if "2025-10-01" in str(e.evaluation) or e.state != "unknown"]
    shown = [(e.marking, e.state, e.evaluation["conditions"][0].get("note"),
              e.evaluation["conditions"][0].get("last_period")) for e in leaked]
    assert leaked == [], f"Germany reads French evaluations resting on France's hidden ceasefire date: {shown}"

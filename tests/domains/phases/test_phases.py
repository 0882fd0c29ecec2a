"""A phased mission (issue 26 item 5, docs/adr/0044): phases in the scenario file, stored, marked and read like their
scenario, resolved into the planner problem's demand, carried with the problem for the Gantt and the brief."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pytest
from pydantic import ValidationError

from reassure.charts import vega as charts
from reassure.core.text_files import InputFileError
from reassure.db.uow import unit_of_work
from reassure.domains.phases.service import list_phases
from reassure.domains.planning.problem import build_problem, problem_json
from reassure.domains.plans.schemas import TourRead
from reassure.domains.plans.service import phase_spans
from reassure.domains.scenarios.importing import import_document, load_bundled
from reassure.domains.scenarios.service import export_scenario
from reassure.planner.instance import Problem
from reassure.scenario_io.load import load_document
from reassure.scenario_io.save import document_yaml
from reassure.settings import Settings
from tests.api.conftest import Api
from tests.conftest import Cli, who
from tests.scenario_io.samples import VALID

# The small sample (12 months from Jan 2027, AIR-WEST demand 2) with three phases; the transition is REL TO GBR, FRA.
PHASED = VALID.replace("legal:\n", """\
  - {key: TRAIN, name: Training, capability: training_team, location: inside, demand: 3, priority: 2,
     marking: "REL TO GBR, FRA"}
phases:
  - {key: entry, name: Entry, from: 2027-01-01, to: 2027-02-28, entry: Ceasefire in force, rule: exit-quiet-skies,
     demand: [{task: AIR-WEST, factor: 0.5}, {task: TRAIN, units: 1}]}
  - {key: steady, name: Steady state, from: 2, to: 8}
  - {key: handover, name: Transition, from: 2027-10-01, to: 2027-12-31, marking: "REL TO GBR, FRA",
     demand: [{task: AIR-WEST, units: 1}, {task: TRAIN, handover: true}]}
legal:
""")


def _import(settings: Settings, text: str, tmp_path: Path, nation: str = "GBR") -> None:
    path = tmp_path / "phased.yaml"
    path.write_text(text, encoding="utf-8")
    with unit_of_work(settings, identity=who(nation)) as db:
        import_document(load_document(path), db=db, origin=path.name)


def _problem(settings: Settings, name: str, nation: str) -> Problem:
    with unit_of_work(settings, identity=who(nation)) as db:
        return build_problem(name, db=db)


def test_a_phase_changes_demand_in_the_problem_and_is_marked_like_what_it_rests_on(settings: Settings,
                                                                                  tmp_path: Path) -> None:
    _import(settings, PHASED, tmp_path)
    gbr = _problem(settings, "small", "GBR")
    demand = {t.id: gbr.demand_of(t) for t in gbr.tasks}
    assert demand["AIR-WEST"] == [1, 1] + [2] * 7 + [1, 1, 1]  # × 0.5 in the entry, 1 unit in the transition
    assert demand["TRAIN"] == [1, 1] + [3] * 7 + [0, 0, 0]  # handed over to Ukrainian forces: none stay
    assert [(p.key, p.start, p.end) for p in gbr.phases] == [("entry", 0, 1), ("steady", 2, 8), ("handover", 9, 11)]
    assert gbr.phases[2].handover == ["TRAIN"] and gbr.phases[0].rule == "exit-quiet-skies"
    # Germany sees neither the transition nor the training task: the entry phase alone changes its demand.
    deu = _problem(settings, "small", "DEU")
    assert [p.key for p in deu.phases] == ["entry", "steady"]
    assert {t.id: deu.demand_of(t) for t in deu.tasks} == {"AIR-WEST": [1, 1] + [2] * 10}
    with unit_of_work(settings, identity=who("DEU")) as db:
        read = list_phases("small", db=db)
    assert [p.key for p in read] == ["entry", "steady"]
    assert [d.task for d in read[0].demand] == ["AIR-WEST"]  # the hidden task's entry is not shown
    assert read[0].start_date == date(2027, 1, 1) and read[0].end_date == date(2027, 2, 28)
    assert read[0].demand[0].text == "demand × 0.5"
    # The export carries the phases in periods and imports back unchanged.
    with unit_of_work(settings, identity=who("GBR")) as db:
        exported = export_scenario("small", db=db)
    assert [p["key"] for p in exported["phases"]] == ["entry", "steady", "handover"]
    assert exported["phases"][2] | {} == {"key": "handover", "name": "Transition", "from": 9, "to": 11,
                                          "demand": [{"task": "AIR-WEST", "units": 1},
                                                     {"task": "TRAIN", "units": 0, "handover": True}],
                                          "marking": "REL TO FRA, GBR"}
    path = tmp_path / "again.yaml"
    path.write_text(document_yaml(exported), encoding="utf-8")
    with unit_of_work(settings, identity=who("GBR")) as db:
        report = import_document(load_document(path), db=db, origin=path.name)
    assert report.counts["ScenarioPhase"]["unchanged"] == 3 and report.changes == 0


def test_files_and_problems_without_phases_stay_as_they_were(settings: Settings, tmp_path: Path) -> None:
    _import(settings, VALID, tmp_path)
    with unit_of_work(settings, identity=who("GBR")) as db:
        built = problem_json(build_problem("small", db=db))
    assert "phases" not in built  # a problem without phases has no new key (DESIGN §3 readers see what they know)
    assert built["tasks"][0]["demand"] == [2] * 12
    assert Problem.model_validate(built).phases == []


@pytest.mark.parametrize(("phases", "message"), [
    ("[{key: a, name: A, from: 0, to: 5}, {key: b, name: B, from: 5, to: 8}]", "phases may not overlap"),
    ("[{key: a, name: A, from: 0, to: 3, demand: [{task: NOPE, units: 1}]}]", "unknown task 'NOPE'"),
    ("[{key: a, name: A, from: 2029-01-01, to: 2029-06-30}]", "lies outside the horizon"),
    ("[{key: a, name: A, from: 0, to: 3, demand: [{task: AIR-WEST, units: 1, factor: 2}]}]", "either factor"),
    ("[{key: a, name: A, from: 0, to: 3, demand: [{task: AIR-WEST, handover: true, factor: 0.5}]}]", "not a factor"),
    ("[{key: a, name: A, from: 4, to: 2}]", "ends (2) before it starts (4)"),
])
def test_a_bad_phase_is_refused_with_its_reason(tmp_path: Path, phases: str, message: str) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(VALID.replace("legal:\n", f"phases: {phases}\nlegal:\n"), encoding="utf-8")
    with pytest.raises((InputFileError, ValidationError), match=re.escape(message)):
        load_document(path)


def test_the_demo_has_phases_that_change_its_demand_and_show_on_the_gantt(settings: Settings) -> None:
    """Issue 26's "Done when": the demo scenario has phases, and the Gantt shows them (the brief: tests/brief)."""
    with unit_of_work(settings, identity=who("GBR")) as db:
        load_bundled(db=db)
    problem = _problem(settings, "illustrative", "GBR")
    assert [p.name for p in problem.phases] == ["Entry", "Build-up", "Steady state", "Drawdown",
                                                "Transition to Ukrainian forces"]
    assert [(p.start, p.end) for p in problem.phases] == [(0, 2), (3, 8), (9, 26), (27, 32), (33, 35)]
    demand = {t.id: problem.demand_of(t) for t in problem.tasks}
    assert demand["HUB-EAST"] == [0] * 9 + [1] * 24 + [0] * 3  # opens in the steady state, handed over at the end
    assert demand["TRAIN-WEST"][33:] == [0, 0, 0] and demand["TRAIN-WEST"][27:33] == [2] * 6  # 4 × 0.5 in drawdown
    assert demand["TRAIN-CENTRE"][:3] == [1, 1, 1]  # 2 × 0.5 in the entry
    assert demand["HUB-KYIV"] == [1] * 3 + [2] * 24 + [1] * 9
    assert problem.phases[-1].handover == ["HUB-EAST", "TRAIN-WEST", "TRAIN-CENTRE", "EOD-DEMINING"]
    spans = phase_spans(problem)
    assert (spans[-1].start, spans[-1].end, spans[-1].span) == (date(2029, 10, 1), date(2029, 12, 31),
                                                                "Oct 2029 – Dec 2029")
    tours = [TourRead(plan="plan_" + "a" * 16, unit="U1", nation="FRA", capability="frigate", task="SEA",
                      location="sea", start=date(2027, 1, 1), end=date(2029, 12, 31), first_period=0,
                      last_period=35, personnel=200, marking="PUBLIC")]
    for spec in (charts.gantt(tours, phases=spans), charts.gantt_by_task(tours, phases=spans,
                                                                         groups={"sea": "At sea"})):
        marks = [row for row in spec["data"]["values"] if row.get("kind") == "phase"]
        assert [(r["phase"], r["start"]) for r in marks][-1] == ("Transition to Ukrainian forces", "2029-10-01")
        assert [r["label"] for r in marks] == [p.name for p in spans]  # one panel: every phase named once
        layers = spec["spec"]["layer"]
        assert [layer["mark"]["type"] for layer in layers] == ["bar", "rule", "text"]


def test_the_cli_and_the_api_list_a_scenarios_phases_as_the_reader_may_see_them(cli: Cli, db_url: str,
                                                                                tmp_path: Path) -> None:
    path = tmp_path / "phased.yaml"
    path.write_text(PHASED, encoding="utf-8")
    assert cli("import", str(path))[0] == 0
    code, out, err = cli("phases", "--scenario", "small", "--json", nation="DEU")
    assert code == 0, err
    assert [p["key"] for p in json.loads(out)] == ["entry", "steady"]  # the transition is REL TO GBR, FRA
    code, out, _ = cli("phases", "--scenario", "small")
    assert code == 0 and "Transition" in out and "handed over to Ukrainian forces" in out
    api = Api(db_url)
    answer = api.get("/scenarios/small/phases", "GBR", limit=2, offset=1)
    assert answer.status_code == 200
    body = answer.json()
    assert (body["total"], body["limit"], body["offset"]) == (3, 2, 1)
    assert [p["name"] for p in body["items"]] == ["Steady state", "Transition"]
    assert body["items"][1]["demand"][1] == {"task": "TRAIN", "factor": None, "units": 0, "handover": True,
                                             "text": "handed over to Ukrainian forces (none stay with the coalition)"}
    assert api.get("/scenarios/small/phases", "DEU").json()["total"] == 2
    assert api.get("/scenarios/nope/phases", "GBR").status_code == 404

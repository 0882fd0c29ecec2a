"""Planner problems built from stored scenarios: units per pledged unit, periods from dates, markings respected."""

from __future__ import annotations

from pathlib import Path

from reassure.db.uow import unit_of_work
from reassure.domains.planning.problem import build_problem, problem_json
from reassure.domains.scenarios.importing import load_bundled
from reassure.planner.instance import Problem
from reassure.settings import Settings
from tests.conftest import Cli, who
from tests.scenario_io.samples import VALID, write


def _problem(settings: Settings, name: str, nation: str | None = None) -> dict:
    with unit_of_work(settings, identity=who(nation or "NZL")) as db:
        return problem_json(build_problem(name, db=db))


def test_bundled_scenario_builds_a_valid_planner_problem(settings: Settings) -> None:
    with unit_of_work(settings, identity=who("GBR")) as db:
        load_bundled(db=db)
    problem = _problem(settings, "illustrative")
    Problem.model_validate(problem)  # the planner accepts it (DESIGN §3, unknown keys forbidden)
    units = {u["id"]: u for u in problem["units"]}
    # TUR-FRG is 'undisclosed': a large nation's frigate prior (1-3, planned on 2); NZL reads 106 of France's 110 units
    # (FRA-MECH, FRA-MED and GBR-ISR, 4 units, are REL TO FRA, GBR)
    assert len(units) == 106 and len(_problem(settings, "illustrative", "FRA")["units"]) == 110
    assert [u for u in units if u.startswith("TUR-FRG")] == ["TUR-FRG-1", "TUR-FRG-2"]
    estimates = {e["id"]: e for e in problem["pledges"]}
    assert estimates["TUR-FRG"]["basis"] == "prior" and (estimates["TUR-FRG"]["low"], estimates["TUR-FRG"]["high"]) \
        == (1, 3)
    assert "large" in estimates["TUR-FRG"]["note"] and "planning assumption" in estimates["TUR-FRG"]["note"]
    assert estimates["EST-INF"]["basis"] == "range" and estimates["EST-INF"]["planned"] == 1  # best estimate
    assert estimates["FRA-INF"] == {"id": "FRA-INF", "basis": "stated", "planned": 4, "low": 4, "high": 4,
                                    "note": "4 as stated"}
    assert units["TUR-FRG-2"]["pledge"] == "TUR-FRG" and units["TUR-FRG-2"]["slot"] == 2
    assert units["EST-INF-1"]["available_from"] == 0 and "EST-INF-2" not in units  # range 1-2, best 1
    assert units["ESP-FRG-1"]["available_from"] == 6  # available from 2027-07-01
    assert "GBAD-HUBS" in units["DEU-GBAD-1"]["exclude_tasks"]  # caveat 'no basing in Ukraine' → inside tasks
    legal = {(lg["nation"], lg["kind"]): lg["in_force_from"] for lg in problem["legal"]}
    assert legal[("FRA", "SOFA")] == 0 and legal[("CAN", "SOFA")] == 3
    assert ("BEL", "SOFA") not in legal  # only proposed: not expected in force
    shares = {n["code"]: n.get("fair_share") for n in problem["nations"]}
    assert shares["USA"] is None  # backstop provider: outside the burden-sharing base
    assert abs(sum(v for v in shares.values() if v) - 1.0) < 0.01


def test_problem_contains_only_what_the_viewer_may_see(cli: Cli, settings: Settings, tmp_path: Path) -> None:
    assert cli("import", str(write(tmp_path, VALID)))[0] == 0
    assert [u["id"] for u in _problem(settings, "small", "DEU")["units"]] == ["FRA-FS-1", "FRA-FS-2"]
    gbr = [u["id"] for u in _problem(settings, "small", "GBR")["units"]]
    assert gbr == ["FRA-FS-1", "FRA-FS-2", "GBR-FS-1", "GBR-FS-2"]  # range 1-3, best 2


def test_plan_build_command_writes_the_problem(cli: Cli, tmp_path: Path) -> None:
    cli("import", str(write(tmp_path, VALID)))
    out = tmp_path / "problem.json"
    code, text, err = cli("plan", "build", "--scenario", "small", "--out", str(out), nation="DEU")
    assert code == 0, err
    assert "2 units of 1 nations" in text
    Problem.model_validate_json(out.read_text())
    code, _, err = cli("plan", "build", "--scenario", "nope")
    assert code == 3 and "no scenario named 'nope'" in err


def test_bundled_scenario_carries_components_leads_command_notice_and_legal_dates(settings: Settings) -> None:
    with unit_of_work(settings, identity=who("GBR")) as db:
        load_bundled(db=db)
    problem = _problem(settings, "illustrative")
    tasks = {t["id"]: t for t in problem["tasks"]}
    assert tasks["HUB-KYIV"]["lead"] == "GBR" and tasks["HUB-KYIV"]["min_nations"] == 2
    assert tasks["HUB-KYIV"]["component"] == "multinational"
    assert tasks["SEA-ESCORT"]["component"] == "bilateral" and tasks["SEA-ESCORT"]["partners"] == ["FRA", "GBR", "ITA"]
    assert tasks["SEA-DEMINE"]["max_share"] == 0.67
    # Headquarters from the command tree: the rear HQ (JLSG) commands the logistics and Polish training tasks,
    # the forward HQ the signals task; an HQ task's own parent is the HQ above it, if any.
    assert {k for k, t in tasks.items() if t.get("parent") == "HQ-REAR"} == {"LOG-POL", "LOG-ROU", "LOG-AIRLIFT",
                                                                              "TRAIN-ADJ"}
    assert {k for k, t in tasks.items() if t.get("parent") == "HQ-FWD"} == {"CIS-NET"}
    assert "parent" not in tasks["HUB-KYIV"] and "parent" not in tasks["HQ-FWD"]
    units = {u["id"]: u for u in problem["units"]}
    assert units["CAN-INF-1"]["notice"] == 2 and "notice" not in units["FRA-INF-1"]
    legal = {(lg["nation"], lg["kind"]): lg for lg in problem["legal"]}
    assert legal[("CZE", "SOFA")]["in_force_to"] == 23 and legal[("CZE", "SOFA")]["probability"] == 0.7
    assert "probability" not in legal[("FRA", "SOFA")]


def test_hq_demand_follows_its_components(settings: Settings) -> None:
    with unit_of_work(settings, identity=who("GBR")) as db:
        load_bundled(db=db)
    tasks = {t["id"]: t for t in _problem(settings, "illustrative")["tasks"]}
    kids = [tasks["CIS-NET"]]
    assert tasks["HQ-FWD"]["demand"] == [1 if any(k["demand"][t] for k in kids) else 0 for t in range(36)]

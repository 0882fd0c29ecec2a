"""Every class of bad input gets a message naming file, line/row and field, exit 2, and writes nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from reassure.db.uow import unit_of_work
from reassure.settings import Settings
from tests.conftest import Cli, who
from tests.scenario_io.samples import PLEDGE_TABLE, VALID, row_counts, write

CASES = [
    pytest.param(VALID.replace("  flags: {us_backstop: true}", "  flags: {us_backstop: true"), None,
                 [":8:", "not valid YAML", "while parsing a flow mapping on line 7"], id="bad-yaml"),
    pytest.param(VALID.replace("nation: GBR", "nation: XYZ"), None,
                 [":49:", "pledges[1] (GBR-FS).nation", "unknown nation code 'XYZ'", "alpha-3"],
                 id="unknown-nation"),
    pytest.param(VALID.replace("capability: fighter_squadron\n    quantity: 2",
                               "capability: jet_squadron\n    quantity: 2"), None,
                 [":38:", "pledges[0] (FRA-FS).capability", "unknown capability 'jet_squadron'",
                  "fighter_squadron"], id="unknown-capability"),
    pytest.param(VALID.replace("personnel_per_unit: 300", "personnel_per_unit: -300"), None,
                 [":40:", "pledges[0] (FRA-FS).personnel_per_unit", "greater than or equal to 0"],
                 id="negative-size"),
    pytest.param(VALID.replace("quantity: 2\n", "quantity: -2\n"), None,
                 [":39:", "pledges[0] (FRA-FS).quantity", "cannot be negative"], id="negative-quantity"),
    pytest.param(VALID.replace("window: {from: 2027-01-01, to: 2027-12-31}\n    rotation: {max_tour: 4, min_dwell: 8}\n"
                               "    conditions",
                               "window: {from: 2027-01-01, to: 2026-12-31}\n    rotation: {max_tour: 4, min_dwell: 8}\n"
                               "    conditions"), None,
                 [":42:", "pledges[0] (FRA-FS).window", "window ends (2026-12-31) before it starts (2027-01-01)"],
                 id="window-end-before-start"),
    pytest.param(VALID.replace("key: GBR-FS", "key: FRA-FS"), None,
                 [":48:", "pledges[1] (FRA-FS).key", "duplicate key 'FRA-FS' (first at pledges[0])"],
                 id="duplicate-id"),
    pytest.param(VALID.replace("    probability: 0.9\n", "    probability: 0.9\n    colour: blue\n"), None,
                 [":48:", "pledges[0] (FRA-FS).colour", "unknown key 'colour'", "expected one of", "capability"],
                 id="unknown-key"),
    pytest.param(VALID.replace("conditions: [us_backstop]", "conditions: [us_backstopp]"), None,
                 ["pledges[0] (FRA-FS).conditions", "unknown condition 'us_backstopp'"], id="unknown-flag"),
    pytest.param(VALID.replace("    sources: [src-1]\n", "    sources: [src-9]\n"), None,
                 ["claims[0] (c-1).sources", "unknown source 'src-9'"], id="dangling-source"),
    pytest.param(VALID.replace("    grade: B2\n", ""), None,
                 ["claims[0] (c-1)", "needs an Admiralty grade"], id="reported-claim-without-grade"),
    pytest.param(VALID.replace("demand: 2", "demand: [1, 2, 3]"), None,
                 ["tasks[0] (AIR-WEST).demand", "expected 12 values"], id="demand-length"),
    pytest.param(VALID.replace("marking: REL TO GBR, FRA", "marking: SECRET"), None,
                 ["pledges[1] (GBR-FS).marking", "REL TO"], id="bad-marking"),
    pytest.param(VALID.replace("    command: HQ\n", "    command: HQ\n    multinational: false\n    min_nations: 2\n"),
                 None, ["tasks[0] (AIR-WEST)", "min_nations and max_share apply to a multinational task"],
                 id="bilateral-with-min-nations"),
    pytest.param(VALID.replace("    command: HQ\n", "    command: HQ\n    max_share: 1.5\n"), None,
                 ["tasks[0] (AIR-WEST).max_share", "less than or equal to 1"], id="max-share-above-one"),
    pytest.param(VALID.replace("    command: HQ\n", "    command: HQ\n    nations: [GBR]\n    lead_nation: FRA\n"),
                 None,
                 ["tasks[0] (AIR-WEST)", "lead_nation FRA is not one of the task's nations"], id="lead-not-allowed"),
    pytest.param(VALID.replace("status: in_force, in_force_from: 2027-01-01}",
                               "status: in_force, in_force_from: 2027-01-01, probability: 0.5}"), None,
                 ["legal[0] (SOFA-FRA)", "probability is the chance that an instrument under negotiation"],
                 id="probability-on-an-instrument-in-force"),
    pytest.param(VALID.replace("    probability: 0.9\n", "    probability: 0.9\n    notice: -1\n"), None,
                 ["pledges[0] (FRA-FS).notice", "greater than or equal to 0"], id="negative-notice"),
    # YAML true/false where a number is expected: refused, not read as 1/0 (a withdrawal chance of "true" would
    # withdraw every government; a probability of "true" would be certainty)
    pytest.param(VALID.replace("  flags: {us_backstop: true}\n",
                               "  flags: {us_backstop: true}\n  nation_withdrawal: true\n"), None,
                 ["scenario.nation_withdrawal", "expected a number, not true"], id="boolean-withdrawal"),
    pytest.param(VALID.replace("    probability: 0.9\n", "    probability: true\n"), None,
                 ["pledges[0] (FRA-FS).probability", "expected a number, not true"], id="boolean-probability"),
    pytest.param(VALID.replace("    probability: 0.9\n", "    probability: 0.9\n    notice: true\n"), None,
                 ["pledges[0] (FRA-FS).notice", "expected a number, not true"], id="boolean-notice"),
    pytest.param(VALID.replace("    command: HQ\n", "    command: HQ\n    multinational: true\n    min_nations: true\n"
                               "    max_share: false\n"), None,
                 ["tasks[0] (AIR-WEST).min_nations", "tasks[0] (AIR-WEST).max_share", "expected a number, not true",
                  "expected a number, not false"], id="boolean-task-rules"),
    pytest.param(VALID.replace("status: in_force, in_force_from", "status: proposed, probability: true, in_force_from"),
                 None, ["legal[0] (SOFA-FRA).probability", "expected a number, not true"], id="boolean-legal"),
    pytest.param(VALID.replace("  flags: {us_backstop: true}\n", "  flags: {us_backstop: true}\n  priors: "
                               "[{capability: fighter_squadron, size: medium, low: true, value: 1, high: 3}]\n"),
                 None, ["scenario.priors[0].low", "expected a number, not true"], id="boolean-prior"),
    pytest.param(VALID.replace("    demand: 2\n", "    demand: [2, true]\n"), None,
                 ["tasks[0] (AIR-WEST).demand", "expected a number, not true"], id="boolean-in-a-list"),
    pytest.param(PLEDGE_TABLE.replace("POL-LOG,POL", "POL-LOG,PLD"), "pledges.csv",
                 ["pledges.csv, row 2", "nation", "unknown nation code 'PLD'"], id="csv-unknown-nation"),
    pytest.param(PLEDGE_TABLE.replace("2027-01-01,2027-12-31,5,10", "2027-06-01,2027-01-31,5,10"), "pledges.csv",
                 ["pledges.csv, row 3", "available_from/available_to", "window ends"], id="csv-window"),
    pytest.param(PLEDGE_TABLE.replace(",3,500,", ",-3,500,"), "pledges.csv",
                 ["pledges.csv, row 2", "quantity", "cannot be negative"], id="csv-negative"),
    pytest.param(PLEDGE_TABLE.replace("key,nation", "key,colour,nation").replace("POL-LOG,", "POL-LOG,red,")
                 .replace("ITA-FRG,", "ITA-FRG,blue,"), "pledges.csv",
                 ["pledges.csv, row 1", "colour", "unknown column"], id="csv-unknown-column"),
    pytest.param(PLEDGE_TABLE + "POL-LOG,POL,logistics_battalion,1,500,adjacent,2027-01-01,2027-12-31,6,6,,offered\n",
                 "pledges.csv", ["pledges.csv, row 4", "duplicate key 'POL-LOG'"], id="csv-duplicate"),
]


@pytest.mark.parametrize("text,name,expected", CASES)
def test_bad_input_is_rejected_with_its_place_and_nothing_is_written(
        cli: Cli, settings: Settings, tmp_path: Path, text: str, name: str | None, expected: list[str]) -> None:
    code, _, _ = cli("import", str(write(tmp_path, VALID.replace("name: small", "name: base"))))
    assert code == 0
    everyone = who("GBR")
    with unit_of_work(settings, identity=everyone) as db:
        before = row_counts(db)
    path = write(tmp_path, text, name or "scenario.yaml")
    args = ["import", str(path)] + (["--scenario", "base"] if name else [])
    code, _, err = cli(*args)
    assert code == 2
    flat = " ".join(err.split())
    for fragment in expected:
        assert fragment in flat, f"{fragment!r} not in {flat!r}"
    assert str(path) in flat
    assert "nothing was written" in flat
    with unit_of_work(settings, identity=everyone) as db:
        assert row_counts(db) == before


def test_all_problems_of_a_file_are_reported_together(cli: Cli, tmp_path: Path) -> None:
    text = VALID.replace("nation: GBR", "nation: XYZ").replace("personnel_per_unit: 300", "personnel_per_unit: -1")
    code, _, err = cli("import", str(write(tmp_path, text)))
    assert code == 2
    assert "2 problem(s)" in err


def test_failure_late_in_an_import_rolls_back_everything(cli: Cli, settings: Settings, tmp_path: Path) -> None:
    """A pledge table for a scenario that does not exist fails after parsing: nothing may remain."""
    code, _, err = cli("import", str(write(tmp_path, PLEDGE_TABLE, "pledges.csv")), "--scenario", "nope")
    assert code == 2
    assert "no scenario named 'nope'" in err
    with unit_of_work(settings, identity=who("GBR")) as db:
        assert row_counts(db) == {"Scenario": 0, "Pledge": 0, "Source": 0, "Claim": 0, "AuditEntry": 0}


def test_missing_file_and_wrong_suffix(cli: Cli, tmp_path: Path) -> None:
    code, _, err = cli("import", str(tmp_path / "absent.yaml"))
    assert code == 2 and "file not found" in err
    code, _, err = cli("import", str(write(tmp_path, "x", "notes.txt")))
    assert code == 2 and "expected a .yaml" in err

"""Undisclosed pledge sizes plan on a prior per capability and nation size, editable in the scenario file
(docs/adr/0023); the scenario's planning assumptions survive export and re-import."""

from __future__ import annotations

from pathlib import Path

from reassure.db.uow import unit_of_work
from reassure.domains.planning.problem import build_problem
from reassure.domains.scenarios.service import export_scenario
from reassure.scenario_io.priors import bundled_priors
from reassure.settings import Settings
from tests.conftest import Cli, who
from tests.scenario_io.samples import VALID, write

UNDISCLOSED = VALID.replace("  flags: {us_backstop: true}\n", """\
  flags: {us_backstop: true}
  nation_withdrawal: 0.1
  priors:
    - {capability: fighter_squadron, size: medium, low: 2, value: 3, high: 5}
""").replace("    quantity: 2\n", "    quantity: undisclosed\n", 1)


def test_every_capability_has_a_bundled_prior_for_every_size() -> None:
    from reassure.core.capabilities import CAPABILITIES
    from reassure.core.quantities import NationSize

    table = bundled_priors()
    assert set(table) == {(c, s) for c in CAPABILITIES for s in NationSize}
    assert all(p.value >= 1 for p in table.values())  # never 0


def test_the_scenarios_prior_replaces_the_bundled_one(cli: Cli, settings: Settings, tmp_path: Path) -> None:
    code, _, err = cli("import", str(write(tmp_path, UNDISCLOSED)))
    assert code == 0, err
    with unit_of_work(settings, identity=who("FRA")) as db:
        problem = build_problem("small", db=db)
    # No population figure for France in this database: a medium nation, said so; the scenario's row applies.
    assert [u.id for u in problem.units if u.pledge == "FRA-FS"] == ["FRA-FS-1", "FRA-FS-2", "FRA-FS-3"]
    [estimate] = [e for e in problem.pledges if e.id == "FRA-FS"]
    assert (estimate.basis, estimate.low, estimate.planned, estimate.high) == ("prior", 2, 3, 5)
    assert "population is not on record" in estimate.note and "planning assumption" in estimate.note
    assert {n.code: n.probability for n in problem.nations}["FRA"] == 0.9  # nation_withdrawal 0.1
    with unit_of_work(settings, identity=who("FRA")) as db:
        exported = export_scenario("small", db=db)
    header = exported["scenario"]
    assert header["nation_withdrawal"] == 0.1 and header["priors"][0]["value"] == 3


def test_a_bad_prior_names_its_line(cli: Cli, tmp_path: Path) -> None:
    broken = UNDISCLOSED.replace("low: 2, value: 3, high: 5", "low: 4, value: 3, high: 5")
    code, _, err = cli("import", str(write(tmp_path, broken)))
    assert code == 2 and "priors" in err and "low <= value <= high" in err


def test_two_priors_for_one_row_are_refused(cli: Cli, tmp_path: Path) -> None:
    twice = UNDISCLOSED.replace("    - {capability: fighter_squadron, size: medium, low: 2, value: 3, high: 5}\n",
                                "    - {capability: fighter_squadron, size: medium, low: 2, value: 3, high: 5}\n"
                                "    - {capability: fighter_squadron, size: medium, low: 1, value: 1, high: 1}\n")
    code, _, err = cli("import", str(write(tmp_path, twice)))
    assert code == 2 and "more than one row for fighter_squadron (medium)" in err


def test_plan_build_names_the_assumed_sizes(cli: Cli, tmp_path: Path) -> None:
    cli("import", str(write(tmp_path, UNDISCLOSED)))
    code, out, err = cli("plan", "build", "--scenario", "small", "--out", str(tmp_path / "p.json"), nation="FRA")
    assert code == 0, err
    assert "planning assumption: France: fighter squadron (FRA-FS): size undisclosed: planned on 3" in " ".join(
        out.split())

"""`reassure indicators` and `reassure rules`: a region in any spelling, refused when it is none; the scenario that
gives the ceasefire date."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import Cli
from tests.monitoring.feeds.test_ucdp_types import ucdp_file
from tests.scenario_io.samples import VALID, write


def test_a_region_is_read_in_any_spelling_and_refused_when_it_is_none(cli: Cli, tmp_path: Path) -> None:
    assert cli("ingest", "ucdp", "--marking", "PUBLIC", str(ucdp_file(tmp_path)))[0] == 0
    code, out, _ = cli("incidents", "--region", "Харківщина")
    assert code == 0 and "ucdp:1002" in out and "ucdp:1001" not in out
    code, _, err = cli("indicators", "--region", "Atlantis")
    assert code == 2 and "no region of Ukraine" in err


def test_the_scenario_gives_the_ceasefire_date(cli: Cli, tmp_path: Path) -> None:
    assert cli("ingest", "ucdp", "--marking", "PUBLIC", str(ucdp_file(tmp_path)))[0] == 0
    flags = "  flags: {us_backstop: true}\n"
    assert cli("import", str(write(tmp_path, VALID.replace(flags, flags + "  ceasefire: 2025-10-01\n"))))[0] == 0
    code, out, _ = cli("indicators", "--scenario", "small", "--json")
    assert code == 0
    assert [r["violations"] for r in json.loads(out)] == [None, 1]  # September is before the ceasefire
    code, out, _ = cli("indicators", "--json")
    assert code == 0 and all(r["violations"] is None for r in json.loads(out))  # no default scenario: none counted
    code, out, _ = cli("rules", "check")
    assert "no ceasefire date is set" in " ".join(out.split())
    assert cli("rules", "check", "--scenario", "no-such")[0] != 0

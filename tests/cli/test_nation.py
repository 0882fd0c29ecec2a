"""`reassure nation default-scenario`: show, set (admins) and clear; `reassure brief` uses the nation's default and
asks for --scenario when there is none."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import Cli
from tests.scenario_io.samples import VALID, write


def test_the_cli_shows_sets_and_clears_the_default_and_the_brief_asks_without_one(cli: Cli, tmp_path: Path) -> None:
    assert cli("import", str(write(tmp_path, VALID)), nation="FRA")[0] == 0
    out = tmp_path / "brief.html"
    code, _, err = cli("brief", "--out", str(out), nation="FRA")
    assert code == 2 and "--scenario" in err and "default scenario" in err and not out.exists()
    code, shown, _ = cli("nation", "default-scenario", nation="FRA")
    assert code == 0 and "FRA has no default scenario" in " ".join(shown.split())
    code, _, err = cli("nation", "default-scenario", "small", nation="FRA")
    assert code == 4 and "admin" in err
    code, shown, err = cli("nation", "default-scenario", "small", nation="FRA", admin=True)
    assert code == 0 and "opens on scenario small" in " ".join(shown.split()), err
    assert json.loads(cli("nation", "default-scenario", "--json", nation="FRA")[1])[0]["scenario"] == "small"
    code, printed, err = cli("brief", "--out", str(out), nation="FRA")
    assert code == 0 and "scenario small" in printed and out.exists(), err
    assert cli("nation", "default-scenario", "nowhere", nation="FRA", admin=True)[0] == 3
    assert cli("nation", "default-scenario", "small", "--clear", nation="FRA", admin=True)[0] == 2
    code, shown, _ = cli("nation", "default-scenario", "--clear", nation="FRA", admin=True)
    assert code == 0 and "no default scenario" in shown
    assert json.loads(cli("nation", "default-scenario", "--json", nation="GBR")[1])[0]["scenario"] is None

"""`reassure verify add|list` (docs/adr/0042): a shortfall is recorded and listed; bad input exits non-zero, naming
each field, writing nothing."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import Cli
from tests.scenario_io.samples import VALID, write


def test_verify_add_and_list(cli: Cli, tmp_path: Path) -> None:
    assert cli("import", str(write(tmp_path, VALID)), nation="FRA")[0] == 0
    code, out, err = cli("verify", "add", "small", "FRA-FS", "--on", "2026-11-02", "--kind", "exercise",
                         "--finding", "shortfall", "--found", "1", "--source", "exercise report", "--grade", "B2")
    assert code == 0, err
    assert "verified with shortfall on 2026-11-02 (exercise, B2; PUBLIC)" in out
    code, out, err = cli("verify", "add", "small", "FRA-FS", "--on", "2026-11-02", "--kind", "rumour",
                         "--finding", "verified", "--source", "x", "--grade", "Q7")
    assert code != 0 and "--kind" in err and "--grade" in err and "nothing was written" in err
    code, out, _ = cli("verify", "list", "small", "--json")
    rows = json.loads(out)
    assert code == 0 and [(r["pledge"], r["finding"], r["found"]) for r in rows] == [("FRA-FS", "shortfall", 1)]
    code, out, _ = cli("pledges", "--scenario", "small", "--json")
    assert next(p for p in json.loads(out) if p["key"] == "FRA-FS")["planned_units"] == 1

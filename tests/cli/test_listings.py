"""The CLI for scripts and for people: --json with stable keys on every listing; data is never read as markup."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import Cli
from tests.scenario_io.samples import VALID, write

PLEDGE_KEYS = {"scenario", "key", "nation", "nation_name", "domain", "capability", "quantity", "planned_units",
               "planned_basis", "planned_note", "personnel_per_unit", "where", "available_from", "available_to",
               "max_tour", "min_dwell", "caveats",
               "conditions", "status", "probability", "standing", "grade", "sources", "marking", "notes",
               "verification", "readiness", "as_of", "valid_to", "renew_by", "renewal", "version"}


def test_every_listing_prints_json_with_stable_keys(cli: Cli, tmp_path: Path) -> None:
    assert cli("import", str(write(tmp_path, VALID)))[0] == 0
    code, out, _ = cli("pledges", "--json")
    rows = json.loads(out)
    assert code == 0 and [r["key"] for r in rows] == ["FRA-FS", "GBR-FS"] and set(rows[0]) == PLEDGE_KEYS
    for command, key in (("claims", "key"), ("sources", "id"), ("scenarios", "name"), ("incidents", "key")):
        code, out, _ = cli(command, "--json")
        assert code == 0 and all(key in r for r in json.loads(out)), command
    code, out, _ = cli("users", "list", "--json", admin=True)
    assert code == 0 and {"name", "nation", "roles", "active"} <= set(json.loads(out)[0])


def test_data_that_looks_like_markup_is_printed_as_written(cli: Cli, tmp_path: Path) -> None:
    text = VALID.replace("statement: Twenty-six nations committed.", "statement: '[bold]26[/bold] of [red]35'")
    assert cli("import", str(write(tmp_path, text)))[0] == 0
    code, out, _ = cli("claims")
    assert code == 0 and "[bold]26[/bold] of [red]35" in " ".join(out.split())

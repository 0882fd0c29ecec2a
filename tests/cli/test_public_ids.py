"""The CLI takes and prints only public ids: `plans list|show|diff|validate|whatif`, `brief --plan`, `rules history`
and `audit` name plans, evaluations and audit rows by their opaque ids, and an old number (or any other text) is
refused exactly like an unknown id (exit 3, the same message)."""

from __future__ import annotations

import json
import re
from pathlib import Path

from reassure.core.public_ids import is_public_id
from reassure.db.uow import engine_for
from reassure.settings import Settings
from tests.api.conftest import Api, attacks_csv
from tests.conftest import Cli
from tests.scenario_io.samples import VALID, write

SOLVE = ("plan", "solve", "--scenario", "small", "--store", "--time-limit", "1")
UNKNOWN = "plan_" + "a" * 16
ID = re.compile(r"\b(?:plan|job|eval|aud)_[a-z2-7]{16}\b")


def _commands(value: str, known: str, out: Path) -> dict[str, tuple[str, ...]]:
    return {"show": ("plans", "show", value), "validate": ("plans", "validate", value),
            "diff a": ("plans", "diff", value, known), "diff b": ("plans", "diff", known, value),
            "whatif": ("plans", "whatif", value, "--flag", "us_backstop=false", "--time-limit", "1"),
            "brief": ("brief", "--scenario", "small", "--plan", value, "--out", str(out))}


def test_old_numbers_are_refused_like_unknown_ids(cli: Cli, tmp_path: Path) -> None:
    assert cli("import", str(write(tmp_path, VALID)))[0] == 0
    code, out, err = cli(*SOLVE)
    assert code == 0, err
    known = re.search(r"stored as plan (\S+)", out).group(1)  # type: ignore[union-attr]
    assert is_public_id(known, "plan")
    with engine_for(Settings(database_url=cli.url)).connect() as connection:
        key = str(connection.exec_driver_sql("SELECT id FROM plans").scalar_one())
    brief = tmp_path / "brief.html"
    unknown = {name: cli(*args) for name, args in _commands(UNKNOWN, known, brief).items()}
    assert all(code == 3 and "no plan" in err for code, _, err in unknown.values()), unknown
    for value in (key, "0", "2", "plan_1", known.upper(), known + "x"):  # ("-1" would be read as an option)
        for name, args in _commands(value, known, brief).items():
            code, _, err = cli(*args)
            assert code == 3 and err.replace(value, "ID") == unknown[name][2].replace(UNKNOWN, "ID"), (value, name, err)
    assert not brief.exists()


def test_listings_print_public_ids_only(cli: Cli, tmp_path: Path) -> None:
    assert cli("import", str(write(tmp_path, VALID)))[0] == 0
    Api(cli.url).ingest(tmp_path, attacks_csv(2), nation="GBR")
    _, out, _ = cli(*SOLVE)
    first = re.search(r"stored as plan (\S+)", out).group(1)  # type: ignore[union-attr]
    assert f"reassure plans show {first}" in out
    code, out, err = cli("plans", "whatif", first, "--flag", "us_backstop=false", "--store", "--time-limit", "1")
    assert code == 0, err
    second = re.search(r"stored as plan (\S+)", out).group(1)  # type: ignore[union-attr]
    assert f"what-if on plan {first}" in out and is_public_id(second, "plan")
    code, out, _ = cli("plans", "list")
    assert code == 0 and set(ID.findall(out)) == {first, second}
    assert [p["base"] for p in json.loads(cli("plans", "list", "--json")[1])] == [first, None]
    code, out, _ = cli("plans", "diff", first, second)
    assert code == 0 and f"plan {first}" in out and f"plan {second}" in out
    assert cli("rules", "check", "--store")[0] in (0, 10, 11, 12)  # exit codes of what the check found
    code, out, _ = cli("rules", "history")
    evaluations = json.loads(cli("rules", "history", "--json")[1])
    assert evaluations and all(is_public_id(e["id"], "eval") for e in evaluations)
    assert code == 0 and {e["id"] for e in evaluations} <= set(ID.findall(out))
    code, out, _ = cli("audit", "--json", "--limit", "1000", nation="GBR", admin=True)
    rows = [json.loads(line) for line in out.splitlines()]
    assert code == 0 and rows and all(is_public_id(r["id"], "aud") for r in rows)
    plan_rows = [r for r in rows if r["action"] == "plan.create"]
    assert {r["key"] for r in plan_rows} == {f"small/{first}", f"small/{second}"}
    assert [r["details"]["after"]["base"] for r in plan_rows] == [first, None]
    code, table, _ = cli("audit", nation="GBR", admin=True)
    assert code == 0 and f"small/{first}" in table

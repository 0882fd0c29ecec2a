"""Tasks, the command tree, legal status and pledge lifecycle: services with CLI listings and audited actions."""

from __future__ import annotations

import json
from pathlib import Path

from reassure.core.identity import Role
from tests.conftest import Cli, stored_user
from tests.scenario_io.samples import VALID, write

HIDDEN_NODE = VALID.replace(
    "command:\n  - {key: HQ, name: Coalition HQ, kind: coalition_hq, lead_nation: FRA}",
    "command:\n  - {key: HQ, name: Coalition HQ, kind: coalition_hq, lead_nation: FRA, marking: REL TO GBR}\n"
    "  - {key: AIR, name: Air component, kind: component, parent: HQ, relationship: opcon}")


def test_tasks_command_tree_and_legal_status_are_listed(cli: Cli, tmp_path: Path) -> None:
    assert cli("import", str(write(tmp_path, HIDDEN_NODE)))[0] == 0
    tasks = json.loads(cli("tasks", "--scenario", "small", "--json")[1])
    assert [(t["key"], t["demand"][0], t["command"]) for t in tasks] == [("AIR-WEST", 2, "HQ")]
    tree = json.loads(cli("command", "--scenario", "small", "--json", nation="GBR")[1])
    assert [(n["key"], [c["key"] for c in n["children"]], n["tasks"]) for n in tree] == [("HQ", ["AIR"], ["AIR-WEST"])]
    tree = json.loads(cli("command", "--scenario", "small", "--json", nation="DEU")[1])
    assert [(n["key"], n["children"]) for n in tree] == [("AIR", [])]  # its hidden parent is simply absent
    legal = json.loads(cli("legal", "--scenario", "small", "--json")[1])
    assert [(lg["nation"], lg["kind"], lg["status"]) for lg in legal] == [("FRA", "SOFA", "in_force")]


def test_a_pledge_lifecycle_is_dated_audited_and_felt_by_plans(cli: Cli, tmp_path: Path) -> None:
    assert cli("import", str(write(tmp_path, VALID)))[0] == 0
    code, out, err = cli("pledge", "withdraw", "small", "FRA-FS", "--date", "2026-03-01", "--source", "src-1")
    assert code == 0 and "withdrawn (2026-03-01)" in out, err
    history = json.loads(cli("pledge", "history", "small", "FRA-FS", "--json")[1])[0]
    assert [s["status"] for s in history["steps"]] == ["announced", "confirmed", "withdrawn"]
    assert cli("pledge", "status", "small", "FRA-FS", "deployed", "--date", "2026-01-01")[0] == 6  # backwards: Conflict
    units = json.loads(cli("plan", "build", "--scenario", "small")[1])["units"]
    assert not any(u["id"].startswith("FRA-FS") for u in units)
    audit = json.loads("[" + ",".join(cli("audit", "--json", admin=True)[1].split("\n")[:-1]) + "]")
    step = next(r for r in audit if r["action"] == "pledge.status")
    assert step["details"]["before"]["status"] == "confirmed" and step["details"]["after"]["status"] == "withdrawn"


def test_hidden_pledges_are_absent_and_viewers_cannot_change_status(cli: Cli, tmp_path: Path) -> None:
    assert cli("import", str(write(tmp_path, VALID)))[0] == 0
    hidden = cli("pledge", "history", "small", "GBR-FS", nation="DEU")
    absent = cli("pledge", "history", "small", "XYZ-FS", nation="DEU")
    assert hidden[0] == absent[0] == 3 and hidden[2].replace("GBR-FS", "K") == absent[2].replace("XYZ-FS", "K")
    viewer = stored_user(cli.url, "GBR", Role.VIEWER, name="gbr-reader")
    code, _, err = cli("pledge", "status", "small", "GBR-FS", "deployed", "--date", "2027-02-01", user=viewer)
    assert code == 4 and "needs the planner role" in err

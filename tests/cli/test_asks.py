"""`reassure asks …`: the cycle on the command line, with --json: draft from a plan, send, answer in part, change the
pledge; another nation's planner is refused (exit 4) and a hidden ask is not found (exit 3)."""

from __future__ import annotations

import json
from pathlib import Path

from reassure.settings import Settings
from tests.conftest import Cli
from tests.domains.requests.test_asks_lifecycle import SHARED, asked_cycle


def test_the_cycle_on_the_command_line(cli: Cli, settings: Settings, tmp_path: Path) -> None:
    cycle = asked_cycle(settings, tmp_path, SHARED, draft=False)
    code, out, err = cli("asks", "from-plan", cycle.plan_id, "--date", "2026-12-01", "--answer-by", "2026-12-08",
                         "--json", nation="FRA")
    assert code == 0, err
    [ask] = json.loads(out)
    assert (ask["nation"], ask["quantity"], ask["state"], ask["plan"]) == ("FRA", 4, "drafted", cycle.plan_id)
    assert ask["answer_by"] == "2026-12-08"
    # France's follow-ups go to its analyst-planner (`followups owner set`; audited)
    code, out, err = cli("followups", "owner", "set", "fra-analyst-planner", "--json", nation="FRA")
    assert code == 0 and json.loads(out)["owner"] == "fra-analyst-planner", err
    assert cli("followups", "owner", "set", "gbr-analyst-planner", nation="FRA")[0] != 0  # not a user of France
    assert cli("asks", "send", ask["id"], "--date", "2026-12-02", nation="GBR")[0] == 4  # GBR did not draft it
    assert cli("asks", "send", ask["id"], "--date", "2026-12-02", nation="POL")[0] == 3  # POL cannot see it
    code, out, err = cli("asks", "send", ask["id"], "--date", "2026-12-02", nation="FRA")
    assert code == 0 and "sent" in out, err
    code, out, err = cli("asks", "answer", ask["id"], "part", "--accepted", "2", "--conditions", "From spring",
                         "--date", "2026-12-10", "--json", nation="FRA")
    assert code == 0, err
    assert json.loads(out)[0]["answer"] == "part" and json.loads(out)[0]["accepted"] == 2
    assert json.loads(out)[0]["late"]  # answered two days after it was due: France's follow-up, owned
    code, out, err = cli("followups", "list", "--json", nation="FRA")
    assert [(f["follows_kind"], f["follows_key"], f["owner"]) for f in json.loads(out)] == [
        ("ask", f"{ask['id']}/late", "fra-analyst-planner")], err
    code, out, err = cli("asks", "to-pledge", ask["id"], "--pledge", "FRA-FS", "--date", "2026-12-11", "--json",
                         nation="FRA")
    assert code == 0 and json.loads(out)[0]["pledge"] == "FRA-FS", err
    code, out, err = cli("asks", "list", "--nation", "FRA", nation="GBR")
    assert code == 0 and "pledged" in out and "From spring" in out, err
    assert json.loads(cli("asks", "list", "--open", "--json", nation="FRA")[1]) == []

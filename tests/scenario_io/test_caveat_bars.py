"""Issue 21 review: a pledge table did not re-import losslessly when a caveat's text holds a '|'.

Issue 21 asks for "export -> import is lossless". The pledge table flattens a pledge's caveats into three cells joined
by " | " (`scenario_io/tables.pledge_to_row`: texts, their tasks, their locations) and splits them on "|" again when
read (`row_to_pledge`); nothing escapes a '|' inside a caveat's text, which is free text (`schema.Caveat.text`). A
caveat stated as "Day | night patrols only" comes back as two caveats, and every later caveat's tasks and locations
shift onto the wrong text: here "No flights east of the Dnipro" loses the task it rules out (AIR-WEST), which moves
to "night patrols only". A planner who exports their pledges to a spreadsheet and imports them back (the documented
round trip) changes another nation's PUBLIC caveats, and with them what the planner's hard rules rule out. The same in
CSV and XLSX, since both go through the same flattening.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from reassure.db.uow import unit_of_work
from reassure.domains.scenarios.service import export_scenario
from reassure.settings import Settings
from tests.conftest import Cli, who
from tests.scenario_io.samples import VALID, write

CAVEATS = ('caveats: [{text: "Day | night patrols only"}, '
           '{text: No flights east of the Dnipro, tasks: [AIR-WEST]}]')
SCENARIO = VALID.replace("caveats: [{text: No flights east of the Dnipro, tasks: [AIR-WEST]}]", CAVEATS)


def _caveats(settings: Settings) -> list[dict[str, object]]:
    with unit_of_work(settings, identity=who("GBR")) as db:
        pledge = next(p for p in export_scenario("small", db=db)["pledges"] if p["key"] == "GBR-FS")
    return list(pledge["caveats"])


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_a_caveat_holding_a_bar_survives_the_pledge_table(cli: Cli, settings: Settings, tmp_path: Path,
                                                          suffix: str) -> None:
    assert SCENARIO != VALID
    assert cli("import", str(write(tmp_path, SCENARIO)))[0] == 0
    before = _caveats(settings)
    assert [c["text"] for c in before] == ["Day | night patrols only", "No flights east of the Dnipro"]
    table = tmp_path / f"pledges{suffix}"
    assert cli("export", "--scenario", "small", str(table), nation="GBR")[0] == 0

    code, out, err = cli("import", str(table), "--scenario", "small", nation="GBR")

    assert code == 0, err
    assert _caveats(settings) == before
    assert "changed 0 record(s)" in out

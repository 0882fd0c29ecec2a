"""`reassure movement`: record a restriction (analysts) and list what the reader may see, as text and --json."""

from __future__ import annotations

import json

from reassure.core.identity import Role
from tests.conftest import Cli, stored_user


def test_an_analyst_records_and_lists_restrictions(cli: Cli) -> None:
    code, out, err = cli("movement", "add", "--kind", "airspace_closure", "--from", "2026-03-02T06:00", "--region",
                         "Lviv oblast", "--source", "notam-log", "--publisher", "Air navigation service", "--grade",
                         "A2", "--marking", "REL TO GBR", "--place", "west of the Dnipro", nation="GBR")
    assert code == 0, err
    assert "airspace closure in Lviv Oblast" in out and "verified" in out
    code, out, _ = cli("movement", "--json", nation="GBR")
    (row,) = json.loads(out)
    assert (row["kind"], row["region"], row["end"], row["marking"]) == ("airspace_closure", "UA-46", None,
                                                                        "REL TO GBR")
    code, out, _ = cli("movement", nation="GBR")
    assert code == 0 and "airspace closure" in out and "in force" in out and "airspace_closure" not in out
    code, out, _ = cli("movement", "--json", nation="FRA")
    assert code == 0 and json.loads(out) == []
    viewer = stored_user(cli.url, "GBR", Role.VIEWER)
    code, _, err = cli("movement", "add", "--kind", "checkpoint", "--from", "2026-03-02", "--region", "UA-46",
                       "--source", "notam-log", "--grade", "A2", "--marking", "REL TO GBR", user=viewer)
    assert code == 4 and "analyst" in err
    code, _, err = cli("movement", "add", "--kind", "roadblock", "--from", "2026-03-02", "--region", "Atlantis",
                       "--source", "notam-log", "--grade", "A2", "--marking", "REL TO GBR", nation="GBR")
    assert code == 2 and "--kind" in err and "--region" in err
    code, _, err = cli("movement", "--kind", "roadblock", nation="GBR")
    assert code == 2

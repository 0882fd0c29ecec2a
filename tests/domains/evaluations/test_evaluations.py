"""Stored rule evaluations: kept with their evidence, marked like the incidents they rest on, listed as history."""

from __future__ import annotations

import json
from pathlib import Path

from reassure.core.identity import Role
from tests.conftest import Cli, stored_user

CSV = "time_start,time_end,model,launched,destroyed\n" + "\n".join(
    f"2025-01-{d:02d} 18:00,2025-01-{d + 1:02d} 08:00,Shahed-136/131,{120 + d},{100 + d}" for d in range(1, 9)) + "\n"


def test_an_evaluation_is_marked_like_the_incidents_it_rests_on(cli: Cli, tmp_path: Path) -> None:
    public, secret = tmp_path / "public.csv", tmp_path / "secret.csv"
    public.write_text(CSV, encoding="utf-8")
    secret.write_text(CSV.replace("2025-01-", "2025-02-"), encoding="utf-8")
    assert cli("ingest", "air-attacks", str(public), "--marking", "PUBLIC", nation="DEU")[0] == 0
    assert cli("ingest", "air-attacks", str(secret), "--marking", "REL TO FRA", nation="FRA")[0] == 0
    code, out, err = cli("rules", "check", "--store", nation="FRA")
    assert code == 10 and "stored 4 evaluation(s), marked REL TO FRA" in out, err  # 10: a trigger is met
    code, out, err = cli("rules", "check", "--store", nation="DEU")
    assert code in (0, 10, 11, 12) and "stored 4 evaluation(s), marked PUBLIC" in out, err
    fra = json.loads(cli("rules", "history", "--json", nation="FRA")[1])
    deu = json.loads(cli("rules", "history", "--json", nation="DEU")[1])
    # Each ingest also evaluates the rules for every nation with users (docs/adr/0021): more than the two checks'.
    assert len(fra) > len(deu) >= 3 and {e["marking"] for e in deu} == {"PUBLIC"}
    assert {e["marking"] for e in fra} == {"PUBLIC", "REL TO FRA"}
    sanctions = next(e for e in fra if e["rule_id"] == "sanctions-review-mass-attacks" and e["marking"] != "PUBLIC")
    assert sanctions["met"] and any(k.startswith("mmau:2025-02-") for k in sanctions["evidence"])
    assert not any(k.startswith("mmau:2025-02-") for e in deu for k in e["evidence"])


def test_only_analysts_store_evaluations(cli: Cli) -> None:
    viewer = stored_user(cli.url, "GBR", Role.VIEWER, name="gbr-reader")
    code, _, err = cli("rules", "check", "--store", user=viewer)
    assert code == 4 and "needs the analyst role" in err

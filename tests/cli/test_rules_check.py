"""`reassure rules check`: met, not met or unknown per rule, documented exit codes, and --json for scripts."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import Cli

CSV = "time_start,time_end,model,launched,destroyed\n" + "\n".join(
    f"2025-01-{d:02d} 18:00,2025-01-{d + 1:02d} 08:00,Shahed-136/131,{n},{n - 5}"
    for d, n in ((2, 150), (4, 160), (6, 170), (8, 20), (10, 30))) + "\n"


def _rules(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "rules.yaml"
    path.write_text(body, encoding="utf-8")
    return path


TRIGGER = """
- id: mass
  name: Mass attacks
  kind: trigger
  description: Illustrative test rule.
  action: Convene.
  conditions:
    - indicator: attacks_over_threshold
      params: {threshold: 100}
      window: 10
      aggregate: sum
      comparator: ">="
      threshold: 3
"""
QUIET = """
- id: calm
  name: No violations
  kind: exit_condition
  description: Illustrative test rule.
  action: Draw down.
  conditions:
    - id: few-violations
      indicator: violations
      period: day
      comparator: "<"
      threshold: 1
"""
LOUD = """
- id: loud
  name: Big day
  kind: alert
  description: Illustrative test rule.
  action: Alert.
  conditions:
    - indicator: launched
      comparator: ">"
      threshold: 1000
"""


def test_check_exit_codes_and_json(cli: Cli, tmp_path: Path) -> None:
    feed = tmp_path / "attacks.csv"
    feed.write_text(CSV, encoding="utf-8")
    code, _, err = cli("ingest", "air-attacks", str(feed), "--marking", "PUBLIC")
    assert code == 0, err

    # A trigger met: exit 10, whatever else is unknown.
    code, out, err = cli("rules", "check", "--rules", str(_rules(tmp_path, TRIGGER + QUIET)), "--at", "2025-01-10")
    assert code == 10, err
    assert "MET" in out and "UNKNOWN" in out and "exit code 10" in out
    assert "what the data covers: mmau (air attack): 2025-01-02 to 2025-01-10" in out

    # Nothing met, one state unknown (no source reports violations): exit 12, and the JSON says why.
    code, out, err = cli("rules", "check", "--json", "--rules", str(_rules(tmp_path, QUIET + LOUD)))
    assert code == 12, err
    data = json.loads(out)
    assert data["outcome"] == "unknown" and data["exit_code"] == 12 and data["evaluated_at"].endswith("+00:00")
    states = {r["rule_id"]: r["state"] for r in data["rules"]}
    assert states == {"calm": "unknown", "loud": "not_met"}
    calm = next(r for r in data["rules"] if r["rule_id"] == "calm")
    assert calm["met"] is False and calm["conditions"][0]["state"] == "unknown"
    assert calm["conditions"][0]["coverage"] == []  # no source of ceasefire violations at all
    assert calm["coverage"] == [{"source": "mmau", "kind": "air_attack", "first": "2025-01-02",
                                 "last": "2025-01-10", "declared": False}]

    # An exit condition met (nothing else met, nothing unknown): exit 11.
    exit_met = LOUD.replace("kind: alert", "kind: exit_condition").replace('">"', '"<"')
    code, out, err = cli("rules", "check", "--rules", str(_rules(tmp_path, exit_met)))
    assert code == 11, err

    # Every state known, nothing met: exit 0.
    code, out, err = cli("rules", "check", "--json", "--rules", str(_rules(tmp_path, LOUD)))
    assert code == 0, err
    assert json.loads(out)["outcome"] == "clear"

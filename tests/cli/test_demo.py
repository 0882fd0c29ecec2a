"""`reassure demo` builds the database from bundled data and prints the coalition summary."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import Cli


def test_the_demo_builds_labels_assumptions_and_a_rerun_replaces_its_plans(cli: Cli, tmp_path: Path) -> None:
    """One flow per database (a demo run costs 10-30 s, so its runs serve every check): the first run on an empty
    database (its first admin) labels facts and assumptions and sets its admin's landing page; two reports of a newer
    night are ingested; the re-run says the registry is up to date, shows that night's accounts side by side,
    replaces the demo's plans and still says what the German viewer does not see."""
    counts = []
    for run in range(2):
        if run == 1:  # a newer night with two sources: the re-run's summary must choose it, not a fixed night
            for outlet, figure in (("wire", "60"), ("broadcaster", "61")):
                path = tmp_path / f"{outlet}.txt"
                path.write_text(f"Russia launched {figure} Shahed drones at Ukraine overnight on 10 October 2025.",
                                encoding="utf-8")
                code, _, err = cli("ingest", "report", "--marking", "PUBLIC", str(path), "--publisher", outlet)
                assert code == 0, err
        code, out, err = cli("demo", "--plan-seconds", "1" if run == 0 else "0.5", "--brief-dir", str(tmp_path),
                             user="demo-admin")
        assert code == 0, err
        if run == 0:
            _first_run(cli, out)
        else:
            assert "already up to date" in out
            assert "accounts side by side of the most recent attack night with accounts from two or more sources " \
                   "(2025-10-10)" in out
            assert "file-wire" in out and "file-broadcaster" in out
        flat = " ".join(out.split())
        assert "the demo viewer of Germany (demo-viewer-deu) sees 72 of the 75 pledges you see: 3 are released only " \
               "to FRA, GBR" in flat
        assert "stored the plan and its no-backstop re-plan (REL TO FRA, GBR)" in flat
        assert ("replacing the 2 plan(s) of the demo's earlier run" in flat) == (run == 1)
        assert "stored Germany's own plan as demo-admin-deu, from the 106 units released to DEU" in flat
        assert "marked PUBLIC" in flat
        plans = json.loads(cli("plans", "list", "--json", user="demo-admin")[1])
        counts.append(sorted((p["label"], p["marking"]) for p in plans))
    assert counts[0] == counts[1] == [("demo", "REL TO FRA, GBR"), ("demo: no US backstop", "REL TO FRA, GBR"),
                                      ("demo: the records released to DEU", "PUBLIC")]
    german = json.loads(cli("plans", "list", "--json", user="demo-viewer-deu")[1])
    assert [p["label"] for p in german] == ["demo: the records released to DEU"]
    code, out, _ = cli("pledges", "--scenario", "illustrative", "--json", user="demo-viewer-deu")
    assert code == 0 and len(json.loads(out)) == 72


def _first_run(cli: Cli, out: str) -> None:
    """What the first run on an empty database prints, and the registry it leaves."""
    assert "first build" in out
    for heading in ("Paris, 4 Sep 2025", "Reported national positions", "PLANNING ASSUMPTIONS",
                    "Pledged force by domain (assumed)", "Pledged units by nation (assumed)"):
        assert heading in out
    assert "112 drones launched" in out and "26 countries" in out
    assert "verified" in out and "unconfirmed" in out
    # 27 nations (26 + US backstop), 75 pledges, 110 units: TUR-FRG's undisclosed size plans on a prior of 2
    assert "│ all     │      27 │      75 │   110 │" in out
    assert "Rotation plan" in out and "computed from planning assumptions" in out
    assert "optimised (CP-SAT)" in out and "greedy baseline" in out and "Largest gaps and why" in out
    assert "What if the US backstop is absent?" in out and "the nation's conditions are not met" in out
    assert "Robustness (10,000 samples" in out
    assert "Security situation" in out
    # chosen as the brief chooses: the newest night with accounts from two or more sources, not a fixed night
    assert "accounts side by side of the most recent attack night with accounts from two or more sources" in out
    assert "seed-002" in out and "≥100" in out  # the second article's 'over 100', beside seed-000's 112
    assert "sanctions-review-mass-attacks" in out and "planning assumptions, not agreed policy" in out
    assert "(2025-09-04)" in out  # the seed night (no public data here)
    assert "FRA's pages and briefs open on scenario illustrative" in out  # the demo sets its admin's landing page
    code, listed, _ = cli("nation", "default-scenario", "--json", user="demo-admin")
    assert code == 0 and json.loads(listed)[0]["scenario"] == "illustrative"
    assert json.loads(listed)[0]["nation"] == "FRA"
    assert json.loads(cli("nation", "default-scenario", "--json", nation="DEU")[1])[0]["scenario"] is None
    # the registry's listings on the demo database
    code, out, _ = cli("pledges", "--nation", "POL")
    assert code == 0 and "POL-LOG" in out and "No Polish" in out and "FRA-" not in out
    code, out, _ = cli("pledges", "--nation", "TUR", "--json")
    turkish = {p["key"]: p for p in json.loads(out)}
    assert code == 0 and (turkish["TUR-FRG"]["planned_units"], turkish["TUR-FRG"]["planned_basis"]) == (2, "prior")
    assert "planning assumption" in turkish["TUR-FRG"]["planned_note"] and "large" in turkish["TUR-FRG"]["planned_note"]
    code, out, _ = cli("claims", "--standing", "verified")
    assert code == 0 and "unconfirmed" not in out and "B2" in out
    code, out, _ = cli("sources")
    assert code == 0 and "seed-000" in out and "wb-wdi-gdp" in out
    code, out, _ = cli("scenarios")
    assert code == 0 and "illustrative" in out and "us_backstop=on" in out

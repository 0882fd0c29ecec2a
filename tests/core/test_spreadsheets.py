"""Spreadsheet cells (issue 21, item 3): a text a spreadsheet would evaluate is neutralised in every CSV and XLSX cell,
reversibly, so export then import gives back every text, including texts that start with the marker itself."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from reassure.core.spreadsheets import (
    FORMULA_STARTS,
    csv_text,
    neutralise,
    read_xlsx_text,
    restore,
    would_evaluate,
    xlsx_bytes,
)

HOSTILE = ["=1+1", "+1+1", "-1+1", "@SUM(1,2)", "\t=1+1", "\r=1+1", "=cmd|' /C calc'!A0", "'=1+1", "'",
           "＝1+1", "=HYPERLINK(\"http://example.org\",\"x\")"]


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_texts_are_neutralised_and_restored(text: str) -> None:
    cell = neutralise(text)
    assert cell.startswith("'") and not would_evaluate(cell)
    assert restore(cell) == text


@pytest.mark.parametrize("text", ["plain", "2 squadrons", "", "a=b", "Kyiv-Odesa", "x'"])
def test_harmless_texts_are_left_alone(text: str) -> None:
    assert neutralise(text) == text and restore(text) == text


def test_every_formula_start_is_covered() -> None:
    for start in FORMULA_STARTS:
        assert neutralise(start + "1").startswith("'")


def _csv_round_trip(texts: list[str], *, bom: bool) -> list[str]:
    data = csv_text(["a"], [[t] for t in texts], bom=bom).encode("utf-8")
    assert data.startswith(b"\xef\xbb\xbf") is bom
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert rows[0] == ["a"]
    cells = [r[0] if r else "" for r in rows[1:]]
    for cell in cells:
        assert not would_evaluate(cell), cell  # nothing a spreadsheet would run
    return [restore(c) for c in cells]


def _xlsx_round_trip(texts: list[str]) -> list[str]:
    book = load_workbook(io.BytesIO(xlsx_bytes(["a"], [[t] for t in texts], title="t")))
    sheet = book.active
    assert sheet is not None
    cells = [row[0] for row in sheet.iter_rows(min_row=2)]
    assert all(c.data_type != "f" for c in cells)
    return [read_xlsx_text(c.value) if isinstance(c.value, str) else ("" if c.value is None else c.value)
            for c in cells]


# Every text a database stores (no NUL, no lone surrogate): export then import gives it back exactly.
STORED_TEXT = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), min_size=1,
                      max_size=40)


@given(st.lists(STORED_TEXT | st.sampled_from(HOSTILE), min_size=1, max_size=6))
@settings(max_examples=300, deadline=None)
def test_csv_round_trip_is_lossless(texts: list[str]) -> None:
    assert _csv_round_trip(texts, bom=False) == texts
    assert _csv_round_trip(texts, bom=True) == texts


@given(st.lists(STORED_TEXT | st.sampled_from(HOSTILE), min_size=1, max_size=6))
@settings(max_examples=150, deadline=None)
def test_xlsx_round_trip_is_lossless(texts: list[str]) -> None:
    assert _xlsx_round_trip(texts) == texts


def test_xlsx_cells_are_typed_strings_numbers_and_dates() -> None:
    moment = datetime(2025, 3, 1, 12, 30, tzinfo=UTC)
    data = xlsx_bytes(["text", "int", "float", "day", "moment", "flag", "empty"],
                      [["=1+1", 3, 0.5, date(2027, 1, 1), moment, True, None]], title="t")
    sheet = load_workbook(io.BytesIO(data)).active
    assert sheet is not None
    text, count, share, day, when, flag, empty = next(sheet.iter_rows(min_row=2))
    assert (text.value, text.data_type, text.quotePrefix) == ("=1+1", "s", True)
    assert (count.value, count.data_type) == (3, "n") and (share.value, share.data_type) == (0.5, "n")
    assert day.is_date and day.value == datetime(2027, 1, 1) and day.number_format == "yyyy-mm-dd"
    assert when.is_date and when.value == datetime(2025, 3, 1, 12, 30)  # UTC, as Excel has no time zones
    assert flag.value is True and empty.value is None

"""Pledge tables in CSV or XLSX: one pledge a row, flattened to the columns below.

Cells are written and read through core/spreadsheets.py (ADR 0015): a CSV text a spreadsheet would evaluate carries
one leading apostrophe, which the reader removes; XLSX cells are typed (text never a formula, dates real dates), so
export then import gives back every text.
"""

from __future__ import annotations

import csv
import io
from datetime import datetime
from pathlib import Path
from typing import Any

from reassure.core.errors import Problem
from reassure.core.spreadsheets import csv_text, read_xlsx_text, restore, xlsx_bytes
from reassure.core.text_files import MAX_BYTES, InputFileError, read_text
from reassure.scenario_io.locate import Locator

COLUMNS = (
    "key", "nation", "capability", "domain", "quantity", "personnel_per_unit", "where",
    "available_from", "available_to", "max_tour", "min_dwell", "conditions", "caveats",
    "caveat_tasks", "caveat_locations", "status", "probability", "notice", "standing", "grade", "sources",
    "marking", "notes",
)
REQUIRED = ("key", "nation", "capability", "quantity", "personnel_per_unit", "where", "available_from",
            "available_to", "max_tour", "min_dwell")
# Where a document field sits in the table, so errors name the column the user sees.
FIELD_TO_COLUMN = {("window", "from"): "available_from", ("window", "to"): "available_to",
                   ("window",): "available_from/available_to", ("rotation", "max_tour"): "max_tour",
                   ("rotation", "min_dwell"): "min_dwell", ("caveats",): "caveats"}
CAVEAT_SEPARATOR = " | "


def read_rows(path: Path) -> list[dict[str, Any]]:
    """Read a CSV or XLSX sheet into header-keyed rows (cells stripped, empty cells dropped)."""
    if path.suffix.lower() == ".xlsx":
        return _xlsx_rows(path)
    reader = csv.reader(io.StringIO(read_text(path), newline=""))
    try:
        header = next(reader, None)
        if header is None:
            raise InputFileError([Problem(str(path), "row 1", "", "the table is empty: expected a header row")])
        names = [h.strip() for h in header]
        _check_header(path, names)
        rows = []
        for number, row in enumerate(reader, start=2):
            if len(row) > len(names) and any(cell.strip() for cell in row[len(names):]):
                raise InputFileError([Problem(str(path), f"row {number}", "", f"{len(row)} cells but the header "
                                                 f"names {len(names)} columns (a stray comma or an unquoted value?)")])
            rows.append(clean_row(dict(zip(names, row, strict=False)), escaped=True))
        return rows
    except csv.Error as error:
        problem = Problem(str(path), f"row {reader.line_num}", "", f"not a readable CSV: {error}")
        raise InputFileError([problem]) from None


def _xlsx_rows(path: Path) -> list[dict[str, Any]]:
    from openpyxl import load_workbook

    if path.stat().st_size > MAX_BYTES:
        raise InputFileError([Problem(str(path), "", "", f"the workbook is larger than {MAX_BYTES:,} bytes")])
    try:
        book = load_workbook(path, read_only=True, data_only=True)
        if not book.worksheets:
            raise InputFileError([Problem(str(path), "", "", "the workbook has no sheet")])
        rows = list(book.worksheets[0].iter_rows(values_only=True))
    except InputFileError:
        raise
    except Exception as error:  # openpyxl and zipfile raise many kinds for a damaged or foreign file
        raise InputFileError([Problem(str(path), "", "", f"not a readable XLSX workbook "
                                         f"({type(error).__name__}): save it from a spreadsheet as .xlsx")]) from None
    if not rows:
        raise InputFileError([Problem(str(path), "row 1", "", "the sheet is empty: expected a header row")])
    header = [read_xlsx_text(str(h)).strip() if h is not None else "" for h in rows[0]]
    _check_header(path, header)
    return [clean_row({name: read_xlsx_text(v) if isinstance(v, str) else v
                       for name, v in zip(header, row, strict=False)}) for row in rows[1:]]


def _check_header(path: Path, header: list[str]) -> None:
    problems = [Problem(str(path), "row 1", name or "(blank)", f"unknown column; expected some of {', '.join(COLUMNS)}")
                for name in header if name not in COLUMNS]
    problems += [Problem(str(path), "row 1", name, "required column is missing")
                 for name in REQUIRED if name not in header]
    if problems:
        raise InputFileError(problems)


def clean_row(row: dict[str, Any], *, escaped: bool = False) -> dict[str, Any]:
    """Drop empty cells, strip text, read date-times as dates; `escaped` (CSV) removes the neutralising apostrophe."""
    out: dict[str, Any] = {}
    for key, value in row.items():
        if isinstance(value, datetime):
            value = value.date()
        if isinstance(value, str):
            value = restore(value.strip()) if escaped else value.strip()
        if value not in (None, ""):
            out[key] = value
    return out


def row_to_pledge(row: dict[str, Any]) -> dict[str, Any]:
    """Turn one table row into a pledge entry of the scenario document."""
    pledge = {k: v for k, v in row.items() if k in COLUMNS and k not in (
        "available_from", "available_to", "max_tour", "min_dwell", "caveats", "caveat_tasks",
        "caveat_locations")}
    pledge["window"] = {"from": row.get("available_from"), "to": row.get("available_to")}
    pledge["rotation"] = {"max_tour": row.get("max_tour"), "min_dwell": row.get("min_dwell")}
    if "where" in pledge:
        pledge["where"] = [w.strip() for w in str(pledge["where"]).split(";") if w.strip()]
    if "caveats" in row:
        texts = split_caveats(str(row["caveats"]))
        tasks = split_caveats(str(row.get("caveat_tasks", "")))
        places = split_caveats(str(row.get("caveat_locations", "")))
        pledge["caveats"] = [
            {"text": text.strip(),
             "tasks": _part(tasks, i),
             "locations": [p for p in _part(places, i).split(";") if p]}
            for i, text in enumerate(texts)
        ]
    return pledge


def join_caveats(parts: list[str]) -> str:
    """Join one cell's caveat parts with " | ", a '|' or '\\' inside a part written as '\\|' or '\\\\' (so free
    text such as "Day | night patrols only" stays one caveat: split_caveats is the inverse)."""
    return CAVEAT_SEPARATOR.join(part.replace("\\", "\\\\").replace("|", "\\|") for part in parts)


def split_caveats(cell: str) -> list[str]:
    """Split a caveat cell at each '|' not escaped by a backslash, undoing join_caveats' escapes (a backslash before
    anything else is kept as written, so a cell typed by hand with a Windows path reads as typed)."""
    parts, current, chars = [], [], iter(cell)
    for char in chars:
        if char == "\\":
            following = next(chars, "")
            current.append(following if following in ("|", "\\") else char + following)
        elif char == "|":
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    parts.append("".join(current))
    return parts


def _part(parts: list[str], index: int) -> str:
    return parts[index].strip() if index < len(parts) else ""


def mark_rows(locator: Locator, file: str, first_index: int, rows: list[dict[str, Any]]) -> None:
    """Record each row's number (header is row 1) and each field's column for error messages."""
    for offset, row in enumerate(rows):
        index = first_index + offset
        where = f"row {offset + 2}"
        locator.mark(("pledges", index), file, where, field=f"key {row.get('key', '?')}")
        for column in COLUMNS:
            locator.mark(("pledges", index, column), file, where, field=column)
        for field_path, column in FIELD_TO_COLUMN.items():
            locator.mark(("pledges", index, *field_path), file, where, field=column)


def pledge_to_row(pledge: dict[str, Any]) -> dict[str, Any]:
    """Flatten an exported pledge entry into a table row (the inverse of row_to_pledge)."""
    row: dict[str, Any] = {c: "" for c in COLUMNS}
    for key in ("key", "nation", "capability", "domain", "quantity", "personnel_per_unit", "status",
                "probability", "notice", "standing", "grade", "marking", "notes"):
        value = pledge.get(key)
        row[key] = "" if value is None else value
    row["where"] = ";".join(pledge["where"])
    row["available_from"], row["available_to"] = pledge["window"]["from"], pledge["window"]["to"]
    row["max_tour"], row["min_dwell"] = pledge["rotation"]["max_tour"], pledge["rotation"]["min_dwell"]
    row["conditions"] = ";".join(pledge.get("conditions", []))
    row["sources"] = ";".join(pledge.get("sources", []))
    caveats = pledge.get("caveats", [])
    row["caveats"] = join_caveats([c["text"] for c in caveats])
    row["caveat_tasks"] = join_caveats([";".join(c.get("tasks", [])) for c in caveats]) if caveats else ""
    row["caveat_locations"] = (join_caveats([";".join(c.get("locations", [])) for c in caveats])
                               if caveats else "")
    return row


def write_rows(path: Path, rows: list[dict[str, Any]], *, bom: bool = False) -> None:
    """Write pledge rows as CSV or XLSX by the file's suffix (`bom`: a CSV starts with a byte-order mark)."""
    path.write_bytes(rows_bytes(rows, "xlsx" if path.suffix.lower() == ".xlsx" else "csv", bom=bom))


def rows_bytes(rows: list[dict[str, Any]], fmt: str, *, bom: bool = False) -> bytes:
    """Return pledge rows as the bytes of a CSV (UTF-8, a byte-order mark first with `bom`) or XLSX file that
    `reassure import` reads back."""
    cells = [[row.get(c) for c in COLUMNS] for row in rows]
    if fmt == "xlsx":
        return xlsx_bytes(COLUMNS, cells, title="pledges")
    return csv_text(COLUMNS, cells, bom=bom).encode("utf-8")

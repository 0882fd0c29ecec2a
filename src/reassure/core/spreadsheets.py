"""Spreadsheet cells: every CSV and XLSX the system writes goes through here, so no stored text becomes a formula.

A spreadsheet evaluates a cell that starts with `=`, `+`, `-` or `@` (and, in some programs, a tab or a carriage
return before one, or the full-width forms that an input method types). Stored text is data, never code (ADR 0015):

- CSV: such a text gets one leading apostrophe, the spreadsheet's own "this is text" marker. A text that already
  starts with an apostrophe gets one too, so the escape is reversible: `restore` removes exactly one leading
  apostrophe, and export then import gives back every text.
- XLSX: a text is written as a typed string cell, never a formula, with the quote-prefix style when it looks like a
  formula (so editing the cell keeps it text); numbers are numbers and dates real dates. Characters that XML cannot
  carry are written in OOXML's `_xHHHH_` escape (a literal `_xHHHH_` as `_x005F_xHHHH_`), which `read_xlsx_text`
  undoes, as Excel does. An XLSX text needs no apostrophe, so an XLSX holds every text exactly.

A byte-order mark is offered for spreadsheet programs that guess the encoding of a CSV without one (Excel on
Windows); it is off by default, since RFC 4180 readers and scripts take it as part of the first header.
"""

from __future__ import annotations

import csv
import io
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, date, datetime
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")
TEXT_MARK = "'"  # a spreadsheet's marker for "this cell is text"; CSV cells starting with it are escaped too
BOM = "\ufeff"
DATE_FORMAT = "yyyy-mm-dd"
MOMENT_FORMAT = "yyyy-mm-dd hh:mm:ss"
# XML cannot carry most control characters, and reads a carriage return as a line feed: both are escaped.
_XML_UNSAFE = re.compile(r"_(?=x[0-9A-Fa-f]{4}_)|[\x00-\x08\x0b-\x1f\ufffe\uffff]")
_OOXML_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")


def would_evaluate(text: str) -> bool:
    """Tell whether a spreadsheet would read this text as (the start of) a formula."""
    return text.startswith(FORMULA_STARTS)


def neutralise(text: str) -> str:
    """Return a text as a CSV cell no spreadsheet evaluates: one apostrophe before a formula start or an apostrophe."""
    return TEXT_MARK + text if text.startswith(FORMULA_STARTS) or text.startswith(TEXT_MARK) else text


def restore(cell: str) -> str:
    """Undo `neutralise`: drop one leading apostrophe (a spreadsheet's text marker) from a CSV cell."""
    return cell[1:] if cell.startswith(TEXT_MARK) else cell


def plain(value: Any) -> str:
    """Return a value as the text of one cell, before neutralising: ISO dates, lists joined by '; '."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, (list, tuple, set, frozenset)):
        return "; ".join(plain(v) for v in value)
    if isinstance(value, Mapping):
        return "; ".join(f"{k}={plain(v)}" for k, v in value.items())
    return str(value)


def csv_cell(value: Any) -> str:
    """Return one CSV cell: numbers as they are, anything else as text neutralised (see the module's docstring)."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return plain(value)
    return neutralise(plain(value))


def csv_text(header: Sequence[str], rows: Iterable[Sequence[Any]], *, bom: bool = False) -> str:
    """Return a table as CSV text: a header line, then one line per row (CRLF line ends, as RFC 4180 says)."""
    out = io.StringIO(newline="")
    if bom:
        out.write(BOM)
    writer = csv.writer(out)
    writer.writerow([neutralise(h) for h in header])
    writer.writerows([csv_cell(v) for v in row] for row in rows)
    return out.getvalue()


def csv_dicts(rows: Iterable[Mapping[str, Any]], columns: Sequence[str] | None = None, *, bom: bool = False) -> str:
    """Return dict rows as CSV text, the header from the first row's keys unless `columns` names them."""
    listed = list(rows)
    header = list(columns or (listed[0].keys() if listed else []))
    if not header:
        return BOM if bom else ""
    return csv_text(header, ([row.get(c) for c in header] for row in listed), bom=bom)


def xlsx_bytes(header: Sequence[str], rows: Iterable[Sequence[Any]], *, title: str) -> bytes:
    """Return a table as the bytes of an XLSX workbook of one sheet, every cell typed (never a formula)."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = title[:31]
    for r, row in enumerate([header, *rows], start=1):
        for c, value in enumerate(row, start=1):
            _xlsx_cell(sheet.cell(row=r, column=c), value)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _xlsx_cell(cell: Any, value: Any) -> None:
    """Write one value into an openpyxl cell with its type forced: text never becomes a formula."""
    if value is None or value == "":
        return
    if isinstance(value, bool) or (isinstance(value, int) and not isinstance(value, bool)):
        cell.value = value
    elif isinstance(value, float):
        if math.isfinite(value):
            cell.value = value
        else:
            _xlsx_text(cell, repr(value))
    elif isinstance(value, datetime):
        moment = value.astimezone(UTC).replace(tzinfo=None) if value.tzinfo else value  # Excel has no time zones
        cell.value, cell.number_format = moment, MOMENT_FORMAT
    elif isinstance(value, date):
        cell.value, cell.number_format = value, DATE_FORMAT
    else:
        _xlsx_text(cell, plain(value))


def _xlsx_text(cell: Any, text: str) -> None:
    cell.value = _XML_UNSAFE.sub(lambda m: f"_x{ord(m.group()):04X}_", text)
    cell.data_type = "s"  # openpyxl takes a text starting with "=" for a formula unless the type is forced
    if would_evaluate(text):
        cell.quotePrefix = True


def read_xlsx_text(value: str) -> str:
    """Return the text an XLSX string cell holds, OOXML's `_xHHHH_` escapes undone (as spreadsheets show it)."""
    return _OOXML_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), value) if "_x" in value else value

"""Rows as CSV: a header from the first row's keys (or the given columns), values as text, lists joined by '; '.

Every cell goes through core/spreadsheets.py: a text a spreadsheet would evaluate is neutralised (ADR 0015).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from reassure.core.spreadsheets import csv_cell, csv_dicts


def cell(value: Any) -> str:
    """Return one CSV cell: empty for None, ISO dates, lists joined; text a spreadsheet would evaluate is
    neutralised with a leading apostrophe (core/spreadsheets.py), numbers are left as they are."""
    return csv_cell(value)


def to_csv(rows: Iterable[Mapping[str, Any]], columns: Sequence[str] | None = None, *, bom: bool = False) -> str:
    """Return rows as CSV text with a header line (CRLF line ends, as RFC 4180 says); `bom` starts it with a
    byte-order mark for spreadsheet programs that need one to read UTF-8."""
    return csv_dicts(rows, columns, bom=bom)

"""Write a scenario document (as `reassure export` produces it) to YAML, or its pledges to a CSV/XLSX table."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from reassure.scenario_io.tables import pledge_to_row, rows_bytes, write_rows


def write_document(document: dict[str, Any], path: Path, *, bom: bool = False) -> None:
    """Write a document as YAML, or its pledges as a CSV/XLSX table, by the file's suffix (`bom`: a CSV starts with
    a byte-order mark)."""
    if path.suffix.lower() in (".csv", ".xlsx"):
        write_rows(path, [pledge_to_row(p) for p in document.get("pledges", [])], bom=bom)
        return
    path.write_text(document_yaml(document), encoding="utf-8")


def document_yaml(document: dict[str, Any]) -> str:
    """Return a document as the YAML `reassure import` reads back."""
    return yaml.safe_dump(document, sort_keys=False, allow_unicode=True, width=110)


def pledge_table(document: dict[str, Any], fmt: str, *, bom: bool = False) -> bytes:
    """Return a document's pledges as a CSV or XLSX table (`fmt` 'csv' or 'xlsx'; `bom` for a CSV's byte-order
    mark). Cells a spreadsheet would evaluate are neutralised (core/spreadsheets.py)."""
    return rows_bytes([pledge_to_row(p) for p in document.get("pledges", [])], fmt, bom=bom)

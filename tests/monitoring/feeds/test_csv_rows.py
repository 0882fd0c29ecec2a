"""A CSV feed with a cell past the csv module's field limit (131,072 characters) is bad input named by row, never
an unhandled csv.Error (a 500 on the analyst's ingest page, a traceback in the CLI)."""

from __future__ import annotations

from pathlib import Path

import pytest

from reassure.core.text_files import InputFileError
from reassure.monitoring.feeds.csv_rows import CsvFile, Row

HEADER = "time_start,time_end,model,launched,destroyed"
HUGE = "x" * 200_000


def test_a_header_cell_past_the_field_limit_is_a_problem_of_row_1(tmp_path: Path) -> None:
    path = tmp_path / "attacks.csv"
    path.write_text(f'"{HUGE}",time_end\n', encoding="utf-8")
    with pytest.raises(InputFileError) as raised:
        CsvFile(path, ("time_start",))
    assert [(p.where, p.field) for p in raised.value.problems] == [("row 1", "header")]


def test_a_row_with_a_cell_past_the_field_limit_is_that_rows_problem_and_the_next_rows_are_read(tmp_path: Path) -> None:
    path = tmp_path / "attacks.csv"
    good = "2025-05-01 18:00,2025-05-02 08:00,Shahed-136/131,20,10"
    path.write_text(f'{HEADER}\n{good}\n2025-05-02 18:00,x,"{HUGE}",1,1\n{good}\n', encoding="utf-8")
    rows = list(CsvFile(path, ("time_start",)).rows())
    assert [r.number if isinstance(r, Row) else r.where for r in rows] == [2, "row 3", 4]

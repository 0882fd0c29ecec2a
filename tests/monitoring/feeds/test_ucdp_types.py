"""UCDP events keep their own type of violence (state-based, non-state, one-sided) and their region's code."""

from __future__ import annotations

from pathlib import Path

from reassure.monitoring.feeds.ucdp_csv import read_ucdp

HEADER = ("id,type_of_violence,date_start,date_end,best,low,high,where_prec,event_clarity,number_of_sources,"
          "date_prec,adm_1,side_a,side_b")
ROWS = [
    "1001,1,2025-09-20,2025-09-20,2,2,3,1,1,2,1,Donetsk oblast,Government of Russia,Government of Ukraine",
    "1002,2,2025-10-05,2025-10-05,1,1,1,1,1,2,1,Kharkiv oblast,Group A,Group B",
    "1003,3,2025-10-12,2025-10-12,4,4,4,1,1,2,1,Zaporizhzhya oblast,Government of Russia,Civilians",
]


def ucdp_file(tmp_path: Path, rows: list[str] = ROWS) -> Path:
    """Write a small UCDP GED extract and return its path."""
    path = tmp_path / "ucdp.csv"
    path.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    return path


def test_each_event_keeps_its_ucdp_type_and_region_code(tmp_path: Path) -> None:
    parsed = read_ucdp(ucdp_file(tmp_path))
    assert not parsed.problems
    got = [(a.external_ref, a.kind, a.event_type, a.region_codes()) for a in parsed.accounts]
    assert got == [("1001", "ceasefire_violation", "state_based", ["UA-14"]),
                   ("1002", "ceasefire_violation", "non_state", ["UA-63"]),
                   ("1003", "other", "one_sided", ["UA-23"])]


def test_an_unknown_type_is_refused_naming_row_and_column(tmp_path: Path) -> None:
    parsed = read_ucdp(ucdp_file(tmp_path, [ROWS[0].replace(",1,2025", ",4,2025", 1)]))
    assert not parsed.accounts
    (problem,) = parsed.problems
    assert problem.field == "type_of_violence" and "row 2" in problem.where

"""Tables at 80 columns (a pipe): too wide, a table prints as records with whole headers; narrow, as a table."""

from __future__ import annotations

import io

from rich.table import Table

from reassure.cli.output import FittingConsole


def _console(width: int) -> tuple[FittingConsole, io.StringIO]:
    out = io.StringIO()
    return FittingConsole(file=out, width=width, force_terminal=False, color_system=None), out


def _wide() -> Table:
    table = Table(title="Indicators per month")
    for column in ("period", "attacks", "launched", "destroyed", "suppressed", "neutralized", "destroyed rate",
                   "neutralized rate", "ceasefire violations"):
        table.add_column(column)
    table.add_row("2026-05-01", "69", "10,098", "9,305", "9", "7,529", "92.1% [91.6%–92.7%]", "91.5% [90.9%–92.1%]",
                  "0")
    return table


def test_a_table_too_wide_for_80_columns_prints_as_records_with_whole_headers() -> None:
    console, out = _console(80)
    console.print(_wide())
    text = out.getvalue()
    assert "…" not in text and "period: 2026-05-01" in text
    assert "ceasefire violations: 0" in " ".join(text.split()) and "92.1% [91.6%–92.7%]" in text
    assert max(len(line.rstrip()) for line in text.splitlines()) <= 80


def test_a_table_that_fits_prints_as_a_table() -> None:
    console, out = _console(200)
    console.print(_wide())
    assert "┃ period" in out.getvalue() or "period  " in out.getvalue()
    assert "period: " not in out.getvalue()


def test_markup_in_data_stays_text_in_records() -> None:
    console, out = _console(40)
    table = Table("key", "statement", "grade", "sources")
    table.add_row("a", "\\[1] reported by [b]two[/b]", "B2", "seed-000")
    console.print(table)
    assert "[1]" in out.getvalue()

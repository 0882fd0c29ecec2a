"""The CLI's console: a table too wide for the terminal (or for the 80 columns of a pipe) is printed as one block
of "header: value" lines per row instead of being squeezed until headers read `launc…`.
"""

from __future__ import annotations

from typing import Any

from rich.console import Console, Group, RenderableType
from rich.measure import Measurement
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

STANDING_STYLE = {"verified": "green", "unconfirmed": "yellow", "assumption": "cyan", "conflicting": "red"}


def fits(console: Console, table: Table) -> bool:
    """Tell whether a table can be drawn at the console's width without cutting a word."""
    unbounded = console.options.update(width=100_000)  # Rich clamps a measure to the width it is given
    return Measurement.get(console, unbounded, table).minimum <= console.width


def as_records(table: Table) -> RenderableType:
    """Return a table as records: each row's first cell as a heading, then one 'header: value' line per column."""
    columns = table.columns
    headers = [str(c.header) if str(c.header).strip() else "" for c in columns]
    cells = [list(c.cells) for c in columns]
    parts: list[RenderableType] = []
    if table.title:
        parts.append(Text.from_markup(str(table.title), style="bold") if isinstance(table.title, str) else table.title)
    for row in range(table.row_count):
        first = cells[0][row] if cells and row < len(cells[0]) else ""
        heading = Text.assemble((f"{headers[0]}: " if headers[0] else "", "dim"))
        grid = Table.grid(padding=(0, 1))
        grid.add_column(style="dim", no_wrap=True)
        grid.add_column(overflow="fold")
        for header, column in zip(headers[1:], cells[1:], strict=True):
            grid.add_row(f"{header}:" if header else "", column[row] if row < len(column) else "")
        parts.append(Group(Text.assemble(heading, Text.from_markup(first) if isinstance(first, str) else ""),
                           *([] if isinstance(first, str) else [first]), Padding(grid, (0, 0, 0, 2))))
    if table.caption:
        parts.append(Text.from_markup(str(table.caption), style="dim") if isinstance(table.caption, str)
                     else table.caption)
    return Group(*parts)


class FittingConsole(Console):
    """A Rich console that prints too-wide tables as records (see the module's docstring)."""

    def print(self, *objects: Any, **kwargs: Any) -> None:
        shown = tuple(as_records(o) if isinstance(o, Table) and len(o.columns) > 2 and not fits(self, o) else o
                      for o in objects)
        super().print(*shown, **kwargs)

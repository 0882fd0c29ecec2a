"""Reading feed CSVs row by row: the raw lines kept verbatim, row numbers (header = row 1), cell parsers."""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path

from reassure.core.errors import Problem
from reassure.core.text_files import InputFileError, read_text

END_OF_DAY = time(23, 59, 59)
_NEWLINE = re.compile(r"\r\n?")
_STAMP = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$")


class CellError(ValueError):
    """A cell that cannot be read; the message says what was expected."""


class RowError(ValueError):
    """A row that cannot be imported, naming the column at fault."""

    def __init__(self, column: str, message: str) -> None:
        super().__init__(message)
        self.column = column


@dataclass(frozen=True)
class Row:
    """One CSV record: its number (header = row 1), cells by column, and its lines exactly as in the file."""

    number: int
    cells: dict[str, str]
    raw: str


@dataclass(frozen=True)
class Stamp:
    """A parsed time_start/time_end cell: the moment, and whether the source gave a time of day."""

    at: datetime
    timed: bool

    def text(self) -> str:
        """Return the cell in one canonical form: 'YYYY-MM-DD' or 'YYYY-MM-DD HH:MM'."""
        return self.at.strftime("%Y-%m-%d %H:%M" if self.timed else "%Y-%m-%d")


MAX_CELL = 5_000  # the longest real cell (a list of regions or a post's URL) is under 1,000 characters


class CsvFile:
    """A CSV file read whole (core.text_files: UTF-8, no NUL, a size limit), checked for columns, iterated as rows."""

    def __init__(self, path: Path, required: tuple[str, ...]) -> None:
        self.path, self.origin = path, str(path)
        text = read_text(path)  # the size limit, and the line of a byte that is not UTF-8 or a NUL
        self.lines = _NEWLINE.sub("\n", text).splitlines(keepends=True)  # as text mode read it before
        if not self.lines or not self.lines[0].strip():
            raise InputFileError([Problem(self.origin, "row 1", "header", "the file is empty: expected a header")])
        self._reader = csv.reader(self.lines)
        try:
            self.header = [h.strip() for h in next(self._reader)]
        except csv.Error as error:  # a cell past the csv module's field limit: bad input, not a crash
            raise InputFileError([Problem(self.origin, "row 1", "header", f"not a CSV header: {error}")]) from None
        self.header_line = self.lines[0].rstrip("\r\n")
        missing = [c for c in required if c not in self.header]
        if missing:
            found = ", ".join(self.header)
            raise InputFileError([Problem(self.origin, "row 1", "header",
                                             f"missing column(s) {', '.join(missing)}; found {found}")])
        self.rows_expected = max(len(self.lines) - 1, 0)

    def rows(self) -> Iterator[Row | Problem]:
        """Yield each record as a Row, or a Problem when its number of fields differs from the header's."""
        consumed = 1
        number = 1
        while True:
            try:
                cells = next(self._reader)
            except StopIteration:
                return
            except csv.Error as error:  # a cell past the csv module's field limit: that row's problem
                consumed = self._reader.line_num
                number += 1
                yield Problem(self.origin, f"row {number}", "", f"not a CSV row: {error}")
                continue
            raw = "".join(self.lines[consumed:self._reader.line_num]).rstrip("\r\n")
            consumed = self._reader.line_num
            number += 1
            if not cells or all(not c.strip() for c in cells):
                continue
            if len(cells) != len(self.header):
                yield Problem(self.origin, f"row {number}", "", f"expected {len(self.header)} fields as in the header, "
                              f"got {len(cells)}")
                continue
            bad = next((h for h, c in zip(self.header, cells, strict=True) if "\x00" in c or len(c) > MAX_CELL), None)
            if bad is not None:
                yield Problem(self.origin, f"row {number}", bad, f"a cell holds a NUL character or more than "
                              f"{MAX_CELL:,} characters")
                continue
            yield Row(number, dict(zip(self.header, cells, strict=True)), raw)


def blank(value: str | None) -> bool:
    """Tell whether a cell is empty (or NaN, as pandas writes it)."""
    return value is None or value.strip() in ("", "nan", "NaN", "None")


FIRST_YEAR, LAST_YEAR = 1990, 2100  # the feeds start in 2014 (UCDP in Ukraine) and 2022 (Air Force posts)
MAX_COUNT = 1_000_000  # more weapons than were ever launched in a single attack by three orders of magnitude


def _check_year(day_of: date, value: str) -> None:
    if not FIRST_YEAR <= day_of.year <= LAST_YEAR:
        raise CellError(f"the year {day_of.year} is outside {FIRST_YEAR}-{LAST_YEAR}, got {value!r}")


def parse_stamp(value: str, *, end: bool = False) -> Stamp:
    """Parse 'YYYY-MM-DD' or 'YYYY-MM-DD H:MM' (spaces ignored); a date alone as an end means 23:59:59."""
    text = " ".join(value.split())
    match = _STAMP.match(text)
    if not match:
        raise CellError(f"expected a date 'YYYY-MM-DD' or 'YYYY-MM-DD HH:MM', got {value!r}")
    year, month, day, hour, minute, second = match.groups()
    try:
        day_of = date(int(year), int(month), int(day))
        _check_year(day_of, value)
        if hour is None:
            return Stamp(datetime.combine(day_of, END_OF_DAY if end else time(0)), timed=False)
        return Stamp(datetime.combine(day_of, time(int(hour), int(minute), int(second or 0))), timed=True)
    except ValueError as error:
        raise CellError(f"not a valid date or time {value!r}: {error}") from None


def parse_day(value: str) -> date:
    """Parse an ISO date 'YYYY-MM-DD'."""
    try:
        day_of = date.fromisoformat(value.strip())
    except ValueError:
        raise CellError(f"expected a date 'YYYY-MM-DD', got {value!r}") from None
    _check_year(day_of, value)
    return day_of


def parse_count(value: str | None) -> int | None:
    """Parse a count ('236', '236.0'); empty means not reported (None); negatives and fractions are errors."""
    if value is None or blank(value):
        return None
    try:
        number = float(value.strip())
    except ValueError:
        raise CellError(f"expected a whole number, got {value!r}") from None
    if number != number or not number.is_integer():  # NaN or a fraction
        raise CellError(f"expected a whole number, got {value!r}")
    if number < 0:
        raise CellError(f"a count cannot be negative, got {value!r}")
    if number > MAX_COUNT:
        raise CellError(f"a count is at most {MAX_COUNT:,}, got {value!r}")
    return int(number)


def parse_float(value: str | None, *, low: float, high: float) -> float | None:
    """Parse a decimal within [low, high]; empty gives None."""
    if value is None or blank(value):
        return None
    try:
        number = float(value.strip())
    except ValueError:
        raise CellError(f"expected a number, got {value!r}") from None
    if not low <= number <= high:
        raise CellError(f"expected a number from {low:g} to {high:g}, got {value!r}")
    return number


def day_end(day: date) -> datetime:
    """Return the last second of a day."""
    return datetime.combine(day, END_OF_DAY)


def day_start(day: date) -> datetime:
    """Return midnight at the start of a day."""
    return datetime.combine(day, time(0))


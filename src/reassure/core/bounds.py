"""The supported range of every date, number and text that comes in, defined once (docs/errors.md, ADR 0015).

Input outside it is refused at the edge with an error naming the field (422, exit code 2), the same on SQLite and
PostgreSQL, before any arithmetic or database can fail on it:

- a day lies within FIRST_DAY … LAST_DAY (a moment's day too): wide enough for any treaty, source or plan, narrow
  enough that a period, a week or a day added to it stays a real date;
- a whole number lies within ±MAX_INTEGER (PostgreSQL's `integer`, the narrowest column a count is stored in);
  a fractional number is finite and within ±MAX_NUMBER;
- a text holds no NUL and no lone surrogate (neither database stores them: PostgreSQL refuses a NUL, both refuse
  text that is not UTF-8); an identifier (a name, a key, a filter value, anything in a URL) also no control
  character.
"""

from __future__ import annotations

import math
import re
from datetime import date, datetime
from typing import Any, get_args

FIRST_DAY = date(1900, 1, 1)
LAST_DAY = date(2199, 12, 31)
MAX_INTEGER = 2**31 - 1
MAX_NUMBER = 1e15
_UNSTORABLE = re.compile(r"[\x00\ud800-\udfff]")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff]")


def day_problem(value: date) -> str | None:
    """Return why a day (or a moment's day) is out of the supported range, or None."""
    day = value.date() if isinstance(value, datetime) else value
    if FIRST_DAY <= day <= LAST_DAY:
        return None
    return f"a day between {FIRST_DAY} and {LAST_DAY} is expected, got {day}"


def number_problem(value: float | int) -> str | None:
    """Return why a number is out of the supported range, or None (booleans are not numbers here)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return None if -MAX_INTEGER <= value <= MAX_INTEGER else \
            f"a whole number between {-MAX_INTEGER:,} and {MAX_INTEGER:,} is expected, got {_short(value)}"
    if not math.isfinite(value):
        return f"a finite number is expected, got {value}"
    return None if -MAX_NUMBER <= value <= MAX_NUMBER else \
        f"a number between {-MAX_NUMBER:,.0f} and {MAX_NUMBER:,.0f} is expected, got {value:g}"


def boolean_problem(annotation: Any, value: object) -> str | None:
    """Return why a value is refused for a field of this type: true or false (also inside a list) where a number is
    expected and no boolean is, which pydantic would otherwise read as 1 or 0; else None."""
    kinds = _kinds(annotation)
    if bool in kinds or Any in kinds or not kinds & {int, float}:
        return None
    for item in value if isinstance(value, list) else [value]:
        if isinstance(item, bool):
            return f"expected a number, not {str(item).lower()}"
    return None


def _kinds(annotation: Any) -> set[Any]:
    """Return every type named in an annotation (through unions, lists, Annotated and Optional)."""
    out = {annotation}
    for arg in get_args(annotation):
        out |= _kinds(arg)
    return out


def text_problem(value: str, *, identifier: bool = False) -> str | None:
    """Return why a text cannot be stored (a NUL, a lone surrogate; in an identifier, any control character)."""
    found = (_CONTROL if identifier else _UNSTORABLE).search(value)
    if found is None:
        return None
    char = found.group()
    if char == "\x00":
        return "contains a NUL character, which cannot be stored"
    if "\ud800" <= char <= "\udfff":
        return "is not valid Unicode text (a lone surrogate, e.g. bytes that are not UTF-8)"
    return f"contains a control character (U+{ord(char):04X}), which a name, key or filter cannot hold"


def unstorable(value: str) -> bool:
    """Tell, fast, whether a text holds something no database stores (a NUL or a lone surrogate)."""
    return _UNSTORABLE.search(value) is not None


def _short(value: int) -> str:
    text = str(value)
    return text if len(text) <= 24 else f"{text[:10]}…({len(text)} digits)"

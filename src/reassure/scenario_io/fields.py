"""Field types of the scenario file: quantities, grades, markings, nation codes, capabilities."""

from __future__ import annotations

import re
from typing import Annotated, Any

from pydantic import BeforeValidator, PlainSerializer

from reassure.core.capabilities import CAPABILITIES
from reassure.core.grading import parse_grade
from reassure.core.markings import parse_marking
from reassure.core.nations import is_nation
from reassure.core.quantities import Quantity, QuantityKind

_RANGE = re.compile(r"^(\d+)\s*[-–]\s*(\d+)(?:\s*~\s*(\d+))?$")
_AT_LEAST = re.compile(r"^(?:(\d+)\s*\+|(?:>=|≥)\s*(\d+))$")


MAX_UNITS = 10_000_000  # no pledge or claim counts more (troops included); beyond it a figure is a typo


def parse_quantity(value: Any) -> Quantity:
    """Read 2, '2', '2+', '>=2', '1-3', '1-3~2' (range, best 2), 'undisclosed', or a mapping (at most MAX_UNITS)."""
    quantity = _quantity(value)
    if any(v is not None and v > MAX_UNITS for v in (quantity.value, quantity.low, quantity.high)):
        raise ValueError(f"a count is at most {MAX_UNITS:,}, got {quantity}")
    return quantity


def _quantity(value: Any) -> Quantity:
    if isinstance(value, Quantity):
        return value
    if isinstance(value, bool):
        raise ValueError(f"expected a count, got {value!r}")
    if isinstance(value, int):
        return Quantity.exact(value) if value >= 0 else _negative(value)
    if isinstance(value, dict):
        return Quantity.model_validate(value)
    if isinstance(value, str):
        text = value.strip()
        if text.lower() == "undisclosed":
            return Quantity.undisclosed()
        if len(text) > 40:
            raise ValueError(f"expected a count, got a text of {len(text)} characters")
        if re.fullmatch(r"-\d+", text):
            return _negative(int(text))
        if text.isdigit():
            return Quantity.exact(int(text))
        if match := _AT_LEAST.match(text):
            return Quantity(kind=QuantityKind.AT_LEAST, value=int(match.group(1) or match.group(2)))
        if match := _RANGE.match(text):
            best = int(match.group(3)) if match.group(3) else None
            return Quantity(kind=QuantityKind.RANGE, low=int(match.group(1)), high=int(match.group(2)),
                            value=best)
    raise ValueError(f"expected a count such as 2, '2+', '1-3', '1-3~2' or 'undisclosed', got {value!r}")


def _negative(value: int) -> Quantity:
    raise ValueError(f"a count cannot be negative, got {value}")


def format_quantity(quantity: Quantity) -> int | str:
    """Write a quantity in the compact file form parse_quantity reads."""
    if quantity.kind is QuantityKind.EXACT:
        return int(quantity.value or 0)
    if quantity.kind is QuantityKind.AT_LEAST:
        return f"{quantity.value}+"
    if quantity.kind is QuantityKind.RANGE:
        best = f"~{quantity.value}" if quantity.value is not None else ""
        return f"{quantity.low}-{quantity.high}{best}"
    return "undisclosed"


def _nation(value: Any) -> str:
    if not isinstance(value, str) or not is_nation(value):
        raise ValueError(f"unknown nation code {value!r}: expected ISO 3166-1 alpha-3 in capitals, e.g. FRA")
    return value


def _capability(value: Any) -> str:
    if not isinstance(value, str) or value not in CAPABILITIES:
        raise ValueError(f"unknown capability {value!r}: expected one of {', '.join(sorted(CAPABILITIES))}")
    return str(value)


def _grade(value: Any) -> str | None:
    if value is None:
        return None
    return str(parse_grade(str(value)))


def _marking(value: Any) -> str:
    return str(parse_marking(None if value is None else str(value)))


def _string_list(value: Any) -> Any:
    """Let CSV cells and YAML scalars stand for one-item lists; ';' separates items in a cell."""
    if value is None:
        return []
    if isinstance(value, str):
        return [item.strip() for item in value.split(";") if item.strip()]
    return value


QuantityField = Annotated[Quantity, BeforeValidator(parse_quantity), PlainSerializer(format_quantity)]
NationCode = Annotated[str, BeforeValidator(_nation)]
Capability = Annotated[str, BeforeValidator(_capability)]
GradeCode = Annotated[str | None, BeforeValidator(_grade)]
Marking = Annotated[str, BeforeValidator(_marking)]
StrList = Annotated[list[str], BeforeValidator(_string_list)]
NationList = Annotated[list[NationCode], BeforeValidator(_string_list)]

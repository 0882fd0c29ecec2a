"""Uncertain quantities as reported: exact, a range (low/best/high), a lower bound, or undisclosed."""

from __future__ import annotations

from enum import StrEnum
from typing import Self

from pydantic import BaseModel, ConfigDict, Field, model_validator


class QuantityKind(StrEnum):
    """The shape of a reported number."""

    EXACT = "exact"
    RANGE = "range"
    AT_LEAST = "at_least"
    UNDISCLOSED = "undisclosed"


class Quantity(BaseModel):
    """A number as reported, never more precise than its source."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    kind: QuantityKind
    value: int | None = Field(default=None, ge=0, description="exact value, best estimate, or lower bound")
    low: int | None = Field(default=None, ge=0)
    high: int | None = Field(default=None, ge=0)

    @model_validator(mode="after")
    def _shape_matches_kind(self) -> Self:
        kind = self.kind
        if kind in (QuantityKind.EXACT, QuantityKind.AT_LEAST) and self.value is None:
            raise ValueError(f"a quantity that is {kind.value} needs a value")
        if kind is QuantityKind.RANGE:
            if self.low is None or self.high is None:
                raise ValueError("a range needs low and high")
            if self.low > self.high:
                raise ValueError(f"range low {self.low} is above high {self.high}")
            if self.value is not None and not self.low <= self.value <= self.high:
                raise ValueError(f"best estimate {self.value} lies outside {self.low}-{self.high}")
        if kind is QuantityKind.UNDISCLOSED and (self.value, self.low, self.high) != (None, None, None):
            raise ValueError("an undisclosed quantity carries no numbers")
        return self

    @classmethod
    def exact(cls, value: int) -> Quantity:
        """Return an exact quantity."""
        return cls(kind=QuantityKind.EXACT, value=value)

    @classmethod
    def undisclosed(cls) -> Quantity:
        """Return a quantity the source did not give."""
        return cls(kind=QuantityKind.UNDISCLOSED)

    def planning_value(self) -> int:
        """Return the number a planner may count on: exact, best (else low) of a range, the bound, or 0."""
        if self.kind is QuantityKind.RANGE:
            return self.value if self.value is not None else (self.low or 0)
        return self.value or 0

    def __str__(self) -> str:
        if self.kind is QuantityKind.EXACT:
            return str(self.value)
        if self.kind is QuantityKind.AT_LEAST:
            return f"≥{self.value}"
        if self.kind is QuantityKind.RANGE:
            best = f" (best {self.value})" if self.value is not None else ""
            return f"{self.low}–{self.high}{best}"
        return "undisclosed"

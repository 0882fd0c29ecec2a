"""Uncertain quantities as reported: exact, a range (low/best/high), a lower bound, or undisclosed."""

from __future__ import annotations

from enum import StrEnum
from typing import Literal, Self

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

    def planning_value(self, prior: Prior | None = None) -> int:
        """Return the number of units a plan counts on (docs/adr/0023): the exact figure, a range's best estimate
        (else its midpoint rounded down), a lower bound's bound, or for an undisclosed size the prior's value
        (a planning assumption; one unit when no prior is given) — never 0 for a pledge of undisclosed size."""
        return self.estimate(prior).planned

    def estimate(self, prior: Prior | None = None, *, nation_size: str = "") -> Estimate:
        """Return what a plan counts on and the range the robustness analysis samples, with a note for people that
        says which figure is a planning assumption. `prior` is used only for an undisclosed quantity; `nation_size`
        describes the nation it was chosen for, e.g. "large nation (85.5 million people, 2024)" (shown in the note)."""
        if self.kind is QuantityKind.EXACT:
            v = self.value or 0
            return Estimate(basis="stated", planned=v, low=v, high=v, note=f"{v} as stated")
        if self.kind is QuantityKind.AT_LEAST:
            v = self.value or 0
            return Estimate(basis="at_least", planned=v, low=v, high=v,
                            note=f"at least {v}: planned on {v} (more is not counted)")
        if self.kind is QuantityKind.RANGE:
            low, high = self.low or 0, self.high or 0
            if self.value is not None:
                return Estimate(basis="range", planned=self.value, low=low, high=high, mode=self.value,
                                note=f"{low}–{high}: planned on the best estimate {self.value} "
                                     "(planning assumption)")
            mid = (low + high) // 2
            return Estimate(basis="range", planned=mid, low=low, high=high,
                            note=f"{low}–{high}: planned on the midpoint {mid} (planning assumption)")
        if prior is None:
            return Estimate(basis="prior", planned=1, low=1, high=1,
                            note="size undisclosed and no prior for it: planned on 1 unit (planning assumption)")
        size = f" for a {nation_size}" if nation_size else ""
        return Estimate(basis="prior", planned=prior.value, low=prior.low, high=prior.high, mode=prior.value,
                        note=f"size undisclosed: planned on {prior.value} (prior{size}, {prior.low}–{prior.high}; "
                             "planning assumption)")

    def __str__(self) -> str:
        if self.kind is QuantityKind.EXACT:
            return str(self.value)
        if self.kind is QuantityKind.AT_LEAST:
            return f"≥{self.value}"
        if self.kind is QuantityKind.RANGE:
            best = f" (best {self.value})" if self.value is not None else ""
            return f"{self.low}–{self.high}{best}"
        return "undisclosed"


class NationSize(StrEnum):
    """A nation's size class for priors, by population (docs/adr/0023): small under 10 million, medium under 40
    million, large from 40 million."""

    SMALL = "small"
    MEDIUM = "medium"
    LARGE = "large"


SIZE_LIMITS = ((10_000_000, NationSize.SMALL), (40_000_000, NationSize.MEDIUM))


def nation_size(population: float | None) -> NationSize | None:
    """Return the size class of a nation of this population, or None when its population is not known."""
    if population is None:
        return None
    return next((size for limit, size in SIZE_LIMITS if population < limit), NationSize.LARGE)


class Prior(BaseModel):
    """A planning assumption for a pledge of undisclosed size: the units of one capability a nation of one size is
    assumed to send (`value`, what a plan counts on) and the range robustness samples (`low` … `high`)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    capability: str
    size: NationSize
    low: int = Field(ge=1, le=1000)
    value: int = Field(ge=1, le=1000)
    high: int = Field(ge=1, le=1000)

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        prior_in_order(self.low, self.value, self.high)
        return self


def prior_in_order(low: int, value: int, high: int) -> None:
    """Raise ValueError unless a prior's low <= value <= high (the bundled table and scenario files alike)."""
    if not low <= value <= high:
        raise ValueError(f"a prior needs low <= value <= high, got {low}, {value}, {high}")


class Estimate(BaseModel):
    """What a plan counts on for one pledge (`planned`), why (`basis`), and the range robustness samples
    (`low` … `high`, most likely `mode` when the source or prior gives one), with a note for people."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    basis: Literal["stated", "at_least", "range", "prior"]
    planned: int = Field(ge=0)
    low: int = Field(ge=0)
    high: int = Field(ge=0)
    mode: int | None = None
    note: str

    @property
    def assumed(self) -> bool:
        """Tell whether the planned figure is a planning assumption rather than a stated figure."""
        return self.basis in ("range", "prior")

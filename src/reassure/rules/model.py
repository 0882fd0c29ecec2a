"""Declarative rules over indicators: exit conditions, political triggers and alerts."""

from __future__ import annotations

import operator
from collections.abc import Callable, Iterator
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    Tag,
    ValidationInfo,
    field_validator,
    model_validator,
)

from reassure.core.bounds import number_problem
from reassure.core.grading import parse_grade
from reassure.monitoring.indicators.series import check_params

Period = Literal["day", "week", "month"]
Aggregate = Literal["sum", "mean", "max", "min", "count", "last"]
Comparator = Literal["<", "<=", ">", ">=", "=="]
Logic = Literal["all", "any"]

PERIOD_EVERY: dict[str, str] = {"day": "1d", "week": "1w", "month": "1mo"}
PERIOD_ORDER: dict[str, int] = {"day": 0, "week": 1, "month": 2}
COMPARATORS: dict[str, Callable[[Any, Any], Any]] = {
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
    "==": operator.eq,
}


class RuleKind(StrEnum):
    """What a rule is for: ending the mission, prompting a political step, or warning the watch."""

    EXIT_CONDITION = "exit_condition"
    TRIGGER = "trigger"
    ALERT = "alert"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    @field_validator("*", mode="after")
    @classmethod
    def _in_range(cls, value: Any) -> Any:
        """Refuse a number outside the supported range (core/bounds.py): NaN, infinities, huge counts."""
        if isinstance(value, int | float) and (why := number_problem(value)):
            raise ValueError(why)
        return value


class Hysteresis(_Strict):
    """Keep a met condition met until its aggregate passes `release` for `periods` periods in a row."""

    release: float
    periods: int = Field(1, ge=1)


class Condition(_Strict):
    """A test on an indicator: aggregate over a window, compare, and require N consecutive periods."""

    id: str | None = None
    indicator: str
    params: dict[str, Any] = Field(default_factory=dict)
    period: Period = "day"
    window: int = Field(1, ge=1)
    aggregate: Aggregate = "last"
    comparator: Comparator
    threshold: float
    consecutive: int = Field(1, ge=1)
    hysteresis: Hysteresis | None = None

    @field_validator("params")
    @classmethod
    def _known_params(cls, value: dict[str, Any], info: ValidationInfo) -> dict[str, Any]:
        indicator = info.data.get("indicator")
        if indicator is not None:
            check_params(indicator, value)
        return value

    @field_validator("indicator")
    @classmethod
    def _known_indicator(cls, value: str) -> str:
        check_params(value, {})
        return value

    @model_validator(mode="after")
    def _coherent(self) -> Condition:
        if self.aggregate == "last" and self.window != 1:
            raise ValueError(
                "aggregate 'last' looks at one period; set window: 1 or choose another aggregate"
            )
        if self.hysteresis is not None:
            release = self.hysteresis.release
            if self.comparator == "==":
                raise ValueError("hysteresis needs an ordering comparator (<, <=, >, >=), not ==")
            if self.comparator in (">", ">=") and release > self.threshold:
                raise ValueError(
                    f"hysteresis.release {release} must be <= threshold {self.threshold} for '>'"
                )
            if self.comparator in ("<", "<=") and release < self.threshold:
                raise ValueError(
                    f"hysteresis.release {release} must be >= threshold {self.threshold} for '<'"
                )
        return self

    def describe(self) -> str:
        """Describe the condition in one line."""
        params = ", ".join(f"{k}={_fmt(v)}" for k, v in self.params.items())
        series = f"{self.indicator}({params})" if params else self.indicator
        if self.window > 1:
            series = f"{self.aggregate} of {series} over {self.window} {self.period}s"
        else:
            series = f"{series} per {self.period}"
        text = f"{series} {self.comparator} {_fmt(self.threshold)}"
        if self.consecutive > 1:
            text += f" for {self.consecutive} consecutive {self.period}s"
        if self.hysteresis is not None:
            text += f" (then stays met while {self.comparator} {_fmt(self.hysteresis.release)}"
            periods = self.hysteresis.periods
            text += f", released after {periods} {self.period}s outside)" if periods > 1 else ")"
        return text


def _fmt(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, list | tuple):
        return "|".join(str(v) for v in value)
    return str(value)


def _node_tag(value: Any) -> str:
    if isinstance(value, dict):
        return "group" if "conditions" in value else "condition"
    return "group" if isinstance(value, Group) else "condition"


class Group(_Strict):
    """Conditions combined with all (and) or any (or); groups may nest."""

    id: str | None = None
    logic: Logic = "all"
    conditions: list[Node] = Field(min_length=1)


Node = Annotated[
    Annotated[Condition, Tag("condition")] | Annotated[Group, Tag("group")],
    Discriminator(_node_tag),
]


class Rule(_Strict):
    """A named rule over indicators with a recommended action when it is met."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_.-]*$")
    name: str = Field(min_length=1)
    kind: RuleKind
    description: str = Field(min_length=1)
    action: str = Field(min_length=1)
    min_grade: str | None = None
    logic: Logic = "all"
    conditions: list[Node] = Field(min_length=1)

    @field_validator("min_grade")
    @classmethod
    def _grade(cls, value: str | None) -> str | None:
        return None if value is None else str(parse_grade(value))

    @model_validator(mode="after")
    def _unique_keys(self) -> Rule:
        keys = [key for key, _ in self.leaves()]
        duplicates = sorted({k for k in keys if keys.count(k) > 1})
        if duplicates:
            raise ValueError(f"condition ids must be unique within a rule; repeated: {duplicates}")
        return self

    def leaves(self) -> list[tuple[str, Condition]]:
        """List (key, condition) for every condition; the key is its id or its position such as 'c2.1'."""
        return list(_walk(self.conditions, "c"))

    @property
    def root(self) -> Group:
        """Return the rule's conditions as one group."""
        return Group(logic=self.logic, conditions=self.conditions)


def _walk(nodes: list[Condition | Group], prefix: str) -> Iterator[tuple[str, Condition]]:
    for i, node in enumerate(nodes, start=1):
        position = f"{prefix}{i}" if prefix == "c" else f"{prefix}.{i}"
        if isinstance(node, Group):
            yield from _walk(node.conditions, position)
        else:
            yield node.id or position, node


Group.model_rebuild()
Rule.model_rebuild()

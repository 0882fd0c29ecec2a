"""The hard rules of a plan, one module per rule; each name is the key in violations and explanations."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from reassure.planner.constraints import (
    availability,
    capability,
    caveat,
    conditions,
    frozen,
    legal,
    location,
    max_tour,
    min_dwell,
    nation_allowed,
    overlap,
    personnel_cap,
    tour_shape,
)
from reassure.planner.constraints.base import Violation
from reassure.planner.index import Instance
from reassure.planner.instance import Task, Tour, Unit

if TYPE_CHECKING:
    from reassure.planner.model import ModelBuilder


@dataclass(frozen=True)
class Rule:
    """A named hard rule with its solver-independent check."""

    name: str
    summary: str
    check: Callable[[Instance, Sequence[Tour]], list[Violation]]


@dataclass(frozen=True)
class PairRule:
    """A rule decided by the (unit, task) pair alone: incompatible pairs get no variables."""

    name: str
    allows: Callable[[Instance, Unit, Task], bool]
    why_not: Callable[[Instance, Unit, Task], str]


RULES: tuple[Rule, ...] = tuple(
    Rule(m.NAME, m.SUMMARY, m.check)
    for m in (
        tour_shape,
        overlap,
        capability,
        availability,
        max_tour,
        min_dwell,
        location,
        caveat,
        conditions,
        legal,
        nation_allowed,
        personnel_cap,
        frozen,
    )
)
RULE_NAMES: tuple[str, ...] = tuple(r.name for r in RULES)

PAIR_RULES: tuple[PairRule, ...] = tuple(
    PairRule(m.NAME, m.allows, m.why_not) for m in (capability, location, caveat, conditions, nation_allowed)
)

ENCODERS: tuple[Callable[[ModelBuilder], None], ...] = (
    tour_shape.encode,
    min_dwell.encode,
    overlap.encode,
    max_tour.encode,
    personnel_cap.encode,
    frozen.encode,
)

__all__ = ["ENCODERS", "PAIR_RULES", "RULES", "RULE_NAMES", "PairRule", "Rule", "Violation"]

"""The hard rules of a plan, one module per rule, named after the rule (its NAME: the key in violations).

The one registry is MODULES, in the order violations and explanations list the rules. Each module defines
NAME, SUMMARY and `check(inst, tours)`; a rule decided by the (unit, task) pair alone also defines
`allows` and `why_not`; a rule the solver encodes defines `encode(model)`. RULES, PAIR_RULES and ENCODERS
are derived from what each module defines. Encoders run in ENCODE_ORDER, not in MODULES order, because
the order of a model's rows steers the solver's search: changing it changes the plans solve returns.

This package knows the solver's model only through the RuleModel protocol (base.py): it never imports
`reassure.planner.solver`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from types import ModuleType

from reassure.planner.hard_rules import (
    availability_window,
    bilateral_partners,
    capability_match,
    command_chain,
    conditions_flags,
    frozen_kept,
    lead_nation,
    legal_in_force,
    legal_prerequisite,
    location_allowed,
    max_share,
    max_tour,
    min_dwell,
    min_nations,
    nation_allowed,
    notice_to_move,
    personnel_cap,
    task_excluded,
    tour_shape,
    unit_overlap,
)
from reassure.planner.hard_rules.base import RuleModel, Violation
from reassure.planner.index import Instance
from reassure.planner.instance import Task, Tour, Unit

MODULES: tuple[ModuleType, ...] = (
    tour_shape,
    unit_overlap,
    capability_match,
    availability_window,
    notice_to_move,
    max_tour,
    min_dwell,
    location_allowed,
    task_excluded,
    conditions_flags,
    legal_prerequisite,
    legal_in_force,
    nation_allowed,
    bilateral_partners,
    personnel_cap,
    lead_nation,
    min_nations,
    max_share,
    command_chain,
    frozen_kept,
)

# The order the encoders add their rows in (kept from before the registry; see the module docstring).
ENCODE_ORDER: tuple[str, ...] = (
    tour_shape.NAME,
    min_dwell.NAME,
    unit_overlap.NAME,
    max_tour.NAME,
    personnel_cap.NAME,
    frozen_kept.NAME,
    # issue 23's rules come last: they add no rows to problems without their keys, so older plans stay as they were.
    lead_nation.NAME,
    min_nations.NAME,
    max_share.NAME,
    command_chain.NAME,
)


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


Encoder = Callable[[RuleModel], None]


def defines(module: ModuleType, *names: str) -> bool:
    """Tell whether a rule module defines every one of the named functions."""
    return all(callable(getattr(module, n, None)) for n in names)


def _encoders() -> tuple[Encoder, ...]:
    by_name = {m.NAME: m for m in MODULES if defines(m, "encode")}
    if set(by_name) != set(ENCODE_ORDER) or len(ENCODE_ORDER) != len(set(ENCODE_ORDER)):
        raise RuntimeError(f"ENCODE_ORDER must name each rule that defines encode once: {sorted(by_name)}")
    return tuple(by_name[n].encode for n in ENCODE_ORDER)


RULES: tuple[Rule, ...] = tuple(Rule(m.NAME, m.SUMMARY, m.check) for m in MODULES)
RULE_NAMES: tuple[str, ...] = tuple(r.name for r in RULES)
PAIR_RULES: tuple[PairRule, ...] = tuple(
    PairRule(m.NAME, m.allows, m.why_not) for m in MODULES if defines(m, "allows", "why_not")
)
ENCODERS: tuple[Encoder, ...] = _encoders()

__all__ = [
    "ENCODERS",
    "ENCODE_ORDER",
    "MODULES",
    "PAIR_RULES",
    "RULES",
    "RULE_NAMES",
    "PairRule",
    "Rule",
    "RuleModel",
    "Violation",
]

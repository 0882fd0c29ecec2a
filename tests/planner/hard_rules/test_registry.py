"""The one registry of hard rules: every rule module registered once, and the derived tuples in their fixed orders."""

from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path

from reassure.planner import hard_rules
from reassure.planner.hard_rules import ENCODE_ORDER, ENCODERS, MODULES, PAIR_RULES, RULE_NAMES, RULES, defines

HELPERS = {"base", "compat", "explain", "score", "validate", "repair"}  # modules of the folder that are not rules


def _folder_modules() -> list[str]:
    return sorted(m.name for m in pkgutil.iter_modules([str(Path(hard_rules.__file__).parent)]))


def test_every_rule_module_in_the_folder_is_registered_once() -> None:
    rules = [n for n in _folder_modules() if n not in HELPERS]
    registered = [m.__name__.rsplit(".", 1)[1] for m in MODULES]
    assert sorted(registered) == rules
    assert len(registered) == len(set(registered))
    for name in HELPERS:
        assert not hasattr(importlib.import_module(f"reassure.planner.hard_rules.{name}"), "NAME")


def test_each_rule_module_is_named_after_its_rule_and_names_are_unique() -> None:
    for m in MODULES:
        assert m.__name__ == f"reassure.planner.hard_rules.{m.NAME}"
        assert m.SUMMARY and defines(m, "check")
    assert len(RULE_NAMES) == len(set(RULE_NAMES)) == len(MODULES)


def test_derived_tuples_keep_their_orders() -> None:
    # RULES is the order of violations and explanations; ENCODERS the order of model rows (it steers the solver).
    assert RULE_NAMES == (
        "tour_shape",
        "unit_overlap",
        "capability_match",
        "availability_window",
        "notice_to_move",
        "max_tour",
        "min_dwell",
        "location_allowed",
        "task_excluded",
        "conditions_flags",
        "legal_prerequisite",
        "legal_in_force",
        "nation_allowed",
        "bilateral_partners",
        "personnel_cap",
        "lead_nation",
        "min_nations",
        "max_share",
        "command_chain",
        "frozen_kept",
    )
    assert tuple(r.name for r in PAIR_RULES) == (
        "capability_match",
        "location_allowed",
        "task_excluded",
        "conditions_flags",
        "nation_allowed",
        "bilateral_partners",
    )
    assert ENCODE_ORDER == (
        "tour_shape",
        "min_dwell",
        "unit_overlap",
        "max_tour",
        "personnel_cap",
        "frozen_kept",
        "lead_nation",
        "min_nations",
        "max_share",
        "command_chain",
    )
    assert [e.__module__ for e in ENCODERS] == [f"reassure.planner.hard_rules.{n}" for n in ENCODE_ORDER]


def test_derived_tuples_follow_what_each_module_defines() -> None:
    assert [r.check for r in RULES] == [m.check for m in MODULES]
    pair = {m.NAME for m in MODULES if defines(m, "allows", "why_not")}
    assert {r.name for r in PAIR_RULES} == pair
    assert {m.NAME for m in MODULES if defines(m, "encode")} == set(ENCODE_ORDER)

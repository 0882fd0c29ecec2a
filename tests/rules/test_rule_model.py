"""Rule model and YAML loading: validation, error messages naming file/rule/field, bundled rules."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from pydantic import ValidationError
from rule_builders import one_condition_rule

from reassure.rules import (
    Group,
    RuleKind,
    RuleLoadError,
    load_bundled_rules,
    load_rule_file,
    load_rules,
    rule_by_id,
)

VALID = """
rules:
  - id: r1
    name: Rule one
    kind: trigger
    description: Illustrative.
    action: Act.
    min_grade: b-3
    logic: any
    conditions:
      - indicator: launched
        period: week
        comparator: ">"
        threshold: 100
      - logic: all
        conditions:
          - {indicator: violations, comparator: "<", threshold: 5, consecutive: 12, period: week}
          - {id: rate, indicator: interception_rate, params: {basis: neutralized}, comparator: ">=",
             threshold: 0.9}
"""


def write(tmp_path: Path, text: str, name: str = "rules.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_load_valid_file_with_nested_groups(tmp_path: Path) -> None:
    [rule] = load_rule_file(write(tmp_path, VALID))
    assert rule.kind is RuleKind.TRIGGER and rule.min_grade == "B3"
    assert [key for key, _ in rule.leaves()] == ["c1", "c2.1", "rate"]
    assert isinstance(rule.conditions[1], Group)
    assert "for 12 consecutive weeks" in rule.leaves()[1][1].describe()


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"window": 0}, "conditions.0.window", "greater than or equal to 1"),
        ({"comparator": "!="}, "conditions.0.comparator", "Input should be"),
        ({"indicator": "nope"}, "conditions.0.indicator", "unknown indicator 'nope'"),
        ({"params": {"threshold": 1}}, "conditions.0.params", "takes no parameter"),
        ({"colour": "red"}, "conditions.0.colour", "Extra inputs are not permitted"),
        ({"window": 3}, "conditions.0", "aggregate 'last' looks at one period"),
        ({"hysteresis": {"release": 200}}, "conditions.0", "must be <= threshold"),
        # issue 21: numbers outside the supported range (core/bounds.py) are refused, not evaluated or stored
        ({"threshold": float("nan")}, "conditions.0.threshold", "finite number"),
        ({"threshold": float("inf")}, "conditions.0.threshold", "finite number"),
        ({"threshold": 10**20}, "conditions.0.threshold", "between"),
        ({"consecutive": 10**20}, "conditions.0.consecutive", "whole number between"),
        ({"window": 10**20, "aggregate": "sum"}, "conditions.0.window", "whole number between"),
    ],
)
def test_errors_name_file_rule_and_field(
    tmp_path: Path, change: dict[str, Any], field: str, message: str
) -> None:
    condition = {"indicator": "launched", "comparator": ">", "threshold": 100, **change}
    doc = {
        "rules": [
            {
                "id": "bad-rule",
                "name": "n",
                "kind": "alert",
                "description": "d",
                "action": "a",
                "conditions": [condition],
            }
        ]
    }
    path = write(tmp_path, yaml.safe_dump(doc))
    with pytest.raises(RuleLoadError) as err:
        load_rule_file(path)
    text = str(err.value)
    assert text.startswith(f"{path}: rule 'bad-rule': {field}: ")
    assert message in text


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("rules: [", "invalid YAML"),
        ("rules: {a: 1}", "expected a list of rules"),
        ("other: []", "unknown top-level keys ['other']"),
        ("- 3", "rule #1: expected a mapping"),
    ],
)
def test_file_level_errors(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(RuleLoadError, match=r"rules\.yaml") as err:
        load_rule_file(write(tmp_path, text))
    assert message in str(err.value)


def test_duplicate_ids_across_files_name_both_files(tmp_path: Path) -> None:
    write(tmp_path, VALID, "a.yaml")
    write(tmp_path, VALID, "b.yml")
    with pytest.raises(RuleLoadError, match=r"b.yml: rule 'r1': id already defined in .*a.yaml"):
        load_rules(tmp_path)


def test_hysteresis_release_must_be_on_the_lenient_side() -> None:
    one_condition_rule(indicator="violations", comparator="<", threshold=5, hysteresis={"release": 8})
    with pytest.raises(ValidationError, match="must be >= threshold"):
        one_condition_rule(indicator="violations", comparator="<", threshold=5, hysteresis={"release": 3})
    with pytest.raises(ValidationError, match="not =="):
        one_condition_rule(indicator="violations", comparator="==", threshold=0, hysteresis={"release": 0})


def test_bundled_rules_load_and_are_marked_illustrative() -> None:
    rules = load_bundled_rules()
    kinds = {rule.kind for rule in rules}
    assert kinds == {RuleKind.EXIT_CONDITION, RuleKind.TRIGGER, RuleKind.ALERT}
    for rule in rules:
        assert "planning assumption" in rule.description.lower()
        assert "not an agreed coalition rule" in rule.description
    exit_rule = rule_by_id(rules, "exit-quiet-skies")
    assert [c.consecutive for _, c in exit_rule.leaves()] == [90, 12]
    assert "sanctions review" in rule_by_id(rules, "sanctions-review-mass-attacks").action.lower()
    with pytest.raises(KeyError, match="known: exit-quiet-skies"):
        rule_by_id(rules, "missing")

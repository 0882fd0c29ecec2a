"""Declarative rules over indicators (exit conditions, triggers, alerts): model, loading, evaluation."""

from reassure.rules.evaluate import backtest, evaluate_rule, evaluate_rules, evaluations_table
from reassure.rules.load import RuleLoadError, load_bundled_rules, load_rule_file, load_rules, rule_by_id
from reassure.rules.model import Condition, Group, Hysteresis, Rule, RuleKind
from reassure.rules.results import ConditionResult, Evaluation, Span, StateChange, Timeline

__all__ = [
    "Condition",
    "ConditionResult",
    "Evaluation",
    "Group",
    "Hysteresis",
    "Rule",
    "RuleKind",
    "RuleLoadError",
    "Span",
    "StateChange",
    "Timeline",
    "backtest",
    "evaluate_rule",
    "evaluate_rules",
    "evaluations_table",
    "load_bundled_rules",
    "load_rule_file",
    "load_rules",
    "rule_by_id",
]

"""Load declarative rules from YAML files, with errors naming the file, the rule and the field."""

from __future__ import annotations

from collections.abc import Iterable
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from reassure.rules.model import Rule

_TAGS = {"condition", "group"}


class RuleLoadError(ValueError):
    """A rules file that cannot be read or holds an invalid rule."""


def _location(loc: tuple[int | str, ...]) -> str:
    """Join a pydantic error location, dropping the union tags ('condition', 'group')."""
    parts = [str(p) for i, p in enumerate(loc) if not (p in _TAGS and i > 0 and isinstance(loc[i - 1], int))]
    return ".".join(parts) or "(rule)"


def parse_rules(data: Any, source: str = "<rules>") -> list[Rule]:
    """Validate parsed YAML (a list of rules or a mapping with a 'rules' list) into rules."""
    if isinstance(data, dict):
        extra = sorted(set(data) - {"rules"})
        if extra:
            raise RuleLoadError(f"{source}: unknown top-level keys {extra}; expected only 'rules'")
        data = data.get("rules")
    if not isinstance(data, list):
        raise RuleLoadError(f"{source}: expected a list of rules (or a mapping with a 'rules' list)")
    rules: list[Rule] = []
    for i, raw in enumerate(data, start=1):
        if not isinstance(raw, dict):
            raise RuleLoadError(f"{source}: rule #{i}: expected a mapping, got {type(raw).__name__}")
        rule_id = raw.get("id", f"#{i}")
        try:
            rules.append(Rule.model_validate(raw))
        except ValidationError as exc:
            lines = [f"{source}: rule {rule_id!r}: {_location(e['loc'])}: {e['msg']}" for e in exc.errors()]
            raise RuleLoadError("\n".join(lines)) from None
    _check_unique(rules, source)
    return rules


def _check_unique(rules: Iterable[Rule], source: str) -> None:
    seen: set[str] = set()
    for rule in rules:
        if rule.id in seen:
            raise RuleLoadError(f"{source}: rule {rule.id!r}: id used more than once")
        seen.add(rule.id)


def load_rule_file(path: str | Path) -> list[Rule]:
    """Load the rules of one YAML file."""
    path = Path(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise RuleLoadError(f"{path}: cannot read: {exc.strerror or exc}") from None
    except UnicodeDecodeError as exc:
        line = path.read_bytes()[:exc.start].count(b"\n") + 1
        raise RuleLoadError(f"{path}:{line}: not UTF-8 text: byte 0x{exc.object[exc.start]:02x} cannot be read") \
            from None
    except RecursionError:
        raise RuleLoadError(f"{path}: the YAML is nested too deeply") from None
    except (yaml.YAMLError, ValueError, TypeError) as exc:
        raise RuleLoadError(f"{path}: invalid YAML: {exc}") from None
    return parse_rules(data, str(path))


def load_rules(*paths: str | Path) -> list[Rule]:
    """Load rules from YAML files or directories (every *.yaml / *.yml, sorted), ids unique across files."""
    rules: list[Rule] = []
    origin: dict[str, Path] = {}
    for given in paths:
        given = Path(given)
        files = sorted([*given.glob("*.yaml"), *given.glob("*.yml")]) if given.is_dir() else [given]
        for file in files:
            for rule in load_rule_file(file):
                if rule.id in origin:
                    raise RuleLoadError(f"{file}: rule {rule.id!r}: id already defined in {origin[rule.id]}")
                origin[rule.id] = file
                rules.append(rule)
    return rules


def bundled_rules_dir() -> Path:
    """Return the folder of the bundled example rules."""
    return Path(str(resources.files("reassure") / "data" / "rules"))


def load_bundled_rules() -> list[Rule]:
    """Load the bundled example rules (illustrative planning assumptions, not agreed policy)."""
    return load_rules(bundled_rules_dir())


def rule_by_id(rules: Iterable[Rule], rule_id: str) -> Rule:
    """Return the rule with an id, or raise KeyError listing the known ids."""
    rules = list(rules)
    for rule in rules:
        if rule.id == rule_id:
            return rule
    raise KeyError(f"no rule {rule_id!r}; known: {', '.join(r.id for r in rules) or 'none'}")

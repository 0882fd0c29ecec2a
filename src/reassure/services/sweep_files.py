"""Read a sweep file (YAML or JSON, docs/sweeps.md) into a SweepSpec, or raise InputError naming the file, the line
and the field of every problem; nothing is written either way."""

from __future__ import annotations

import json
from typing import Any

import yaml
from pydantic import ValidationError

from reassure.core.bounds import text_problem
from reassure.core.errors import InputError, Problem
from reassure.planner.analysis.sweep import SweepSpec
from reassure.scenario_io.locate import Locator, mark_yaml_lines

MAX_BYTES = 256 * 1024
# What a field takes, said once when pydantic tried several shapes (a union) and each failed.
SHAPES = {
    "withdrawals": "expected `each`, `{pairs-of-largest: N}`, a list of nation codes (one variant), or a list of these",
    "flags": "expected a mapping of flag names to true or false (e.g. {us_backstop: false}), or a list of them",
    "draws": "expected a number of draws, or {count: N, seed: S}",
    "seconds": "expected a number of seconds", "factor": "expected a number (e.g. 1.5)",
    "target": "expected a coverage between 0 and 1 (e.g. 0.95)",
}


def read_sweep(text: str, file: str = "sweep") -> SweepSpec:
    """Parse and validate a sweep document (YAML, of which JSON is a subset)."""
    locator = Locator(file)
    if len(text.encode("utf-8", "replace")) > MAX_BYTES:
        raise InputError([Problem(file, "", "", f"a sweep file is at most {MAX_BYTES // 1024} KiB")])
    try:
        raw = yaml.safe_load(text)
        duplicates = mark_yaml_lines(text, file, locator)
    except RecursionError:
        raise InputError([Problem(file, "", "", "the document is nested too deeply")]) from None
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        raise InputError([Problem(file, f"line {mark.line + 1}" if mark else "", "",
                                  f"not valid YAML: {error.problem}")]) from None
    except (yaml.YAMLError, ValueError, TypeError, OverflowError) as error:
        raise InputError([Problem(file, "", "", f"not valid YAML: {error}")]) from None
    if duplicates:
        raise InputError([Problem(file, f"line {line}", key, "duplicate key: it is given twice in one mapping")
                          for line, key in duplicates])
    if not isinstance(raw, dict):
        raise InputError([Problem(file, "line 1", "", "expected a mapping: name, scenario, seconds, variants")])
    unstorable = [Problem(file, *locator.find(path)[1:], locator.field_name(path, raw) if path else "(file)", why)
                  for path, text in _texts(raw) if (why := text_problem(text))]
    if unstorable:
        raise InputError(unstorable)
    try:
        return SweepSpec.model_validate(raw)
    except ValidationError as error:
        raise InputError(_problems(error, raw, locator)) from None


def read_sweep_json(data: Any, file: str = "request body") -> SweepSpec:
    """Validate a sweep given as parsed JSON (the API's body), naming the field of every problem."""
    return read_sweep(json.dumps(data), file) if isinstance(data, dict) else read_sweep("[]", file)


def _texts(node: Any, path: tuple[str | int, ...] = ()) -> list[tuple[tuple[str | int, ...], str]]:
    """Return every text of a document (keys included) with its path."""
    if isinstance(node, str):
        return [(path, node)]
    if isinstance(node, dict):
        return [item for key, value in node.items()
                for item in [*_texts(str(key), (*path, str(key))), *_texts(value, (*path, str(key)))]]
    if isinstance(node, list):
        return [item for i, value in enumerate(node) for item in _texts(value, (*path, i))]
    return []


def _in_data(loc: tuple[Any, ...], raw: Any) -> tuple[str | int, ...]:
    """Return the longest prefix of a pydantic location that is a path in the document (a union's branch names,
    such as `literal['each']`, are no place in the file)."""
    out: list[str | int] = []
    node = raw
    for step in loc:
        inside = isinstance(node, dict) and step in node
        if inside or (isinstance(node, list) and isinstance(step, int) and step < len(node)):
            node = node[step]
        else:
            continue  # a union branch: skip it, the next step may be a key again
        out.append(step)
    return tuple(out)


def _problems(error: ValidationError, raw: dict[str, Any], locator: Locator) -> list[Problem]:
    found: dict[tuple[str, str], list[str]] = {}
    files: dict[tuple[str, str], str] = {}
    for item in error.errors():
        loc = _in_data(tuple(item["loc"]), raw)
        file, where = locator.find(loc)
        message = str(item["msg"]).removeprefix("Value error, ")
        if item["type"] == "string_pattern_mismatch":
            message = ("a name of letters, digits and _ only (e.g. us_backstop)" if "flags" in item["loc"] else
                       "letters, digits, spaces and . , : ( ) + - only")
        elif item["type"] == "extra_forbidden":
            message = "unknown key (see docs/sweeps.md for the keys a sweep file takes)"
        elif item["type"] == "missing":
            message = f"missing: a sweep file gives `{item['loc'][-1]}`"
        field = locator.field_name(loc, raw) if loc else "(file)"
        if item["type"] == "missing":
            field = ".".join(str(s) for s in (*loc, item["loc"][-1]))
        messages = found.setdefault((where, field), [])
        files[(where, field)] = file
        if message not in messages:
            messages.append(message)
    # A union's other branches ("should be a valid list") say nothing once a branch failed deeper inside the value.
    deeper = {field for (_, field) in found for other in found if other[1] != field and
              other[1].startswith((f"{field}.", f"{field}["))}
    problems = []
    for (where, field), messages in found.items():
        if field in deeper:
            continue
        last = field.rsplit(".", 1)[-1]
        text = messages[0] if len(messages) == 1 else SHAPES.get(last, "; or ".join(messages))
        problems.append(Problem(files[(where, field)], where, field, text))
    return problems

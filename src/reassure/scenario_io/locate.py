"""Map a path inside a document (('pledges', 3, 'nation')) to the file and line or row it came from."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import yaml

from reassure.core.errors import Problem
from reassure.core.text_files import InputFileError

Path_ = tuple[str | int, ...]
# Aliases (`*name`) repeat the node they name, and an alias of a list of aliases repeats it again: 466 bytes of nested
# aliases are a billion values ("billion laughs"). Walking the document visits each value once per place it appears;
# past this many visits, and ten times as many visits as distinct values, the aliases are refused.
MAX_ALIAS_VISITS = 100_000


class Locator:
    """Remember where each value of a document came from."""

    def __init__(self, default_file: str) -> None:
        self.default_file = default_file
        self._places: dict[Path_, tuple[str, str]] = {}
        self._fields: dict[Path_, str] = {}

    def mark(self, path: Path_, file: str, where: str, field: str | None = None) -> None:
        """Record that the value at path came from file at where (and, for tables, which column)."""
        self._places[path] = (file, where)
        if field is not None:
            self._fields[path] = field

    def find(self, path: Sequence[str | int]) -> tuple[str, str]:
        """Return (file, where) of the deepest known prefix of path."""
        key = tuple(path)
        while key:
            if key in self._places:
                return self._places[key]
            key = key[:-1]
        return self.default_file, ""

    def field_name(self, path: Sequence[str | int], data: Any) -> str:
        """Name a path for people: 'pledges[3] (FRA-FS).nation', or a table's column name."""
        if tuple(path) in self._fields:
            return self._fields[tuple(path)]
        parts: list[str] = []
        node = data
        for step in path:
            if isinstance(step, int):
                label = f"[{step}]"
                node = node[step] if isinstance(node, list) and step < len(node) else None
                ident = node.get("key") or node.get("id") if isinstance(node, dict) else None
                parts.append(f"{label} ({ident})" if ident else label)
            else:
                parts.append(("." if parts else "") + step)
                node = node.get(step) if isinstance(node, dict) else None
        return "".join(parts) or "(file)"


def mark_yaml_lines(text: str, file: str, locator: Locator) -> list[tuple[int, str]]:
    """Walk the YAML node tree and record the line of every key and item; return duplicate keys (line, key)."""
    root = yaml.compose(text, Loader=yaml.SafeLoader)
    duplicates: list[tuple[int, str]] = []
    if root is not None:
        _walk(root, (), file, locator, duplicates, _Visits())
    return duplicates


class _Visits:
    """How many values the walk visited, and how many distinct nodes: aliases make the first outgrow the second."""

    def __init__(self) -> None:
        self.count = 0
        self.nodes: set[int] = set()

    def visit(self, node: yaml.Node, file: str) -> None:
        self.count += 1
        self.nodes.add(id(node))
        if self.count > MAX_ALIAS_VISITS and self.count > 10 * len(self.nodes):
            raise InputFileError([Problem(file, f"line {node.start_mark.line + 1}", "", "aliases (*name) repeat "
                                          f"values more than {MAX_ALIAS_VISITS:,} times: write the values out")])


def _walk(node: yaml.Node, path: Path_, file: str, locator: Locator, duplicates: list[tuple[int, str]],
          visits: _Visits) -> None:
    visits.visit(node, file)
    locator.mark(path, file, f"line {node.start_mark.line + 1}")
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key_node, value_node in node.value:
            key = str(key_node.value)
            if key in seen:
                duplicates.append((key_node.start_mark.line + 1, key))
            seen.add(key)
            child = (*path, key)
            _walk(value_node, child, file, locator, duplicates, visits)
            locator.mark(child, file, f"line {key_node.start_mark.line + 1}")
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _walk(item, (*path, index), file, locator, duplicates, visits)

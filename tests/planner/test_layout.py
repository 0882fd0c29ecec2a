"""The planner's layers: analysis > solver > hard_rules > data model, and no module imports a layer above its own.

Every import in every planner module counts, including imports inside functions and under TYPE_CHECKING.
The package's own __init__ (the public API) is not in a layer: it re-exports from all of them, so no layer
may import it either.
"""

from __future__ import annotations

import ast
from pathlib import Path

import reassure.planner

ROOT = Path(reassure.planner.__file__).parent
PACKAGE = "reassure.planner"
LAYERS = {"analysis": 3, "solver": 2, "hard_rules": 1}  # anything else under planner/ is the data model: 0
API = 4  # reassure.planner itself


def module_name(path: Path) -> str:
    """Return the dotted name of a planner source file."""
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join([PACKAGE, *parts])


def layer(module: str) -> int | None:
    """Return the layer of a planner module (None outside the planner)."""
    if module == PACKAGE:
        return API
    if not module.startswith(PACKAGE + "."):
        return None
    return LAYERS.get(module.split(".")[2], 0)


def imported(tree: ast.AST, module: str, is_package: bool) -> list[tuple[int, str]]:
    """Return (line, module) for every import in the tree, relative ones resolved."""
    out: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out += [(node.lineno, a.name) for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = module.split(".")
                anchor = anchor[: len(anchor) - node.level + (1 if is_package else 0)]
                base = ".".join([*anchor, *([base] if base else [])])
            if base == PACKAGE:  # from reassure.planner import x: the submodule x, or a name of the API
                for a in node.names:
                    sub = f"{PACKAGE}.{a.name}"
                    known = (ROOT / a.name).is_dir() or (ROOT / f"{a.name}.py").is_file()
                    out.append((node.lineno, sub if known else PACKAGE))
            else:
                out.append((node.lineno, base))
    return sorted(out)


def upward_imports(source: str, module: str, is_package: bool = False) -> list[str]:
    """Return a line for every import of a planner module from a layer above the importing module's."""
    own = layer(module)
    assert own is not None
    found = []
    for line, target in imported(ast.parse(source), module, is_package):
        theirs = layer(target)
        if theirs is not None and theirs > own:
            found.append(f"{module}:{line} imports {target}")
    return found


def test_no_planner_module_imports_a_layer_above_its_own() -> None:
    bad: list[str] = []
    files = sorted(ROOT.rglob("*.py"))
    assert len(files) > 40
    for path in files:
        if path == ROOT / "__init__.py":
            continue  # the public API re-exports from every layer
        bad += upward_imports(path.read_text(encoding="utf-8"), module_name(path), path.name == "__init__.py")
    assert bad == []


def test_every_planner_module_is_in_a_known_layer() -> None:
    folders = {p.name for p in ROOT.iterdir() if p.is_dir() and (p / "__init__.py").exists()}
    assert folders == set(LAYERS)


def test_the_check_catches_upward_imports_of_every_form() -> None:
    source = "\n".join(
        [
            "from typing import TYPE_CHECKING",
            "from reassure.planner.index import Instance",  # down: fine
            "from reassure.planner.hard_rules import RULES",  # same layer: fine
            "if TYPE_CHECKING:",
            "    from reassure.planner.solver.model import ModelBuilder",
            "def f():",
            "    import reassure.planner.analysis.whatif",
            "from reassure.planner import analysis",
            "from reassure.planner import greedy_plan",
            "from ..solver import cpsat",
        ]
    )
    found = upward_imports(source, "reassure.planner.hard_rules.compat")
    assert [f.split(" imports ")[1] for f in found] == [
        "reassure.planner.solver.model",
        "reassure.planner.analysis.whatif",
        "reassure.planner.analysis",
        "reassure.planner",
        "reassure.planner.solver",
    ]

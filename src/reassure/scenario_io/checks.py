"""Cross-reference checks a schema cannot express: duplicate keys, dangling references, unknown flags."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from reassure.core.errors import Problem
from reassure.scenario_io.locate import Locator
from reassure.scenario_io.schema import ScenarioDocument


def cross_check(document: ScenarioDocument, raw: dict[str, Any], locator: Locator, *,
                table_only: bool = False) -> list[Problem]:
    """Return every cross-reference problem of a validated document (empty when it is consistent)."""
    problems: list[Problem] = []

    def report(path: tuple[str | int, ...], message: str) -> None:
        file, where = locator.find(path)
        problems.append(Problem(file, where, locator.field_name(path, raw), message))

    for section, attr in (("sources", "id"), ("claims", "key"), ("pledges", "key"), ("tasks", "key"),
                          ("command", "key"), ("legal", "key"), ("nations", "code")):
        _duplicates(getattr(document, section), attr, section, report)

    _missing_markings(document, report)
    source_ids = {s.id for s in document.sources}
    task_keys = {t.key for t in document.tasks}
    command_keys = {c.key for c in document.command}
    header = document.scenario
    flags = set(header.flags) if header else set()

    def check_sources(section: str, entries: Iterable[Any]) -> None:
        for i, entry in enumerate(entries):
            for ref in entry.sources:
                if ref not in source_ids:
                    report((section, i, "sources"), f"unknown source {ref!r}: list it under 'sources' first")
            twice = sorted({ref for ref in entry.sources if entry.sources.count(ref) > 1})
            if twice:
                report((section, i, "sources"), f"source {twice[0]!r} is cited twice")

    check_sources("claims", document.claims)
    check_sources("pledges", document.pledges)
    check_sources("legal", document.legal)
    for i, figure in enumerate(document.figures):
        if figure.source not in source_ids:
            report(("figures", i, "source"), f"unknown source {figure.source!r}")
    for i, nation in enumerate(document.nations):
        for j, membership in enumerate(nation.memberships):
            if membership.source and membership.source not in source_ids:
                report(("nations", i, "memberships", j, "source"), f"unknown source {membership.source!r}")

    scenario_sections = [s for s in ("pledges", "tasks", "command", "legal", "changes") if getattr(document, s)]
    if header is None and scenario_sections and not table_only:
        report((scenario_sections[0],), "pledges, tasks, command, legal and changes need a 'scenario' section")
    for i, pledge in enumerate(document.pledges):
        for flag in pledge.conditions:
            if header is not None and flag not in flags:
                report(("pledges", i, "conditions"),
                       f"unknown condition {flag!r}: declare it under scenario.flags ({', '.join(sorted(flags))})")
        for j, caveat in enumerate(pledge.caveats):
            for task_key in caveat.tasks:
                if header is not None and task_key not in task_keys:
                    report(("pledges", i, "caveats", j, "tasks"), f"caveat names unknown task {task_key!r}")
    periods = header.horizon.periods if header else None
    for i, task in enumerate(document.tasks):
        if isinstance(task.demand, list) and periods is not None and len(task.demand) != periods:
            report(("tasks", i, "demand"), f"expected {periods} values (one per period), got {len(task.demand)}")
        if task.command and task.command not in command_keys:
            report(("tasks", i, "command"), f"unknown command node {task.command!r}")
    for i, node in enumerate(document.command):
        if node.parent and node.parent not in command_keys:
            report(("command", i, "parent"), f"unknown parent node {node.parent!r}")
    for i, change in enumerate(document.changes):
        _check_change(change, i, flags, task_keys, periods, report)
    return problems


NO_MARKING = ("no marking: give this record a `marking` ('PUBLIC' or 'REL TO FRA, GBR') or give the file one "
              "at the top (`marking: PUBLIC`); nothing is public by default")


def _missing_markings(document: ScenarioDocument, report: Any) -> None:
    """Report every record that has no marking of its own, none from its scenario and none from the file."""
    if document.marking is not None:
        return
    for section in ("sources", "claims", "nations", "figures"):
        for i, entry in enumerate(getattr(document, section)):
            if entry.marking is None:
                report((section, i), NO_MARKING)
    if document.scenario is not None and document.scenario.marking is None:
        report(("scenario",), NO_MARKING)


def _duplicates(entries: list[Any], attr: str, section: str, report: Any) -> None:
    seen: dict[str, int] = {}
    for i, entry in enumerate(entries):
        value = getattr(entry, attr)
        if value in seen:
            report((section, i, attr), f"duplicate {attr} {value!r} (first at {section}[{seen[value]}])")
        else:
            seen[value] = i


def _check_change(change: Any, i: int, flags: set[str], tasks: set[str], periods: int | None,
                  report: Any) -> None:
    path = ("changes", i)
    if change.kind == "withdraw" and (change.nation is None or change.from_period is None):
        report(path, "a withdrawal needs nation and from_period")
    if change.kind == "flag" and (change.flag not in flags or change.value is None):
        report(path, f"a flag change needs one of the scenario flags ({', '.join(sorted(flags))}) and a value")
    if change.kind == "surge" and (change.task not in tasks or change.extra is None):
        report(path, "a surge needs a known task and extra (units added per period)")
    for name in ("from_period", "to_period"):
        value = getattr(change, name)
        if value is not None and periods is not None and value >= periods:
            report((*path, name), f"period {value} is beyond the horizon (0..{periods - 1})")

"""Read a scenario's command tree (only the nodes released to the viewer)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from reassure.db.keys import first_per_key
from reassure.domains.command.models import CommandNode
from reassure.domains.command.schemas import CommandNodeRead
from reassure.domains.scenario_records.lookup import find_scenario
from reassure.domains.tasks.models import Task


def command_tree(scenario: str, *, db: Session) -> list[CommandNodeRead]:
    """Return the tree's roots; a node whose parent is hidden from the viewer shows as a root (absent = hidden)."""
    s = find_scenario(scenario, db=db)
    nodes = list(db.scalars(select(CommandNode).where(CommandNode.scenario_id == s.id,
                                                      first_per_key(db, CommandNode, "scenario_id", "key"))
                            .order_by(CommandNode.key)))
    tasks = db.scalars(select(Task).where(Task.scenario_id == s.id, first_per_key(db, Task, "scenario_id", "key"))
                       .order_by(Task.key))
    by_node: dict[str, list[str]] = {}
    for t in tasks:
        if t.command_key:
            by_node.setdefault(t.command_key, []).append(t.key)
    reads = {n.key: CommandNodeRead(key=n.key, name=n.name, kind=n.kind, lead_nation=n.lead_nation,
                                    relationship=n.relationship_to_parent, multinational=n.multinational,
                                    location=n.location, marking=str(n.releasability),
                                    tasks=by_node.get(n.key, []), children=[]) for n in nodes}
    roots = []
    for n in nodes:
        parent = reads.get(n.parent_key or "")
        if parent is not None and parent is not reads[n.key]:
            parent.children.append(reads[n.key])
        else:
            roots.append(reads[n.key])
    return roots


def flatten(nodes: list[CommandNodeRead], depth: int = 0) -> list[tuple[CommandNodeRead, int]]:
    """Return a command tree as (node, depth) rows, parents before their children (for tables and print)."""
    rows: list[tuple[CommandNodeRead, int]] = []
    for node in nodes:
        rows.append((node, depth))
        rows += flatten(node.children, depth + 1)
    return rows

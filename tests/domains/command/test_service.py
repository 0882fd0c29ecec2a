"""The command domain called directly (no CLI): a scenario's command tree read through the access filter (a node
whose parent is hidden shows as a root), its nodes written by the scenario import with each change audited, a
widening refused and recorded as a denial with nothing written, on both databases."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from reassure.core.errors import Forbidden
from reassure.core.identity import Identity, Role
from reassure.core.text_files import InputFileError
from reassure.db.uow import unit_of_work
from reassure.domains.audit.models import AuditEntry
from reassure.domains.command.models import CommandNode
from reassure.domains.command.service import command_tree, flatten
from reassure.settings import Settings
from tests.conftest import raw_counts, who
from tests.domains.scenario_records.factories import PARTS, german_view, import_parts, refusals

FRA, DEU, GBR = who("FRA"), who("DEU"), who("GBR")


def _tree(settings: Settings, identity: Identity) -> list[tuple[str, int, list[str]]]:
    with unit_of_work(settings, identity=identity) as db:
        return [(node.key, depth, node.tasks) for node, depth in flatten(command_tree("parts", db=db))]


def _node_audit(settings: Settings, identity: Identity = FRA) -> list[AuditEntry]:
    with unit_of_work(settings, identity=identity) as db:
        rows = list(db.scalars(select(AuditEntry).where(AuditEntry.entity == "CommandNode").order_by(AuditEntry.id)))
        db.expunge_all()
    return rows


def test_the_tree_shows_each_nation_its_nodes_and_a_node_under_a_hidden_parent_as_a_root(settings: Settings,
                                                                                        tmp_path: Path) -> None:
    import_parts(settings, tmp_path)
    assert _tree(settings, FRA) == [("HQ", 0, ["T-SEA"]), ("FR-SECTOR", 1, ["T-FR"]), ("BDE", 2, [])]
    assert _tree(settings, DEU) == [("BDE", 0, []), ("HQ", 0, ["T-SEA"])]  # no trace of the French sector
    with unit_of_work(settings, identity=FRA) as db:
        (hq,) = command_tree("parts", db=db)
    sector = hq.children[0]
    assert (sector.lead_nation, sector.relationship, sector.marking) == ("FRA", "opcon", "REL TO FRA")


def test_a_hidden_scenarios_tree_answers_like_an_unknown_scenarios(settings: Settings, tmp_path: Path) -> None:
    import_parts(settings, tmp_path)
    hidden, absent = refusals(settings, GBR, command_tree, "parts")
    assert hidden == absent == "no scenario named NAME"


def test_a_changed_node_is_audited_with_before_and_after(settings: Settings, tmp_path: Path) -> None:
    import_parts(settings, tmp_path)
    assert [e.action for e in _node_audit(settings)] == ["commandnode.create"] * 3
    assert [e.action for e in _node_audit(settings, DEU)] == ["commandnode.create"] * 2  # the sector's row is hidden
    import_parts(settings, tmp_path, PARTS.replace("lead_nation: DEU, relationship: tacon",
                                                   "lead_nation: POL, relationship: coordination"))
    update = _node_audit(settings)[-1]
    assert (update.action, update.entity_key) == ("commandnode.update", "parts/BDE")
    assert update.details["before"] == {"lead_nation": "DEU", "relationship_to_parent": "tacon"}
    assert update.details["after"] == {"lead_nation": "POL", "relationship_to_parent": "coordination"}


def test_a_reimport_by_a_nation_that_sees_less_keeps_the_hidden_nodes(settings: Settings, tmp_path: Path) -> None:
    import_parts(settings, tmp_path)
    report = import_parts(settings, tmp_path, german_view(), identity=who("DEU", Role.PLANNER))
    # The brigade keeps the French sector as its parent: Germany's file shows it as a root because the sector is
    # hidden from Germany, and importing back what Germany sees must not change the tree's shape for France.
    assert report.counts["CommandNode"] == {"unchanged": 2}
    assert raw_counts(settings.database_url, CommandNode) == (3,)
    assert _tree(settings, FRA) == [("HQ", 0, ["T-SEA"]), ("FR-SECTOR", 1, ["T-FR"]), ("BDE", 2, [])]
    assert _tree(settings, DEU) == [("BDE", 0, []), ("HQ", 0, ["T-SEA"])]


def test_a_nation_may_still_move_a_node_it_sees_under_a_parent_it_sees(settings: Settings, tmp_path: Path) -> None:
    import_parts(settings, tmp_path)
    moved = german_view().replace("kind: contingent, lead_nation: DEU",
                                  "kind: contingent, parent: HQ, lead_nation: DEU")
    assert "parent: HQ" in moved
    report = import_parts(settings, tmp_path, moved, identity=who("DEU", Role.PLANNER))
    assert report.counts["CommandNode"] == {"unchanged": 1, "updated": 1}
    assert _tree(settings, FRA) == [("HQ", 0, ["T-SEA"]), ("BDE", 1, []), ("FR-SECTOR", 1, ["T-FR"])]


def test_a_node_is_narrowed_in_place_but_never_widened(settings: Settings, tmp_path: Path) -> None:
    import_parts(settings, tmp_path)
    narrowed = PARTS.replace("lead_nation: DEU, relationship: tacon}", 'lead_nation: DEU, relationship: tacon,\n'
                                                                       '     marking: "REL TO FRA"}')
    import_parts(settings, tmp_path, narrowed)
    update = _node_audit(settings)[-1]
    assert update.details["before"] == {"rel_to": ",DEU,FRA,"} and update.details["after"] == {"rel_to": ",FRA,"}
    assert update.rel_to == ",FRA,"  # the audit row is marked no wider than the record now is
    assert _tree(settings, DEU) == [("HQ", 0, ["T-SEA"])]
    with pytest.raises(InputFileError) as error:
        import_parts(settings, tmp_path)  # the original file would release it to Germany again
    (problem,) = error.value.problems
    assert problem.field == "command[2] (BDE).marking" and "cannot widen" in problem.message
    assert _tree(settings, DEU) == [("HQ", 0, ["T-SEA"])]
    denied = [e for e in _node_audit(settings) if e.outcome == "denied"]
    assert [(e.action, e.entity_key, e.actor) for e in denied] == [("import", "parts/BDE", "fra-user")]


def test_a_viewer_may_not_write_the_command_tree(settings: Settings, tmp_path: Path) -> None:
    with pytest.raises(Forbidden):
        import_parts(settings, tmp_path, identity=who("DEU", Role.VIEWER))
    assert raw_counts(settings.database_url, CommandNode) == (0,)

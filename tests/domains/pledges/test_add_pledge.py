"""Adding one pledge (domains/pledges/actions.add_pledge): the planner role, the audit row, the marking (the
scenario's by default, never wider than it, always the writer's own nation's), releasability (a scenario a nation
cannot see takes no pledge from it, worded as an absent one), a duplicate key refused, every problem named by field;
and the CLI's `reassure pledge add`, which calls the same action."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from reassure.core.errors import Conflict, Forbidden, InputError, NotFound
from reassure.core.identity import Role
from reassure.db.uow import unit_of_work
from reassure.domains.audit.models import AuditEntry
from reassure.domains.pledges.actions import add_pledge
from reassure.domains.pledges.models import Pledge
from reassure.domains.scenarios.importing import import_document
from reassure.scenario_io.load import load_document, load_pledge_row
from reassure.settings import Settings
from tests.conftest import Cli, raw_counts, who
from tests.scenario_io.samples import VALID, write

ROW = {"key": "POL-ENG", "nation": "POL", "capability": "engineer_company", "quantity": "1-3~2",
       "personnel_per_unit": "150", "where": "inside;adjacent", "available_from": "2027-01-01",
       "available_to": "2027-12-31", "max_tour": "6", "min_dwell": "6", "conditions": "us_backstop",
       "caveats": "No offensive operations", "status": "offered", "standing": "unconfirmed", "grade": "B2",
       "sources": "src-1"}
# A second scenario released to France only: Britain can neither see it nor add to it.
FRENCH = VALID.replace("marking: PUBLIC", "marking: REL TO FRA").replace("name: small", "name: french") \
    .replace("    marking: REL TO GBR, FRA\n", "").replace("id: src-1", "id: src-fr").replace("[src-1]", "[src-fr]")


@pytest.fixture
def loaded(settings: Settings, tmp_path: Path) -> Settings:
    for text, name in ((VALID, "small.yaml"), (FRENCH, "french.yaml")):
        with unit_of_work(settings, identity=who("FRA")) as db:
            import_document(load_document(write(tmp_path, text, name)), db=db, origin=name)
    return settings


def _add(settings: Settings, nation: str, scenario: str = "small", *roles: Role, **changes: str) -> Any:
    with unit_of_work(settings, identity=who(nation, *roles)) as db:
        return add_pledge(scenario, load_pledge_row({**ROW, **changes}), db=db)


def test_a_planner_adds_a_pledge_marked_like_its_scenario_and_audited(loaded: Settings) -> None:
    added = _add(loaded, "GBR")
    assert (added.key, added.nation, added.quantity, added.status, added.standing, added.grade, added.sources,
            added.marking) == ("POL-ENG", "POL", "1–3 (best 2)", "offered", "unconfirmed", "B2", ["src-1"], "PUBLIC")
    with unit_of_work(loaded, identity=who("GBR")) as db:
        row = db.scalars(select(AuditEntry).where(AuditEntry.entity_key == "small/POL-ENG")).one()
        stored = db.scalars(select(Pledge).where(Pledge.key == "POL-ENG")).one()
        assert (row.actor, row.entity_key, row.rel_to) == ("gbr-user", "small/POL-ENG", stored.rel_to)
        assert "before" not in row.details and row.details["after"]["qty_low"] == 1
        assert row.details["after"]["sources"] == ["src-1"]
    narrow = _add(loaded, "GBR", key="POL-ENG-2", marking="REL TO GBR, POL")
    assert narrow.marking == "REL TO GBR, POL"
    with unit_of_work(loaded, identity=who("FRA")) as db:  # France is not in that list: it does not see it
        assert db.scalars(select(Pledge.key).where(Pledge.key.like("POL-ENG%"))).all() == ["POL-ENG"]


def test_add_pledge_needs_the_planner_role_and_a_scenario_the_writer_sees(loaded: Settings) -> None:
    before = raw_counts(loaded.database_url, Pledge, AuditEntry)
    with pytest.raises(Forbidden, match="planner role"):
        _add(loaded, "GBR", "small", Role.VIEWER)
    with pytest.raises(Forbidden, match="planner role"):
        _add(loaded, "GBR", "small", Role.ANALYST)
    assert raw_counts(loaded.database_url, Pledge, AuditEntry) == before
    with pytest.raises(NotFound) as hidden:  # France's scenario takes no pledge from Britain, and looks absent
        _add(loaded, "GBR", "french")
    with pytest.raises(NotFound) as absent:
        _add(loaded, "GBR", "nowhere")
    assert str(hidden.value).replace("french", "X") == str(absent.value).replace("nowhere", "X")
    assert raw_counts(loaded.database_url, Pledge) == before[:1]
    assert _add(loaded, "FRA", "french", sources="src-fr").marking == "REL TO FRA"
    assert raw_counts(loaded.database_url, Pledge)[0] == before[0] + 1


def test_a_duplicate_key_a_wider_marking_and_unknown_references_are_refused_by_field(loaded: Settings) -> None:
    before = raw_counts(loaded.database_url, Pledge, AuditEntry)
    with pytest.raises(Conflict, match="already has a pledge 'FRA-FS'"):
        _add(loaded, "GBR", key="FRA-FS")
    with pytest.raises(InputError) as wrong:
        _add(loaded, "FRA", "french", sources="src-unknown", conditions="no_such_flag", marking="PUBLIC",
             caveats="x", caveat_tasks="NO-TASK")
    fields = sorted(p.field for p in wrong.value.problems)
    assert fields == ["caveat_tasks", "conditions", "marking", "sources"], wrong.value.problems
    with pytest.raises(InputError) as foreign:  # a marking the writer could not read back: refused first
        _add(loaded, "GBR", marking="REL TO FRA")
    assert [p.field for p in foreign.value.problems] == ["marking"]
    with pytest.raises(InputError) as cited:  # a PUBLIC pledge cannot rest on a source released to France only
        _add(loaded, "FRA", "small", sources="src-fr")
    assert [p.field for p in cited.value.problems] == ["sources"]
    assert raw_counts(loaded.database_url, Pledge) == before[:1]


def test_the_cli_adds_a_pledge_through_the_same_action(cli: Cli, tmp_path: Path) -> None:
    assert cli("import", str(write(tmp_path, VALID)))[0] == 0
    args = ["pledge", "add", "small", "--key", "POL-ENG", "--nation", "POL", "--capability", "engineer_company",
            "--quantity", "2", "--personnel", "150", "--where", "inside", "--from", "2027-01-01", "--to", "2027-12-31",
            "--max-tour", "6", "--min-dwell", "6", "--status", "offered", "--date", "2026-05-01"]
    code, out, err = cli(*args)
    assert code == 0 and "added POL-ENG to small" in out, err
    history = json.loads(cli("pledge", "history", "small", "POL-ENG", "--json")[1])[0]
    assert [(s["status"], s["on_date"]) for s in history["steps"]] == [("offered", "2026-05-01")]
    assert cli(*args)[0] == 6  # the same key again: Conflict
    code, _, err = cli(*[a if a != "2027-12-31" else "2026-01-01" for a in args[:-4]], "--key", "X", "--nation", "ZZZ")
    assert code == 2 and "nation:" in err and "available_from/available_to:" in err, err

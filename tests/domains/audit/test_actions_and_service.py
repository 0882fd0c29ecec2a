"""The audit domain called directly (no CLI): rows recorded by its actions (the actor from the session, values as
JSON can hold them, marked like what they describe), read back by admins only, each admin seeing only the rows
released to their nation, filtered and paged by the database, on both databases."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from reassure.core.errors import Denial, Forbidden
from reassure.core.identity import Identity, Role
from reassure.core.markings import PUBLIC, Releasability
from reassure.db.uow import unit_of_work
from reassure.domains.audit.actions import brief_rendered, preview_read, record, record_denials
from reassure.domains.audit.models import AuditEntry
from reassure.domains.audit.service import count, last_brief, page_audit, recent
from reassure.settings import Settings
from tests.conftest import raw_counts, who

FRA_ADMIN, DEU_ADMIN = who("FRA", Role.ADMIN, user="fra-admin"), who("DEU", Role.ADMIN, user="deu-admin")
REL_FRA = Releasability.to("FRA").to_column()


def _write_three(settings: Settings) -> None:
    """A public row and a French-only row by France's planner, then a denial of Germany's."""
    with unit_of_work(settings, identity=who("FRA")) as db:
        record(db, action="task.update", entity="Task", key="T-1", rel_to=PUBLIC, before={"priority": 3},
               after={"priority": 1})
        record(db, action="task.create", entity="Task", key="T-FR", rel_to=REL_FRA, after={"name": "French cell"})
    with unit_of_work(settings, identity=who("DEU")) as db:
        record_denials(db, who("DEU"), [Denial(action="import", entity="Scenario", key="parts", rel_to=PUBLIC,
                                               details={"reason": "marking cannot change"})])


def test_a_row_names_the_sessions_user_and_keeps_before_and_after_as_json_values(settings: Settings) -> None:
    with unit_of_work(settings, identity=who("FRA", user="fra-planner")) as db:
        record(db, action="pledge.update", entity="Pledge", key="P" * 300, rel_to=REL_FRA,
               before={"on": date(2027, 1, 1), "share": Decimal("0.5")}, after={"nations": {"FRA"}},
               details={"origin": "scenario.yaml"})
    with unit_of_work(settings, identity=FRA_ADMIN) as db:
        (row,) = recent(db=db)
    assert row.id.startswith("aud_") and (row.actor, row.actor_nation, row.outcome) == ("fra-planner", "FRA", "done")
    assert row.details == {"origin": "scenario.yaml", "before": {"on": "2027-01-01", "share": 0.5},
                           "after": {"nations": ["FRA"]}}
    assert row.key == "P" * 200 and row.marking == "REL TO FRA"


def test_only_an_admin_reads_the_log_and_only_the_rows_released_to_their_nation(settings: Settings) -> None:
    _write_three(settings)
    for reader in (who("FRA"), who("FRA", Role.VIEWER)):
        with unit_of_work(settings, identity=reader) as db:
            with pytest.raises(Forbidden):
                recent(db=db)
            with pytest.raises(Forbidden):
                page_audit(db=db)
            with pytest.raises(Forbidden):
                count(db=db)
    with unit_of_work(settings, identity=FRA_ADMIN) as db:
        assert [r.key for r in recent(db=db)] == ["parts", "T-FR", "T-1"] and count(db=db) == 3
    with unit_of_work(settings, identity=DEU_ADMIN) as db:
        assert [r.key for r in recent(db=db)] == ["parts", "T-1"] and count(db=db) == 2
        assert page_audit(db=db, action="task.create") == ([], 0)  # the hidden row is neither listed nor counted


def test_the_log_is_filtered_and_paged_by_the_database(settings: Settings) -> None:
    _write_three(settings)
    with unit_of_work(settings, identity=FRA_ADMIN) as db:
        assert [r.key for r in recent(db=db, actor="deu-user")] == ["parts"]
        assert [r.key for r in recent(db=db, outcome="denied")] == ["parts"]
        assert [r.key for r in recent(db=db, action="task.")] == ["T-FR", "T-1"]
        assert recent(db=db, action="%create") == []  # a prefix, never a pattern the reader writes
        assert recent(db=db, since=datetime.now(UTC) + timedelta(hours=1)) == []
        assert len(recent(db=db, limit=0)) == 1  # at least one row, never an empty answer to a bad limit
        first, total = page_audit(db=db, limit=2)
        rest, _ = page_audit(db=db, limit=2, offset=2)
    assert ([r.key for r in first], [r.key for r in rest], total) == (["parts", "T-FR"], ["T-1"], 3)
    assert first[0].details == {"reason": "marking cannot change"}


def test_a_rendered_brief_is_recorded_marked_like_the_brief_or_narrower(settings: Settings) -> None:
    with unit_of_work(settings, identity=who("FRA", Role.VIEWER)) as db:
        brief_rendered(db, scenario="parts", reader="GBR", marking="PUBLIC", plan_id=None, fmt="pdf")
        brief_rendered(db, scenario="parts", reader="DEU", marking="REL TO FRA, DEU", plan_id="pln_1", fmt="html",
                       rel_to=REL_FRA)
    with unit_of_work(settings, identity=DEU_ADMIN) as db:
        (public,) = recent(db=db, action="brief.render")
    assert (public.marking, public.details["after"]) == ("PUBLIC", {"reader": "GBR", "plan": None, "format": "pdf",
                                                                   "marking": "PUBLIC", "audience": "staff"})
    with unit_of_work(settings, identity=FRA_ADMIN) as db:
        assert [r.marking for r in recent(db=db, action="brief.render")] == ["REL TO FRA", "PUBLIC"]


def test_the_last_brief_of_a_reader_is_read_by_its_nation_without_the_audit_log(settings: Settings) -> None:
    """A viewer (no admin) reads the date and figures of its nation's previous brief of the same scenario, reader and
    audience only: never another nation's row, nor one marked wider than what the viewer is released."""
    with unit_of_work(settings, identity=who("FRA", Role.VIEWER)) as db:
        brief_rendered(db, scenario="s", reader="FRA", marking="REL TO FRA", plan_id=None, fmt="pdf",
                       audience="minister", figures={"coverage": 0.8})
        brief_rendered(db, scenario="s", reader="FRA", marking="PUBLIC", plan_id=None, fmt="pdf")
    with unit_of_work(settings, identity=who("DEU", Role.VIEWER)) as db:
        brief_rendered(db, scenario="s", reader="DEU", marking="PUBLIC", plan_id=None, fmt="pdf",
                       audience="minister", figures={"coverage": 0.5})
    with unit_of_work(settings, identity=who("FRA", Role.VIEWER)) as db:
        found = last_brief("s", "FRA", "minister", db=db)
        assert found is not None and found[1] == {"coverage": 0.8}
        assert last_brief("s", "FRA", "staff", db=db) is not None and last_brief("s", "DEU", "minister", db=db) is None
    public = Identity(user="fra-user", nation="FRA", roles=frozenset({Role.VIEWER}), public_only=True)
    with unit_of_work(settings, identity=public) as db:
        assert last_brief("s", "FRA", "minister", db=db) is None  # its row is REL TO FRA


def test_a_preview_read_is_recorded_as_the_admin_and_released_to_the_admins_nation_only(settings: Settings) -> None:
    preview = Identity(user="fra-admin", nation="FRA", roles=frozenset({Role.ADMIN}), view_as="DEU")
    with unit_of_work(settings, identity=FRA_ADMIN) as db:
        preview_read(db, preview=preview, read="/scenarios/" + "x" * 500)
        with pytest.raises(ValueError, match="not a preview"):
            preview_read(db, preview=FRA_ADMIN, read="/scenarios")
    with unit_of_work(settings, identity=FRA_ADMIN) as db:
        (row,) = recent(db=db)
    assert (row.actor, row.action, row.key, row.marking) == ("fra-admin", "preview.read", "DEU", "REL TO FRA")
    assert row.details["preview_of"] == "DEU" and row.details["released_to"] == "both FRA and DEU"
    assert len(row.details["read"]) == 400
    with unit_of_work(settings, identity=DEU_ADMIN) as db:  # the previewed nation never learns what was read
        assert recent(db=db) == [] and count(db=db) == 0


def test_a_refused_write_leaves_its_denial_and_nothing_else(settings: Settings) -> None:
    viewer = who("FRA", Role.VIEWER, user="fra-viewer")
    with pytest.raises(Forbidden), unit_of_work(settings, identity=viewer) as db:
        record(db, action="task.update", entity="Task", key="T-1", rel_to=PUBLIC, after={"priority": 1})
        raise Forbidden("refused", denials=[Denial(action="task.update", entity="Task", key="T-1", rel_to=REL_FRA)])
    assert raw_counts(settings.database_url, AuditEntry) == (1,)
    with unit_of_work(settings, identity=FRA_ADMIN) as db:
        (row,) = recent(db=db)
    assert (row.actor, row.outcome, row.marking) == ("fra-viewer", "denied", "REL TO FRA")

"""The nations domain called directly (no CLI): nations listed with only the memberships and figures released to
the reader (filters, pages and totals counted through the access filter), facts written by the import with each
change audited, bad facts refused with nothing written, on both databases."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from reassure.core.errors import Forbidden
from reassure.core.identity import Identity, Role
from reassure.core.text_files import InputFileError
from reassure.db.uow import unit_of_work
from reassure.domains.audit.models import AuditEntry
from reassure.domains.nations.models import Membership, Nation, NationFigure
from reassure.domains.nations.service import list_nations, page_nations
from reassure.settings import Settings
from tests.conftest import raw_counts, who
from tests.domains.nations.factories import FACTS, import_facts

FRA, DEU = who("FRA"), who("DEU")


def test_a_nation_sees_only_the_memberships_and_figures_released_to_it(settings: Settings, tmp_path: Path) -> None:
    import_facts(settings, tmp_path)
    with unit_of_work(settings, identity=FRA) as db:
        estonia, poland, romania = list_nations(db=db)
    assert (estonia.code, estonia.memberships, [(f.indicator, f.value, f.source) for f in estonia.figures]) == (
        "EST", [], [("defence_pct_gdp", 3.4, "fr-desk")])
    assert [(m.organisation, m.source, m.marking) for m in poland.memberships] == [("NATO", "lists", "PUBLIC")]
    assert [(m.organisation, m.role, m.source, m.marking) for m in romania.memberships] == [
        ("COALITION", "contributor", "fr-desk", "REL TO FRA")]
    with unit_of_work(settings, identity=DEU) as db:
        (seen,) = list_nations(db=db)  # Estonia and Romania are listed for French-only facts: not for Germany
    assert seen.code == "POL" and [m.organisation for m in seen.memberships] == ["NATO"]
    assert [f.indicator for f in seen.figures] == ["population"]


def test_an_organisations_members_and_pages_are_counted_through_the_access_filter(settings: Settings,
                                                                                  tmp_path: Path) -> None:
    import_facts(settings, tmp_path)
    with unit_of_work(settings, identity=FRA) as db:
        assert [n.code for n in list_nations(db=db, organisation="coalition")] == ["ROU"]
        first, total = page_nations(db=db, limit=2)
        last, _ = page_nations(db=db, limit=2, offset=2)
        assert ([n.code for n in first], [n.code for n in last], total) == (["EST", "POL"], ["ROU"], 3)
    with unit_of_work(settings, identity=DEU) as db:
        assert list_nations(db=db, organisation="COALITION") == []
        assert page_nations(db=db, organisation="COALITION") == ([], 0)
        assert page_nations(db=db, limit=1)[1] == 1
        everyone, total = page_nations(db=db, everyone=True, limit=500)
        assert total == len(everyone) == int(db.scalar(select(func.count()).select_from(Nation)) or 0) > 200
        hidden = {n.code: (n.memberships, n.figures) for n in everyone if n.code in ("EST", "ROU")}
        assert hidden == {"EST": ([], []), "ROU": ([], [])}  # listed as every nation is, their hidden facts not shown


def _audit(settings: Settings, entity: str, identity: Identity = FRA) -> list[tuple[str, str, object, object]]:
    with unit_of_work(settings, identity=identity) as db:
        return [(e.action, e.entity_key, e.details.get("before"), e.details.get("after")) for e in
                db.scalars(select(AuditEntry).where(AuditEntry.entity == entity).order_by(AuditEntry.id))]


def test_changed_facts_are_audited_with_before_and_after_each_marked_like_its_record(settings: Settings,
                                                                                    tmp_path: Path) -> None:
    import_facts(settings, tmp_path)
    report = import_facts(settings, tmp_path, FACTS.replace("value: 36600000", "value: 36500000")
                          .replace("role: contributor", "role: supporter"))
    assert (report.counts["NationFigure"]["updated"], report.counts["Membership"]["updated"]) == (1, 1)
    assert _audit(settings, "NationFigure")[-1] == ("nationfigure.update", "POL/population/2024",
                                                    {"value": 36600000.0}, {"value": 36500000.0})
    assert _audit(settings, "Membership")[-1][1:] == ("ROU/COALITION/2025-09-04", {"role": "contributor"},
                                                      {"role": "supporter"})
    assert [a for a, *_ in _audit(settings, "Membership", DEU)] == ["membership.create"]  # NATO's, public
    assert [(a, key) for a, key, *_ in _audit(settings, "NationFigure", DEU)] == [
        ("nationfigure.create", "POL/population/2024"), ("nationfigure.update", "POL/population/2024")]


def test_a_figure_released_more_widely_than_its_source_is_refused_and_nothing_written(settings: Settings,
                                                                                      tmp_path: Path) -> None:
    wider = FACTS.replace('source: fr-desk, marking: "REL TO FRA"}', "source: fr-desk}")
    with pytest.raises(InputFileError) as error:
        import_facts(settings, tmp_path, wider)
    (problem,) = error.value.problems
    assert problem.field == "figures[1] (EST defence_pct_gdp 2025).sources" and "fr-desk" in problem.message
    assert raw_counts(settings.database_url, Membership, NationFigure) == (0, 0)


def test_a_membership_citing_an_unknown_source_is_named(settings: Settings, tmp_path: Path) -> None:
    with pytest.raises(InputFileError) as error:
        import_facts(settings, tmp_path, FACTS.replace("1999-03-12, source: lists", "1999-03-12, source: nowhere"))
    (problem,) = error.value.problems
    assert problem.field == "nations[0].memberships[0].source" and "nowhere" in problem.message
    assert raw_counts(settings.database_url, Membership, NationFigure) == (0, 0)


def test_a_viewer_may_not_record_nation_facts_and_the_refusal_is_audited(settings: Settings, tmp_path: Path) -> None:
    with pytest.raises(Forbidden):
        import_facts(settings, tmp_path, identity=who("FRA", Role.VIEWER, user="fra-viewer"))
    assert raw_counts(settings.database_url, Membership, NationFigure) == (0, 0)
    with unit_of_work(settings, identity=FRA) as db:
        (denied,) = db.scalars(select(AuditEntry))
    assert (denied.actor, denied.outcome, denied.entity, denied.entity_key) == ("fra-viewer", "denied", "Document",
                                                                               "facts.yaml")

"""The legal domain called directly (no CLI): a scenario's SOFAs, MoUs and ROE profiles read through the access
filter with their grade and sources, written by the scenario import with each change audited (before and after),
bad citations refused with nothing written, on both databases."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from reassure.core.errors import Forbidden
from reassure.core.identity import Role
from reassure.core.text_files import InputFileError
from reassure.db.uow import unit_of_work
from reassure.domains.audit.models import AuditEntry
from reassure.domains.legal.models import LegalInstrument
from reassure.domains.legal.service import list_legal
from reassure.domains.scenario_records.models import Scenario
from reassure.settings import Settings
from tests.conftest import raw_counts, who
from tests.domains.scenario_records.factories import PARTS, import_parts, refusals

FRA, DEU, GBR = who("FRA"), who("DEU"), who("GBR")


def test_a_nation_reads_only_the_instruments_released_to_it_with_grade_and_sources(settings: Settings,
                                                                                   tmp_path: Path) -> None:
    import_parts(settings, tmp_path)
    with unit_of_work(settings, identity=FRA) as db:
        roe, sofa = list_legal("parts", db=db)
    assert (roe.key, roe.kind, roe.standing, roe.grade, roe.sources, roe.marking) == (
        "ROE-FRA", "ROE", "assumption", None, [], "REL TO FRA")
    assert (sofa.key, sofa.status, sofa.grade, sofa.sources) == ("SOFA-FRA", "in_force", "B2", ["sofa-wire"])
    with unit_of_work(settings, identity=DEU) as db:
        assert [lg.key for lg in list_legal("parts", db=db)] == ["SOFA-FRA"]
    hidden, absent = refusals(settings, GBR, list_legal, "parts")
    assert hidden == absent == "no scenario named NAME"


def test_a_status_change_and_its_sources_are_audited_with_before_and_after(settings: Settings,
                                                                          tmp_path: Path) -> None:
    import_parts(settings, tmp_path)
    import_parts(settings, tmp_path, PARTS.replace("status: in_force, in_force_from: 2027-01-01",
                                                   "status: suspended, in_force_from: 2027-01-01"))
    with unit_of_work(settings, identity=DEU) as db:
        rows = [(e.action, e.entity_key, e.details.get("before"), e.details.get("after")) for e in
                db.scalars(select(AuditEntry).where(AuditEntry.entity == "LegalInstrument").order_by(AuditEntry.id))]
    assert rows[0][:2] == ("legalinstrument.create", "parts/SOFA-FRA")  # ROE-FRA's rows are France's alone
    assert rows[1:] == [("legalinstrument.sources.set", "parts/SOFA-FRA", {"sources": []},
                         {"sources": ["sofa-wire"]}),
                        ("legalinstrument.update", "parts/SOFA-FRA", {"status": "in_force"}, {"status": "suspended"})]
    with unit_of_work(settings, identity=DEU) as db:
        assert [lg.status for lg in list_legal("parts", db=db)] == ["suspended"]


def test_an_unknown_source_is_named_and_nothing_written(settings: Settings, tmp_path: Path) -> None:
    with pytest.raises(InputFileError) as error:
        import_parts(settings, tmp_path, PARTS.replace("sources: [sofa-wire]", "sources: [no-such-wire]"))
    (problem,) = error.value.problems
    assert problem.field == "legal[0] (SOFA-FRA).sources" and "unknown source 'no-such-wire'" in problem.message
    assert raw_counts(settings.database_url, Scenario, LegalInstrument, AuditEntry) == (0, 0, 0)


def test_an_instrument_released_more_widely_than_its_source_is_refused(settings: Settings, tmp_path: Path) -> None:
    narrow_source = PARTS.replace("reliability: B}", 'reliability: B, marking: "REL TO FRA"}')
    with pytest.raises(InputFileError) as error:
        import_parts(settings, tmp_path, narrow_source)
    assert [p.field for p in error.value.problems] == ["legal[0] (SOFA-FRA).sources"]
    assert raw_counts(settings.database_url, Scenario, LegalInstrument) == (0, 0)


def test_a_chance_of_coming_into_force_is_refused_on_an_instrument_in_force(settings: Settings,
                                                                            tmp_path: Path) -> None:
    with pytest.raises(InputFileError) as error:
        import_parts(settings, tmp_path, PARTS.replace("status: negotiating, probability: 0.5",
                                                       "status: in_force, probability: 0.5"))
    assert any(p.field.startswith("legal[1]") and "under negotiation" in p.message for p in error.value.problems)
    assert raw_counts(settings.database_url, LegalInstrument) == (0,)


def test_an_analyst_or_a_viewer_may_not_write_legal_instruments(settings: Settings, tmp_path: Path) -> None:
    for role in (Role.ANALYST, Role.VIEWER):
        with pytest.raises(Forbidden):
            import_parts(settings, tmp_path, identity=who("FRA", role))
    assert raw_counts(settings.database_url, LegalInstrument) == (0,)

"""The coalition's page pictures: nation rows (main domain, role, ISO numeric), a pledge with its history and sources,
and the legal matrix, each as the viewer's nation sees them, on both databases."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from reassure.core.errors import NotFound
from reassure.db.uow import unit_of_work
from reassure.domains.legal.schemas import LegalRead
from reassure.domains.scenarios.importing import import_document
from reassure.domains.scenarios.schemas import CoalitionSummary, NationLine, ScenarioRead
from reassure.scenario_io.load import load_document
from reassure.services.coalition import command_picture, legal_matrix, nation_rows, overview, pledge_detail
from reassure.settings import Settings
from tests.conftest import who
from tests.scenario_io.samples import VALID, write


@pytest.fixture
def small(settings: Settings, tmp_path: Path) -> Settings:
    """The sample scenario "small": FRA-FS is public, GBR-FS released to GBR and FRA only; HQ led by FRA."""
    with unit_of_work(settings, identity=who("FRA")) as db:
        import_document(load_document(write(tmp_path, VALID)), db=db, origin="tests")
    return settings


def _line(nation: str, units: dict[str, int]) -> NationLine:
    return NationLine(nation=nation, name=f"name of {nation}", units_by_domain=units, personnel=10, conditions=["c"],
                      caveats=[], statuses={})


def _summary(*lines: NationLine) -> CoalitionSummary:
    scenario = ScenarioRead.model_construct(name="s")
    return CoalitionSummary(scenario=scenario, pledge_standing={}, domains=[], nations=list(lines),
                            claim_standing={}, sources=0)


def test_a_nation_row_has_its_main_domain_role_and_iso_numeric() -> None:
    rows = nation_rows(_summary(_line("FRA", {"air": 1, "sea": 3}), _line("GBR", {}), _line("ZZZ", {"land": 2})),
                       leads={"FRA"})
    assert [(r.code, r.numeric, r.domain, r.role) for r in rows] == [
        ("FRA", "250", "sea", "lead"), ("GBR", "826", "none", "contributor"), ("ZZZ", None, "land", "contributor")]
    assert rows[0].model_dump() == {"code": "FRA", "numeric": "250", "name": "name of FRA", "domain": "sea",
                                    "units": {"air": 1, "sea": 3}, "personnel": 10, "role": "lead",
                                    "conditions": ["c"]}


def test_the_overview_shows_what_the_viewer_sees(small: Settings) -> None:
    with unit_of_work(small, identity=who("FRA")) as db:
        fra = overview("small", db=db)
    with unit_of_work(small, identity=who("DEU")) as db:
        deu = overview("small", db=db)
    assert [n.code for n in fra.nations] == ["FRA", "GBR"] and [n.code for n in deu.nations] == ["FRA"]
    assert fra.leads == {"FRA"} and fra.nations[0].role == "lead" and fra.nations[1].role == "contributor"
    assert [p.key for p in fra.backstop] == ["FRA-FS"]  # conditional on the US backstop
    assert [s.name for s in fra.scenarios] == ["small"] and [c.key for c in fra.facts] == ["c-1"]


def test_a_pledge_comes_with_its_history_and_sources_and_a_hidden_one_is_not_found(small: Settings) -> None:
    with unit_of_work(small, identity=who("FRA")) as db:
        fra = pledge_detail("small", "FRA-FS", db=db)
        gbr = pledge_detail("small", "GBR-FS", db=db)
    assert fra.pledge.key == "FRA-FS" and fra.pledge.nation == "FRA" and fra.sources == []
    assert [(s.status, s.on_date) for s in fra.history.steps] == [("announced", date(2025, 9, 4)),
                                                                 ("confirmed", date(2026, 1, 6))]
    assert gbr.pledge.marking == "REL TO FRA, GBR"
    with unit_of_work(small, identity=who("DEU")) as db, pytest.raises(NotFound):
        pledge_detail("small", "GBR-FS", db=db)  # hidden: as absent
    with unit_of_work(small, identity=who("FRA")) as db, pytest.raises(NotFound):
        pledge_detail("small", "NO-SUCH", db=db)


def _legal(nation: str, kind: str, status: str) -> LegalRead:
    return LegalRead.model_construct(nation=nation, kind=kind, status=status)


def test_the_legal_matrix_has_a_row_a_nation_and_a_column_a_kind_both_sorted() -> None:
    matrix = legal_matrix([_legal("GBR", "SOFA", "draft"), _legal("FRA", "SOFA", "in_force"),
                           _legal("FRA", "MoU", "signed")])
    assert matrix.kinds == ["MoU", "SOFA"] and list(matrix.rows) == ["FRA", "GBR"]
    assert {k: v.status for k, v in matrix.rows["FRA"].items()} == {"SOFA": "in_force", "MoU": "signed"}
    assert list(matrix.rows["GBR"]) == ["SOFA"]  # a kind a nation lacks is absent, shown as a dash
    assert legal_matrix([]).kinds == [] and legal_matrix([]).rows == {}


def test_the_command_picture_has_the_tree_and_the_legal_matrix(small: Settings) -> None:
    with unit_of_work(small, identity=who("GBR")) as db:
        picture = command_picture("small", db=db)
    assert [(n.key, depth) for n, depth in picture.nodes] == [("HQ", 0)]
    assert picture.legal.rows["FRA"]["SOFA"].status == "in_force"
    # Every contributor the viewer sees has a row, its missing instruments as empty cells; every kind a column.
    assert picture.legal.kinds == ["MoU", "ROE", "SOFA"] and list(picture.legal.rows) == ["FRA", "GBR"]
    assert picture.legal.rows["GBR"] == {} and picture.legal.names["GBR"] == "United Kingdom"
    assert [n.key for n in picture.roots] == ["HQ"]
    with unit_of_work(small, identity=who("DEU")) as db:  # GBR's pledge is not released to Germany: no GBR row
        assert list(command_picture("small", db=db).legal.rows) == ["FRA"]


def test_the_legal_matrix_keeps_a_contributor_without_any_instrument() -> None:
    matrix = legal_matrix([_legal("FRA", "SOFA", "in_force")], nations=["NZL", "FRA", "CAN"],
                          kinds=("SOFA", "MoU", "ROE"))
    assert list(matrix.rows) == ["CAN", "FRA", "NZL"] and matrix.kinds == ["MoU", "ROE", "SOFA"]
    assert matrix.rows["CAN"] == {} and matrix.rows["NZL"] == {} and list(matrix.rows["FRA"]) == ["SOFA"]
    assert matrix.names["NZL"] == "New Zealand"

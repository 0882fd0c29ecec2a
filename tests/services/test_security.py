"""An incident's page picture: its accounts and the figures its sources conflict on (never merged), on both
databases."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from reassure.core.errors import NotFound
from reassure.core.markings import PUBLIC
from reassure.db.uow import unit_of_work
from reassure.domains.incidents.actions import import_air_attacks, ingest_report
from reassure.domains.incidents.schemas import FigureComparison, IncidentDetail
from reassure.services.security import conflicts, incident_picture
from reassure.settings import Settings
from tests.conftest import who

AIR = """time_start,time_end,model,target,launched,destroyed,not_reach_goal,source
2025-09-13 21:00,2025-09-14 09:00,Shahed-136/131,Ukraine,58,52,,kpszsu/posts/night
"""
NIGHT = "mmau:2025-09-13T21:00/2025-09-14T09:00"


def _figure(name: str, verdict: str) -> FigureComparison:
    return FigureComparison(figure=name, verdict=verdict, values=[])


def test_conflicts_name_the_accounts_columns() -> None:
    detail = IncidentDetail.model_construct(figures=[_figure("drones launched", "conflict"),
                                                     _figure("drones destroyed", "agree"),
                                                     _figure("missiles neutralized", "conflict"),
                                                     _figure("suppressed", "compatible")])
    assert conflicts(detail) == {"launched", "neutralized"}
    assert conflicts(IncidentDetail.model_construct(figures=[])) == set()


def test_an_incident_with_disagreeing_sources_shows_the_conflict(settings: Settings, tmp_path: Path) -> None:
    path = tmp_path / "air.csv"
    path.write_text(AIR, encoding="utf-8")
    with unit_of_work(settings, identity=who("FRA")) as db:
        import_air_attacks(path, db=db, rel_to=PUBLIC)
    with unit_of_work(settings, identity=who("DEU")) as db:
        assert incident_picture(NIGHT, db=db).conflicts == set()  # one source: nothing to disagree on
    with unit_of_work(settings, identity=who("FRA")) as db:
        ingest_report("From 18:00 on 13 September Russia launched 90 Shahed drones at Ukraine.", db=db,
                      name="other.txt", publisher="Another outlet", rel_to=PUBLIC, on_date=date(2025, 9, 14))
    with unit_of_work(settings, identity=who("DEU")) as db:
        picture = incident_picture(NIGHT, db=db)
    assert picture.incident.key == NIGHT and len(picture.incident.accounts) == 2
    assert picture.conflicts == {"launched"}


def test_an_unknown_incident_is_not_found(settings: Settings) -> None:
    with unit_of_work(settings, identity=who("DEU")) as db, pytest.raises(NotFound):
        incident_picture("mmau:2025-01-01/2025-01-01", db=db)

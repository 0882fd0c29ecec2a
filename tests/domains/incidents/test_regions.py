"""Regions of stored attacks: every region a report names is kept, marked like the report; the region filter and the
counts by region only ever see what the reader may see (both databases)."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from reassure.core.errors import InputError
from reassure.core.regions import require_region
from reassure.db.uow import unit_of_work
from reassure.domains.incidents.actions import ingest_report
from reassure.domains.incidents.indicators import indicator_table
from reassure.domains.incidents.models import IncidentRegion
from reassure.domains.incidents.service import (
    get_incident,
    incident_frame,
    list_incidents,
    page_incidents,
    region_counts,
)
from reassure.settings import Settings
from tests.conftest import who

NIGHT = ("On 4 September 2025 Russia launched 112 Shahed drones; 84 were shot down. Hits were recorded in Kharkiv "
         "oblast and on Sumy; air defence worked over six regions.")
FRENCH_NIGHT = "On 4 September 2025 Russia launched 110 drones; 80 were shot down. Debris fell in the Odesa region."
FRENCH_OTHER = "Russia launched 20 drones on 12 September 2025; 15 were shot down over Kharkiv Oblast."
UKRAINIAN = "10.09.2025 противник атакував 30 ударними БпЛА, збито 25. Влучання на Харківщині та у Київській області."


@pytest.fixture
def stored(settings: Settings) -> Settings:
    """A public night attack on Kharkiv and Sumy; France's own report of it naming Odesa, and France's own attack on
    Kharkiv; a public Ukrainian report naming Kharkiv and Kyiv oblast."""
    with unit_of_work(settings, identity=who("GBR")) as db:
        ingest_report(NIGHT, db=db, name="night.txt", publisher="Wire", rel_to="PUBLIC")
        ingest_report(UKRAINIAN, db=db, name="uk.txt", publisher="Air Force", rel_to="PUBLIC")
    with unit_of_work(settings, identity=who("FRA")) as db:
        ingest_report(FRENCH_NIGHT, db=db, name="fra-night.txt", publisher="French desk", rel_to=",FRA,")
        ingest_report(FRENCH_OTHER, db=db, name="fra-other.txt", publisher="French desk", rel_to=",FRA,")
    return settings


def test_every_region_a_report_names_is_stored_with_the_reports_marking(stored: Settings) -> None:
    with unit_of_work(stored, identity=who("FRA")) as db:
        rows = {(r.code, r.rel_to) for r in db.scalars(select(IncidentRegion))}
        night = next(i for i in list_incidents(db=db, start=date(2025, 9, 4), end=date(2025, 9, 4)))
        detail = get_incident(night.key, db=db)
    assert ("UA-63", "PUBLIC") in rows and ("UA-59", "PUBLIC") in rows and ("UA-51", ",FRA,") in rows
    assert [r.code for r in night.regions] == ["UA-51", "UA-59", "UA-63"]  # France sees its own account's region
    assert [r.label for r in night.regions] == ["Odesa Oblast", "Sumy Oblast", "Kharkiv Oblast"]
    public = next(a for a in detail.accounts if a.marking == "PUBLIC")
    assert public.region_count is not None and (public.region_count.value, public.region_count.qualifier) == (
        6, "at_least")


@pytest.mark.parametrize("region", ["UA-63", "Kharkiv", "Харківщина", "kharkov oblast"])
def test_a_region_filter_never_reveals_hidden_incidents(stored: Settings, region: str) -> None:
    code = require_region(region)
    seen = {}
    for nation in ("DEU", "FRA"):
        with unit_of_work(stored, identity=who(nation)) as db:
            visible = [i for i in list_incidents(db=db) if code in {r.code for r in i.regions}]
            page, total = page_incidents(db=db, region=code)
            frame = incident_frame(db=db, region=code)
            table = indicator_table(db=db, every="month", region=code)
            seen[nation] = (len(visible), total, len(page), frame["incident_id"].n_unique(),
                            sum(r.attacks or 0 for r in table.rows), region_counts(db=db).get(code, 0))
    assert seen["DEU"] == (2, 2, 2, 2, 2, 2)  # the public night and the Ukrainian report: France's attack is hidden
    assert seen["FRA"] == (3, 3, 3, 3, 3, 3)


def test_a_hidden_report_never_places_a_visible_incident_in_its_region(stored: Settings) -> None:
    with unit_of_work(stored, identity=who("DEU")) as db:
        assert page_incidents(db=db, region="UA-51") == ([], 0)
        assert incident_frame(db=db, region="UA-51").height == 0
        assert "UA-51" not in region_counts(db=db)
        night = list_incidents(db=db, start=date(2025, 9, 4), end=date(2025, 9, 4))[0]
        assert [r.code for r in night.regions] == ["UA-59", "UA-63"]
    with unit_of_work(stored, identity=who("FRA")) as db:
        assert page_incidents(db=db, region="UA-51")[1] == 1


def test_an_attack_on_several_regions_counts_in_each(stored: Settings) -> None:
    with unit_of_work(stored, identity=who("DEU")) as db:
        counts = region_counts(db=db)
        frame = incident_frame(db=db)
    assert counts == {"UA-63": 2, "UA-59": 1, "UA-32": 1}
    assert sorted(frame.unique("incident_id")["regions"].explode().drop_nulls().to_list()) == [
        "UA-32", "UA-59", "UA-63", "UA-63"]


def test_a_region_that_is_no_region_is_refused_not_dropped() -> None:
    with pytest.raises(InputError, match="no region of Ukraine"):
        require_region("Atlantis")
    assert require_region(None) is None and require_region("  ") is None

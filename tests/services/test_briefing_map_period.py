"""The brief's incident map counts a chosen period, by default the most recent complete month of the data
(docs/adr/0040): events of 2014-2023 are not counted in the default map (both databases)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from reassure.core.map_period import parse_map_period
from reassure.db.uow import unit_of_work
from reassure.domains.incidents.actions import import_ucdp
from reassure.domains.scenarios.importing import import_document
from reassure.scenario_io.load import load_document
from reassure.services.briefing import brief_context
from reassure.settings import Settings
from tests.conftest import who
from tests.monitoring.feeds.test_ucdp_types import ucdp_file
from tests.scenario_io.samples import VALID, write

OLD = [f"{2000 + i},1,{year}-06-0{i},{year}-06-0{i},2,2,3,1,1,2,1,Donetsk oblast,Government of Russia,"
       "Government of Ukraine" for i, year in enumerate((2014, 2016, 2020, 2023), start=1)]
RECENT = ["3001,1,2025-09-20,2025-09-20,2,2,3,1,1,2,1,Kharkiv oblast,Government of Russia,Government of Ukraine",
          "3002,1,2025-10-12,2025-10-12,2,2,3,1,1,2,1,Zaporizhzhya oblast,Government of Russia,Government of Ukraine"]


def test_the_default_map_is_the_last_complete_month_not_all_dates(settings: Settings, tmp_path: Path) -> None:
    with unit_of_work(settings, identity=who("GBR")) as db:
        import_document(load_document(write(tmp_path, VALID)), db=db, origin="scenario.yaml")
        import_ucdp(ucdp_file(tmp_path, OLD + RECENT), db=db, rel_to="PUBLIC")
    with unit_of_work(settings, identity=who("FRA")) as db:
        default = brief_context("small", db=db)
        every = brief_context("small", db=db, map_period=parse_map_period("all"))
    # the newest event is of 12 October 2025: September 2025 is the last complete month, with one event in Kharkiv
    assert (default.map_period.start, default.map_period.end) == (date(2025, 9, 1), date(2025, 9, 30))
    assert default.regions == {"UA-63": 1} and default.map_period.words == "September 2025"
    assert every.regions == {"UA-14": 4, "UA-63": 1, "UA-23": 1}  # 2014-2023 in Donetsk only when asked for

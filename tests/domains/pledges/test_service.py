"""Reading one pledge: as `list_pledges` reads it, and NotFound when hidden or absent (they look the same)."""

from __future__ import annotations

from pathlib import Path

import pytest

from reassure.core.errors import NotFound
from reassure.db.uow import unit_of_work
from reassure.domains.pledges.service import get_pledge, list_pledges
from reassure.domains.scenarios.importing import import_document
from reassure.scenario_io.load import load_document
from reassure.settings import Settings
from tests.conftest import who
from tests.scenario_io.samples import VALID, write


def test_get_pledge_reads_one_visible_pledge(settings: Settings, tmp_path: Path) -> None:
    with unit_of_work(settings, identity=who("FRA")) as db:
        import_document(load_document(write(tmp_path, VALID)), db=db, origin="tests")
    with unit_of_work(settings, identity=who("FRA")) as db:
        listed = {p.key: p for p in list_pledges(db=db, scenario="small")}
        assert get_pledge("small", "GBR-FS", db=db) == listed["GBR-FS"]
        assert get_pledge("small", "FRA-FS", db=db) == listed["FRA-FS"]
        with pytest.raises(NotFound, match="NO-SUCH"):
            get_pledge("small", "NO-SUCH", db=db)
        with pytest.raises(NotFound):
            get_pledge("other", "FRA-FS", db=db)
    with unit_of_work(settings, identity=who("DEU")) as db:
        with pytest.raises(NotFound, match="GBR-FS"):
            get_pledge("small", "GBR-FS", db=db)
        assert get_pledge("small", "FRA-FS", db=db).key == "FRA-FS"

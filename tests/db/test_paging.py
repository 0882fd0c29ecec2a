"""The paging helper: a page and its total read through the access filter, filters applied before the count, and no
page of an unordered select (both databases)."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from reassure.core.markings import PUBLIC, Releasability
from reassure.db.paging import count_of, paged, paged_rows
from reassure.db.uow import unit_of_work
from reassure.domains.nations.models import Membership, Nation
from reassure.domains.nations.service import list_nations, page_nations
from reassure.settings import Settings
from tests.conftest import who

FRA, GBR = who("FRA"), who("GBR")


def _memberships(settings: Settings) -> None:
    with unit_of_work(settings, identity=GBR) as db:
        db.add_all([Membership(nation_code="EST", organisation="NATO", rel_to=PUBLIC),
                    Membership(nation_code="LVA", organisation="EU", rel_to=PUBLIC),
                    Membership(nation_code="LTU", organisation="NATO", rel_to=Releasability.to("GBR").to_column()),
                    Membership(nation_code="FIN", organisation="NATO",
                               rel_to=Releasability.to("GBR", "FRA").to_column())])


def test_a_count_sees_what_the_rows_see(settings: Settings) -> None:
    _memberships(settings)
    query = select(Membership).order_by(Membership.nation_code, Membership.id)
    for identity, codes in ((FRA, ["EST", "FIN", "LVA"]), (GBR, ["EST", "FIN", "LTU", "LVA"])):
        with unit_of_work(settings, identity=identity) as db:
            assert count_of(db, query) == len(codes)
            first, total = paged(db, query, limit=2, offset=0)
            rest, again = paged(db, query, limit=2, offset=2)
            assert total == again == len(codes) and [m.nation_code for m in first + rest] == codes
            rows, filtered = paged_rows(db, query.where(Membership.organisation == "NATO"), limit=1, offset=1)
            assert filtered == codes.count("EST") + codes.count("FIN") + codes.count("LTU")
            assert [r[0].nation_code for r in rows] == [c for c in codes if c != "LVA"][1:2]


def test_nations_page_through_the_access_filter(settings: Settings) -> None:
    _memberships(settings)
    for identity, nato in ((FRA, ["EST", "FIN"]), (GBR, ["EST", "FIN", "LTU"])):
        with unit_of_work(settings, identity=identity) as db:
            listed = [n.code for n in list_nations(db=db, organisation="nato")]
            found, total = page_nations(db=db, organisation="nato", limit=1, offset=len(nato) - 1)
            assert listed == nato and total == len(nato) and [n.code for n in found] == nato[-1:]
            every, everyone = page_nations(db=db, everyone=True, limit=1000)
            assert everyone == len(every) == db.scalar(select(func.count(Nation.code))) > 200
            seen = page_nations(db=db, limit=1000)
            assert [n.code for n in seen[0]] == [n.code for n in list_nations(db=db)] and seen[1] == len(seen[0])


def test_an_unordered_select_has_no_pages(settings: Settings) -> None:
    with unit_of_work(settings, identity=FRA) as db, pytest.raises(ValueError, match="order"):
        paged(db, select(Membership), limit=10, offset=0)

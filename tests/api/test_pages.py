"""Paging in the database (docs/adr/0027): a listing of more than 10,000 rows has its true total and last page, pages
neither skip nor repeat a row, and a total never counts a row the reader may not read (both databases)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import insert, select

from reassure.core.markings import PUBLIC, Releasability
from reassure.core.public_ids import new_public_id
from reassure.db.uow import unit_of_work
from reassure.domains.jobs.models import Job
from reassure.settings import Settings
from tests.api.conftest import Api
from tests.conftest import who

MANY = 10_013  # beyond the 10,000 rows the slicing listings loaded


def bulk_jobs(settings: Settings, nation: str, rel_to: str, n: int) -> None:
    """Insert n finished jobs of a user of `nation` under a marking, in one statement through the data layer."""
    rows = [{"public_id": new_public_id("job"), "kind": "solve", "params": {"n": i}, "state": "done",
             "owner": f"bulk-{nation.lower()}", "owner_nation": nation, "rel_to": rel_to} for i in range(n)]
    with unit_of_work(settings, identity=who(nation)) as db:
        db.execute(insert(Job), rows)


def visible_ids(settings: Settings, nation: str) -> list[str]:
    """Return the public ids of the jobs a nation reads, newest first (straight from the database)."""
    with unit_of_work(settings, identity=who(nation)) as db:
        return list(db.scalars(select(Job.public_id).order_by(Job.id.desc())))


def every_page(api: Api, path: str, nation: str, limit: int) -> tuple[list[Any], set[int]]:
    """Return every item of a listing read page by page, and the totals the pages reported."""
    items: list[Any] = []
    totals: set[int] = set()
    offset = 0
    while True:
        found = api.get(path, nation, limit=limit, offset=offset)
        assert found.status_code == 200, found.text
        body = found.json()
        totals.add(body["total"])
        items += body["items"]
        if len(body["items"]) < limit:
            return items, totals
        offset += limit


def test_more_than_ten_thousand_rows_have_their_total_and_last_page(db_url: str) -> None:
    api = Api(db_url)
    bulk_jobs(api.settings, "FRA", PUBLIC, MANY)
    first = api.get("/jobs", "FRA", limit=5).json()
    assert first["total"] == MANY and len(first["items"]) == 5
    last = api.get("/jobs", "FRA", limit=1000, offset=10_000).json()
    assert last["total"] == MANY and len(last["items"]) == MANY - 10_000
    assert last["items"][-1]["params"] == {"n": 0}  # newest first: the last page ends on the first row written
    assert api.get("/jobs", "FRA", limit=1000, offset=MANY).json() == {"items": [], "total": MANY, "limit": 1000,
                                                                        "offset": MANY}
    items, totals = every_page(api, "/jobs", "FRA", 1000)
    assert totals == {MANY} and [j["id"] for j in items] == visible_ids(api.settings, "FRA")  # no skip, no repeat


def test_a_total_counts_only_what_the_nation_reads(db_url: str) -> None:
    api = Api(db_url)
    bulk_jobs(api.settings, "FRA", PUBLIC, 30)
    bulk_jobs(api.settings, "FRA", Releasability.to("FRA").to_column(), 25)
    bulk_jobs(api.settings, "GBR", Releasability.to("GBR").to_column(), 40)  # hidden from France
    bulk_jobs(api.settings, "GBR", Releasability.to("FRA", "GBR").to_column(), 5)
    for nation, seen in (("FRA", 60), ("GBR", 75), ("POL", 30)):
        items, totals = every_page(api, "/jobs", nation, 7)
        assert totals == {seen}, nation
        assert [j["id"] for j in items] == visible_ids(api.settings, nation), nation
    hidden = set(visible_ids(api.settings, "GBR")) - set(visible_ids(api.settings, "FRA"))
    assert len(hidden) == 40 and not hidden & {j["id"] for j in every_page(api, "/jobs", "FRA", 1000)[0]}

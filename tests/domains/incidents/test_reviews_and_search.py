"""Analysts' reviews of incidents (standing with a reason, comments: docs/adr/0037) and the incident search's
filters (source, free text, standing), on both databases."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from reassure.core.errors import Forbidden, InputError
from reassure.core.identity import Role
from reassure.core.markings import PUBLIC, Releasability
from reassure.db.uow import unit_of_work
from reassure.domains.audit.models import AuditEntry
from reassure.domains.incidents.actions import review_incident
from reassure.domains.incidents.models import IncidentReview
from reassure.domains.incidents.service import IncidentNotFound, get_incident, page_incidents
from reassure.settings import Settings
from tests.conftest import who
from tests.domains.incidents.factories import DAY, NIGHT, NIGHT_TEXT, air_attacks, text_report

REL_FRA = Releasability.to("FRA").to_column()


def _reviews(settings: Settings) -> int:
    with unit_of_work(settings, identity=who("FRA")) as db:
        return len(list(db.scalars(select(IncidentReview))))


def test_a_review_and_a_comment_are_audited_marked_and_hidden_from_another_nation(settings: Settings,
                                                                                  tmp_path: Path) -> None:
    air_attacks(settings, tmp_path, rel_to=PUBLIC)
    with unit_of_work(settings, identity=who("FRA")) as db:
        review = review_incident(NIGHT, db=db, standing="verified", text="  matches the  Air Force post ",
                                 rel_to=PUBLIC)
        comment = review_incident(NIGHT, db=db, text="debris fell on Kyiv", rel_to=REL_FRA)
    assert (review.standing, review.text, review.nation, review.author) == (
        "verified", "matches the Air Force post", "FRA", "fra-user")
    assert comment.standing is None and comment.marking == "REL TO FRA"
    with unit_of_work(settings, identity=who("FRA")) as db:
        shown = get_incident(NIGHT, db=db).reviews
        rows = list(db.scalars(select(AuditEntry).where(AuditEntry.action.in_(
            ["incidents.review", "incidents.comment"])).order_by(AuditEntry.id)))
    assert [(r.standing, r.text) for r in shown] == [("verified", "matches the Air Force post"),
                                                     (None, "debris fell on Kyiv")]
    assert [(r.action, r.entity_key, r.rel_to, r.details.get("after")) for r in rows] == [
        ("incidents.review", NIGHT, PUBLIC, {"standing": "verified", "text": "matches the Air Force post"}),
        ("incidents.comment", NIGHT, REL_FRA, {"comment": "debris fell on Kyiv"})]
    with unit_of_work(settings, identity=who("FRA")) as db:  # a second standing names the one it replaces
        review_incident(NIGHT, db=db, standing="unconfirmed", text="the post was withdrawn", rel_to=PUBLIC)
        last = db.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
    assert last is not None and last.details["before"] == {"standing": "verified"}
    with unit_of_work(settings, identity=who("DEU")) as db:  # another nation sees the public review only
        seen = get_incident(NIGHT, db=db).reviews
    assert [r.text for r in seen] == ["matches the Air Force post", "the post was withdrawn"]


@pytest.mark.parametrize(("identity", "error"), [
    (who("FRA", Role.VIEWER), Forbidden), (who("FRA", Role.PLANNER), Forbidden)])
def test_only_analysts_review_and_a_refusal_writes_nothing(settings: Settings, tmp_path: Path, identity: object,
                                                            error: type[Exception]) -> None:
    air_attacks(settings, tmp_path, rel_to=PUBLIC)
    with pytest.raises(error, match="analyst"), unit_of_work(settings, identity=identity) as db:  # type: ignore[arg-type]
        review_incident(NIGHT, db=db, text="a comment", rel_to=PUBLIC)
    assert _reviews(settings) == 0
    with unit_of_work(settings, identity=who("FRA", Role.ADMIN)) as db:  # an admin may
        review_incident(NIGHT, db=db, text="a comment", rel_to=PUBLIC)
    assert _reviews(settings) == 1


def test_bad_reviews_are_refused_with_their_fields(settings: Settings, tmp_path: Path) -> None:
    air_attacks(settings, tmp_path, rel_to=REL_FRA)
    cases = [({"standing": "true", "text": "x", "rel_to": REL_FRA}, "--standing"),
             ({"standing": "verified", "text": " ", "rel_to": REL_FRA}, "--reason"),
             ({"text": "x" * 2001, "rel_to": REL_FRA}, "TEXT"),
             ({"text": "x", "rel_to": Releasability.to("DEU").to_column()}, "not released to your nation"),
             ({"text": "x", "rel_to": PUBLIC}, "wider than the incident")]
    for kwargs, said in cases:
        with pytest.raises(InputError, match=said), unit_of_work(settings, identity=who("FRA")) as db:
            review_incident(NIGHT, db=db, **kwargs)  # type: ignore[arg-type]
    with pytest.raises(IncidentNotFound), unit_of_work(settings, identity=who("DEU")) as db:  # hidden is absent
        review_incident(NIGHT, db=db, text="x", rel_to=Releasability.to("DEU").to_column())
    assert _reviews(settings) == 0


def test_search_by_source_text_and_standing_pages_in_the_database(settings: Settings, tmp_path: Path) -> None:
    air_attacks(settings, tmp_path, rel_to=PUBLIC)
    text_report(settings, NIGHT_TEXT, rel_to=PUBLIC)  # a second publisher agrees on the night: verified

    def keys(**filters: object) -> tuple[list[str], int]:
        with unit_of_work(settings, identity=who("DEU")) as db:
            rows, total = page_incidents(db=db, limit=1, **filters)  # type: ignore[arg-type]
        return [r.key for r in rows], total

    assert keys(source="file-night") == ([NIGHT], 1)
    assert keys(source="no-such") == ([], 0)
    assert keys(standing="verified") == ([NIGHT], 1)
    assert keys(standing="unconfirmed") == ([DAY], 1)
    assert keys(standing="conflicting") == ([], 0)
    assert keys(text="air attack") == ([DAY], 2)  # newest first, one per page, the total counted by the database
    assert keys(text="100%_") == ([], 0)  # LIKE's wildcards are text
    with unit_of_work(settings, identity=who("DEU")) as db:
        detail = get_incident(NIGHT, db=db)
    assert detail.description and keys(text=detail.description.upper()[:12])[1] >= 1

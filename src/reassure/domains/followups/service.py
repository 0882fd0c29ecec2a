"""Read follow-ups: the reader's nation's only (every query also goes through the access filter, db/access.py)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from reassure.core.errors import InputError, NotFound
from reassure.core.public_ids import shown_id
from reassure.db.access import identity_of
from reassure.db.paging import paged
from reassure.domains.followups.models import STATES, Followup
from reassure.domains.followups.schemas import FollowupRead

UNASSIGNED = ""  # the owner of a follow-up nobody owns yet (a hook with no configured owner: docs/adr/0047)


class FollowupNotFound(NotFound):
    """No follow-up of that id is visible to you (hidden and absent alike)."""


def read_followup(f: Followup, *, today: date | None = None) -> FollowupRead:
    """Return the read model of a follow-up (`overdue` as of `today`, default the current day)."""
    day = today or date.today()
    return FollowupRead(id=f.public_id, nation=f.nation, owner=f.owner, title=f.title, follows_kind=f.follows_kind,
                        follows_key=f.follows_key, due_on=f.due_on, state=f.state,
                        overdue=f.state == "open" and f.due_on < day, note=f.note, created_by=f.created_by,
                        created_at=f.created_at, closed_at=f.closed_at, marking=str(f.releasability))


def _query(*, db: Session, state: str | None, owner: str | None, overdue_on: date | None) -> Select[Followup]:
    nation = identity_of(db).nation
    query = select(Followup).where(Followup.nation == nation).order_by(Followup.due_on, Followup.id)
    if state:
        if state not in STATES:
            raise InputError(f"state: expected one of {', '.join(STATES)}, got {state[:40]!r}")
        query = query.where(Followup.state == state)
    if owner:
        query = query.where(Followup.owner == owner)
    if overdue_on is not None:
        query = query.where(Followup.state == "open", Followup.due_on < overdue_on)
    return query


def page_followups(*, db: Session, state: str | None = None, owner: str | None = None, overdue_on: date | None = None,
                   today: date | None = None, limit: int = 100, offset: int = 0) -> tuple[list[FollowupRead], int]:
    """Return one page of the reader's nation's follow-ups, soonest due first (optionally one state, one owner's, or
    only those open and due before `overdue_on`), and how many there are."""
    rows, total = paged(db, _query(db=db, state=state, owner=owner, overdue_on=overdue_on), limit=limit,
                        offset=offset)
    return [read_followup(f, today=today) for f in rows], total


def list_followups(*, db: Session, state: str | None = None, owner: str | None = None,
                   overdue_on: date | None = None, today: date | None = None) -> list[FollowupRead]:
    """Return the reader's nation's follow-ups as page_followups orders them (all of them)."""
    return [read_followup(f, today=today)
            for f in db.scalars(_query(db=db, state=state, owner=owner, overdue_on=overdue_on))]


def find_followup(followup_id: str, *, db: Session) -> Followup:
    """Return a follow-up of the reader's nation by public id, or FollowupNotFound."""
    found = db.scalars(select(Followup).where(Followup.public_id == str(followup_id)[:40],
                                              Followup.nation == identity_of(db).nation)).first()
    if found is None:
        raise FollowupNotFound(f"no follow-up {shown_id(followup_id)}")
    return found

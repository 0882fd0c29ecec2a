"""Follow-ups of your nation (list, assign, close) and what lapses, must be renewed or is stale (docs/adr/0043)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query
from pydantic import BaseModel, Field

from reassure.api.deps import CallerDep
from reassure.api.pages import Limit, Offset, Page, page
from reassure.domains.followups import actions, service
from reassure.domains.followups.schemas import FollowupRead
from reassure.domains.preferences.actions import clear_followup_owner, set_followup_owner
from reassure.domains.preferences.schemas import FollowupOwnerRead
from reassure.domains.preferences.service import get_followup_owner
from reassure.services.renewals import RenewalsRead, renewals

router = APIRouter(tags=["followups"])
FollowupId = Annotated[str, Path(max_length=40, description="a follow-up's public id: fup_…")]


class Assign(BaseModel):
    """Who a follow-up goes to: a user of its nation."""

    owner: str = Field(min_length=1, max_length=64)


class Close(BaseModel):
    """How a follow-up ends: done or dropped, with an optional note."""

    state: Literal["done", "dropped"] = "done"
    note: str = Field(default="", max_length=2000)


@router.get("/followups", response_model=Page[FollowupRead])
def followups(caller: CallerDep, limit: Limit = 50, offset: Offset = 0,
              state: Annotated[Literal["open", "done", "dropped"] | None, Query()] = None,
              overdue: bool = False) -> Page[FollowupRead]:
    """Your nation's follow-ups, soonest due first (optionally one state, or only the open ones past due)."""
    today = date.today()
    return page(*caller.read(lambda db: service.page_followups(
        db=db, state=state, overdue_on=today if overdue else None, today=today, limit=limit, offset=offset)),
        limit, offset)


@router.post("/followups/{followup_id}/assign", response_model=FollowupRead)
def assign(caller: CallerDep, followup_id: FollowupId, request: Assign) -> FollowupRead:
    """Give an open follow-up to another user of your nation (planners and admins; audited)."""
    return caller.write(lambda db: actions.assign_followup(followup_id, request.owner, db=db))


@router.post("/followups/{followup_id}/close", response_model=FollowupRead)
def close(caller: CallerDep, followup_id: FollowupId, request: Close) -> FollowupRead:
    """Close an open follow-up as done or dropped (its owner, or a planner; audited); 409 when already closed."""
    return caller.write(lambda db: actions.close_followup(followup_id, db=db, state=request.state,
                                                          note=request.note))


class Owner(BaseModel):
    """Who owns the follow-ups opened for your nation: a user of it (null: nobody, they are left unassigned)."""

    owner: str | None = Field(default=None, min_length=1, max_length=64)


@router.get("/followups/owner", response_model=FollowupOwnerRead)
def followup_owner(caller: CallerDep) -> FollowupOwnerRead:
    """Who owns the follow-ups opened for your nation (owner null: they are left unassigned)."""
    return caller.read(lambda db: get_followup_owner(db=db))


@router.put("/followups/owner", response_model=FollowupOwnerRead)
def put_followup_owner(caller: CallerDep, request: Owner) -> FollowupOwnerRead:
    """Set (or, with owner null, clear) your nation's follow-up owner (admins and planners; audited)."""
    owner = request.owner
    if owner is None:
        return caller.write(lambda db: clear_followup_owner(db=db))
    return caller.write(lambda db: set_followup_owner(owner, db=db))


@router.get("/renewals", response_model=RenewalsRead)
def renewals_route(caller: CallerDep, scenario: Annotated[str | None, Query(max_length=120)] = None,
                   window_days: Annotated[int | None, Query(ge=0, le=3650)] = None) -> RenewalsRead:
    """What of a scenario (default: your nation's default) lapses or must be renewed within the window (default: the
    server's setting, 90 days), and the claims and pledges last known true too long ago."""
    days = caller.settings.expiry_window_days if window_days is None else window_days
    return caller.read(lambda db: renewals(db=db, scenario=scenario, window_days=days,
                                           stale_days=caller.settings.stale_record_days))

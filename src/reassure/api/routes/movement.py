"""Freedom of movement: the restrictions on the force's movement (paged, newest first), one by id, and recording one
(analysts; audited, marked no wider than its source and tasks: docs/adr/0045)."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query
from pydantic import BaseModel, ConfigDict, Field

from reassure.api.deps import CallerDep
from reassure.api.pages import Limit, Offset, Page, page
from reassure.api.routes.intake import marking_column
from reassure.core.days import Day, Moment
from reassure.core.regions import require_region
from reassure.domains.movement.actions import record_movement
from reassure.domains.movement.schemas import MovementRead
from reassure.domains.movement.service import get_movement, page_movements

router = APIRouter(tags=["movement"])
Kind = Literal["denied_access", "checkpoint", "airspace_closure", "other"]
Text = Annotated[str, Field(max_length=2000)]


class MovementPost(BaseModel):
    """A restriction to record: kind, start (and end if it ended), region in any spelling, source and grade."""

    model_config = ConfigDict(extra="forbid")
    kind: Kind
    start: Moment
    end: Moment | None = None
    region: Annotated[str, Field(min_length=1, max_length=120)]
    source: Annotated[str, Field(min_length=1, max_length=80)]
    grade: Annotated[str, Field(pattern="^[A-Fa-f][1-6]$")]
    marking: Annotated[str, Field(min_length=1, max_length=400, examples=["PUBLIC", "REL TO FRA, GBR"])]
    publisher: Annotated[str | None, Field(min_length=1, max_length=200)] = None
    place: Annotated[str, Field(max_length=200)] = ""
    description: Text = ""
    scenario: Annotated[str | None, Field(min_length=1, max_length=120)] = None
    tasks: Annotated[list[Annotated[str, Field(min_length=1, max_length=80)]], Field(max_length=50)] = []


@router.get("/movement", response_model=Page[MovementRead])
def movements(caller: CallerDep, kind: Kind | None = None, since: Day | None = None, until: Day | None = None,
              region: Annotated[str | None, Query(max_length=120, description="a region in any spelling, or its "
                                                  "ISO 3166-2:UA code")] = None,
              limit: Limit = 50, offset: Offset = 0) -> Page[MovementRead]:
    """Restrictions on the force's freedom of movement, newest first, with source, grade and standing."""
    return page(*caller.read(lambda db: page_movements(db=db, kind=kind, region=require_region(region), start=since,
                                                       end=until, limit=limit, offset=offset)), limit, offset)


@router.get("/movement/{movement_id}", response_model=MovementRead)
def movement(caller: CallerDep, movement_id: Annotated[str, Path(min_length=1, max_length=40)]) -> MovementRead:
    """One restriction by its id (hidden and absent alike: 404)."""
    return caller.read(lambda db: get_movement(movement_id, db=db))


@router.post("/movement", response_model=MovementRead, status_code=201)
def add_movement(caller: CallerDep, body: MovementPost) -> MovementRead:
    """Record a restriction (analysts; audited)."""
    rel_to = marking_column(body.marking)
    return caller.write(lambda db: record_movement(
        db=db, kind=body.kind, start=body.start.replace(tzinfo=None), end=body.end.replace(tzinfo=None)
        if body.end else None, region=body.region, source=body.source, grade=body.grade.upper(), rel_to=rel_to,
        publisher=body.publisher, place=body.place, description=body.description, scenario=body.scenario,
        tasks=body.tasks))

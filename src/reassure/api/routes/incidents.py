"""Incidents (every report side by side) and the indicator table."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query
from pydantic import BaseModel, Field

from reassure.api.deps import CallerDep
from reassure.api.pages import Limit, Offset, Page, page
from reassure.core.days import Day
from reassure.core.regions import require_region
from reassure.domains.incidents.actions import RelinkResult, relink_report
from reassure.domains.incidents.indicators import IndicatorTable, indicator_table
from reassure.domains.incidents.schemas import IncidentDetail, IncidentRead
from reassure.domains.incidents.service import get_incident, page_incidents
from reassure.services.situation import ceasefire_args

router = APIRouter(tags=["incidents"])
Kind = Literal["air_attack", "ceasefire_violation", "other"]
Region = Annotated[str | None, Query(max_length=120, description="a region in any spelling or language, or its "
                                    "ISO 3166-2:UA code: 'Kharkiv oblast', 'Харківщина', 'UA-63'; it matches every "
                                    "incident a visible report places there (an attack may name several regions)")]
Standing = Literal["verified", "conflicting", "unconfirmed"]
Grade = Annotated[str | None, Query(pattern="^[A-Fa-f][1-6]$", description="only reports graded at least this")]


@router.get("/incidents", response_model=Page[IncidentRead])
def incidents(caller: CallerDep, kind: Kind | None = None, since: Day | None = None, until: Day | None = None,
              region: Region = None,
              source: Annotated[str | None, Query(max_length=80, description="only incidents a report of this "
                                                  "source (its key) tells of")] = None,
              q: Annotated[str | None, Query(max_length=200, description="free text found in the incident's place "
                                             "(region as written, or a region it names), summary or key; any "
                                             "case")] = None,
              standing: Annotated[Standing | None, Query(description="the standing its visible reports give it")]
              = None,
              limit: Limit = 50, offset: Offset = 0) -> Page[IncidentRead]:
    """Incidents newest first, each with its preferred report's figures, its sources and whether two or more
    sources corroborate it; filtered by kind, days, region, source, free text and standing."""
    return page(*caller.read(lambda db: page_incidents(db=db, kind=kind, start=since, end=until,
                                                       region=require_region(region), source=source, text=q,
                                                       standing=standing, limit=limit, offset=offset)),
                limit, offset)


class Relink(BaseModel):
    """Move a report (SOURCE:REFERENCE, the `id` of an account) to an incident (`to`, a key) or a new one (`new`)."""

    report: str = Field(min_length=3, max_length=700, examples=["file-night:night.txt"])
    to: str | None = Field(default=None, min_length=1, max_length=200)
    new: bool = False


@router.post("/incident-relinks", response_model=RelinkResult, status_code=201)
def relink(caller: CallerDep, body: Relink) -> RelinkResult:
    """Correct which incident a report is about (analysts); audited with before and after, and pinned so a
    re-import keeps it (docs/adr/0017). A report or incident you cannot see is 404, as if absent."""
    return caller.write(lambda db: relink_report(body.report, db=db, to=body.to, new=body.new))


@router.get("/incidents/{key:path}", response_model=IncidentDetail)
def incident(caller: CallerDep, key: Annotated[str, Path(min_length=1, max_length=120)]) -> IncidentDetail:
    """One incident with every report side by side: conflicting figures are shown, never merged (keys hold
    slashes: `mmau:2025-02-08T18:00/2025-02-09T08:00`)."""
    return caller.read(lambda db: get_incident(key, db=db))


@router.get("/indicators", response_model=IndicatorTable)
def indicators(caller: CallerDep, every: Literal["day", "week", "month"] = "month", since: Day | None = None,
               until: Day | None = None, region: Region = None, min_grade: Grade = None,
               last: Annotated[int, Query(ge=0, le=10_000)] = 24,
               scenario: Annotated[str | None, Query(max_length=80, description="the scenario whose ceasefire date "
                                                     "starts the count of violations (default: your nation's "
                                                     "default scenario)")] = None) -> IndicatorTable:
    """Launched, destroyed, suppressed and neutralized per period with interception rates (Wilson 95 %); each row's
    coverage (a period no source of a kind covers has null figures: unknown, not 0; `partial` periods carry their
    days of data and a per-day launch figure), the days each source covers, and whether the newest data is stale
    (older than the `stale_after_days` setting); violations from the scenario's ceasefire date on (none without one:
    `violations_note` says so)."""
    return caller.read(lambda db: indicator_table(db=db, every=every, start=since, end=until,
                                                  region=require_region(region),
                                                  min_grade=min_grade.upper() if min_grade else None, last=last,
                                                  stale_after_days=caller.settings.stale_after_days,
                                                  **ceasefire_args(db=db, scenario=scenario)))

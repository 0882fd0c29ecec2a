"""Sources and claims, scenarios and their summary, pledges (with their lifecycle), tasks, phases, command, legal
status."""

from __future__ import annotations

import hashlib
import re
from typing import Annotated, Literal

from fastapi import APIRouter, Header, Path, Query, Response
from pydantic import BaseModel, Field

from reassure.api.deps import CallerDep
from reassure.api.pages import Limit, Offset, Page, page
from reassure.core.capabilities import Domain
from reassure.core.days import Day
from reassure.core.errors import InputError
from reassure.domains.command.schemas import CommandNodeRead
from reassure.domains.command.service import command_tree
from reassure.domains.legal.schemas import LegalRead
from reassure.domains.legal.service import list_legal
from reassure.domains.nations.schemas import NationRead
from reassure.domains.nations.service import page_nations
from reassure.domains.phases.schemas import PhaseRead
from reassure.domains.phases.service import page_phases
from reassure.domains.pledges import actions as pledge_actions
from reassure.domains.pledges.schemas import PledgeEdit, PledgeHistory, PledgeRead
from reassure.domains.pledges.service import get_pledge, page_pledges, pledge_history
from reassure.domains.scenarios.schemas import CoalitionSummary, ScenarioRead
from reassure.domains.scenarios.service import coalition_summary, get_scenario, page_scenarios
from reassure.domains.sources.schemas import ClaimRead
from reassure.domains.sources.service import page_claims
from reassure.domains.tasks.schemas import TaskRead
from reassure.domains.tasks.service import list_tasks
from reassure.scenario_io.schema import PledgeEntry
from reassure.services.source_grades import CheckedSource, page_checked_sources

router = APIRouter(tags=["registry"])
Name = Annotated[str, Path(min_length=1, max_length=120)]
Standing = Literal["verified", "unconfirmed", "assumption"]
Nation = Annotated[str | None, Query(min_length=3, max_length=3, pattern="^[A-Za-z]{3}$")]


@router.get("/sources", response_model=Page[CheckedSource])
def sources(caller: CallerDep, limit: Limit = 100, offset: Offset = 0) -> Page[CheckedSource]:
    """Sources visible to you, with their reliability, how many claims cite them, how many graded items you see cite
    them, and `grade_flag` when their items' credibility follows the reliability letter (not judged apart)."""
    return page(*caller.read(lambda db: page_checked_sources(db=db, limit=limit, offset=offset)), limit, offset)


@router.get("/claims", response_model=Page[ClaimRead])
def claims(caller: CallerDep, standing: Standing | None = None,
           topic: Annotated[str | None, Query(max_length=80)] = None, nation: Nation = None,
           limit: Limit = 100, offset: Offset = 0) -> Page[ClaimRead]:
    """Claims (newest report first) with standing, Admiralty grade and sources."""
    return page(*caller.read(lambda db: page_claims(db=db, standing=standing, topic=topic, nation=nation, limit=limit,
                                                    offset=offset)), limit, offset)


@router.get("/scenarios", response_model=Page[ScenarioRead])
def scenarios(caller: CallerDep, limit: Limit = 100, offset: Offset = 0) -> Page[ScenarioRead]:
    """Scenarios visible to you (planning assumptions, each with its marking)."""
    return page(*caller.read(lambda db: page_scenarios(db=db, limit=limit, offset=offset)), limit, offset)


@router.get("/scenarios/{name}", response_model=ScenarioRead)
def scenario(caller: CallerDep, name: Name) -> ScenarioRead:
    """One scenario."""
    return caller.read(lambda db: get_scenario(name, db=db))


@router.get("/scenarios/{name}/summary", response_model=CoalitionSummary)
def summary(caller: CallerDep, name: Name) -> CoalitionSummary:
    """The scenario's pledged force by domain and nation (assumed), and the standing of the claims on record."""
    return caller.read(lambda db: coalition_summary(name, db=db))


@router.get("/scenarios/{name}/tasks", response_model=list[TaskRead])
def tasks(caller: CallerDep, name: Name) -> list[TaskRead]:
    """The scenario's tasks (demand per period, location, command, legal prerequisites)."""
    return caller.read(lambda db: list_tasks(name, db=db))


@router.get("/scenarios/{name}/command", response_model=list[CommandNodeRead])
def command(caller: CallerDep, name: Name) -> list[CommandNodeRead]:
    """The command tree, parents before children (OPCON/TACON, lead nations)."""
    return caller.read(lambda db: command_tree(name, db=db))


@router.get("/scenarios/{name}/phases", response_model=Page[PhaseRead])
def phases(caller: CallerDep, name: Name, limit: Limit = 50, offset: Offset = 0) -> Page[PhaseRead]:
    """The scenario's phases in order (docs/adr/0044): months, demand per task (a factor, stated units, or a task
    handed over to Ukrainian forces), entry condition and the monitor rule that checks it."""
    return page(*caller.read(lambda db: page_phases(name, db=db, limit=limit, offset=offset)), limit, offset)


@router.get("/scenarios/{name}/legal", response_model=list[LegalRead])
def legal(caller: CallerDep, name: Name) -> list[LegalRead]:
    """Legal instruments (SOFA, MoU, ROE) per nation, with status and dates."""
    return caller.read(lambda db: list_legal(name, db=db))


@router.get("/pledges", response_model=Page[PledgeRead])
def pledges(caller: CallerDep, scenario: Annotated[str | None, Query(max_length=120)] = None, nation: Nation = None,
            domain: Domain | None = None, limit: Limit = 100, offset: Offset = 0) -> Page[PledgeRead]:
    """Pledges with conditions, caveats, status, standing, grade and sources."""
    return page(*caller.read(lambda db: page_pledges(db=db, scenario=scenario, nation=nation,
                                                     domain=domain.value if domain else None, limit=limit,
                                                     offset=offset)), limit, offset)


@router.post("/scenarios/{name}/pledges", response_model=PledgeRead, status_code=201)
def add_pledge(caller: CallerDep, name: Name, entry: PledgeEntry) -> PledgeRead:
    """Add one pledge to a scenario (planners; audited): the body is a pledge as the scenario file writes one
    (`window: {from, to}`, `rotation: {max_tour, min_dwell}`, quantity 2, "2+", "1-3~2" or "undisclosed"); its
    marking defaults to the scenario's. A key the scenario already has is a conflict (409)."""
    return caller.write(lambda db: pledge_actions.add_pledge(name, entry, db=db))


def pledge_etag(found: PledgeRead) -> str:
    """Return a pledge read's ETag: its version, then a digest of what the reader sees (so If-None-Match still
    answers 304 only for the same body, and If-Match carries the version)."""
    digest = hashlib.sha256(found.model_dump_json().encode()).hexdigest()[:16]
    return f'W/"v{found.version}-{digest}"'


ETAG_VERSION = re.compile(r'^\s*(?:W/)?"?v?(\d{1,9})(?:-[0-9a-f]*)?"?\s*$')


def version_sent(body: int | None, if_match: str | None) -> int:
    """Return the version an edit was made from: the body's `version`, else the If-Match header's ETag."""
    if body is not None:
        return body
    if if_match is not None and (found := ETAG_VERSION.match(if_match)):
        return int(found.group(1))
    if if_match is not None:
        raise InputError(f"If-Match {if_match[:80]!r} is not a pledge's ETag: send the ETag of your read")
    raise InputError("send the version you read: a `version` field in the body, or an If-Match header with the "
                     "ETag of your read (an edit made without it could overwrite someone else's change)")


@router.get("/scenarios/{name}/pledges/{key}", response_model=PledgeRead)
def pledge(caller: CallerDep, name: Name, key: Name, response: Response) -> PledgeRead:
    """One pledge, with its `version` (also in the ETag): send it back with an edit."""
    found = caller.read(lambda db: get_pledge(name, key, db=db))
    response.headers["ETag"] = pledge_etag(found)
    return found


class PledgeChange(PledgeEdit):
    """An edit of a pledge, made from the version its writer read (here, or the If-Match header)."""

    version: Annotated[int | None, Field(ge=1, le=10**9)] = None


@router.patch("/scenarios/{name}/pledges/{key}", response_model=PledgeRead,
              responses={409: {"description": "someone changed the pledge since you read it: nothing was written"}})
def edit_pledge(caller: CallerDep, name: Name, key: Name, change: PledgeChange, response: Response,
                if_match: Annotated[str | None, Header(max_length=200)] = None) -> PledgeRead:
    """Change a pledge's probability, notes, notice, rotation, validity or renewal (planners; audited). Send the
    version you read (`version`, or If-Match with its ETag): if someone changed the pledge since, the answer is 409
    naming who, and nothing is written; read it again and redo the change."""
    expected = version_sent(change.version, if_match)
    edit = PledgeEdit.model_validate(change.model_dump(exclude={"version"}, exclude_unset=True))
    found = caller.write(lambda db: pledge_actions.edit_pledge(name, key, edit, expected_version=expected, db=db))
    response.headers["ETag"] = pledge_etag(found)
    return found


@router.get("/scenarios/{name}/pledges/{key}/history", response_model=PledgeHistory)
def history(caller: CallerDep, name: Name, key: Name) -> PledgeHistory:
    """A pledge's dated lifecycle."""
    return caller.read(lambda db: pledge_history(name, key, db=db))


class StatusChange(BaseModel):
    """A pledge reaching a status on a date, citing a source if given."""

    status: Literal["announced", "offered", "confirmed", "deployed", "withdrawn"]
    on_date: Day
    source: Annotated[str | None, Field(max_length=120)] = None
    version: Annotated[int | None, Field(ge=1, le=10**9)] = None  # the version read: checked when given


@router.post("/scenarios/{name}/pledges/{key}/status", response_model=PledgeHistory, status_code=201)
def change_status(caller: CallerDep, name: Name, key: Name, change: StatusChange) -> PledgeHistory:
    """Record a pledge's status change (planners); audited."""
    return caller.write(lambda db: pledge_actions.change_status(name, key, change.status, change.on_date, db=db,
                                                                source=change.source,
                                                                expected_version=change.version))


@router.get("/nations", response_model=Page[NationRead])
def nations(caller: CallerDep, organisation: Annotated[str | None, Query(pattern="^[A-Za-z]{2,20}$")] = None,
            everyone: bool = False, limit: Limit = 300, offset: Offset = 0) -> Page[NationRead]:
    """Nations with their memberships (NATO, EU, the coalition) and reference figures, each with its source; every
    ISO nation with `everyone=true`."""
    return page(*caller.read(lambda db: page_nations(db=db, organisation=organisation, everyone=everyone, limit=limit,
                                                     offset=offset)), limit, offset)

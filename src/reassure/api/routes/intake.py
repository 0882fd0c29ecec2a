"""Report intake from another system with its token (analysts): report texts and air-attack rows go through the
same extraction and ingest actions as files, idempotently (docs/adr/0045). 201 when something was written, 200 when
the post was already stored (nothing changed)."""

from __future__ import annotations

import logging
from typing import Annotated

from fastapi import APIRouter, BackgroundTasks, Request, Response
from pydantic import BaseModel, ConfigDict, Field, StrictBool

from reassure.api.deps import CallerDep, settings_of
from reassure.core.days import Day
from reassure.core.errors import InputError, Problem, ReassureError
from reassure.core.markings import MarkingError, parse_marking
from reassure.services.intake import IntakeResult, intake_air_attacks, intake_report

router = APIRouter(tags=["intake"])
log = logging.getLogger("reassure.alerts")
Marking = Annotated[str, Field(min_length=1, max_length=400, examples=["PUBLIC", "REL TO FRA, GBR"],
                               description="releasability of what is written (your nation included)")]
Cell = Annotated[str, Field(max_length=400)] | int | None


class ReportPost(BaseModel):
    """A report text (English or Ukrainian) and how to file it; `name` defaults to the text's fingerprint."""

    model_config = ConfigDict(extra="forbid")
    text: Annotated[str, Field(min_length=1, max_length=100_000)]
    marking: Marking
    name: Annotated[str | None, Field(min_length=1, max_length=200, description="the sender's reference")] = None
    source: Annotated[str | None, Field(min_length=1, max_length=80)] = None
    publisher: Annotated[str | None, Field(min_length=1, max_length=200)] = None
    date: Day | None = None
    grade: Annotated[str | None, Field(pattern="^[A-Fa-f][1-6]$")] = None
    reported_by: Annotated[str | None, Field(min_length=1, max_length=200)] = None


class AirAttackPost(BaseModel):
    """Air-attack rows with the per-attack CSV's columns (time_start, time_end, model, launched, destroyed, ...)."""

    model_config = ConfigDict(extra="forbid")
    rows: Annotated[list[Annotated[dict[Annotated[str, Field(max_length=40)], Cell], Field(min_length=1)]],
                    Field(min_length=1, max_length=20_000)]
    marking: Marking
    name: Annotated[str | None, Field(min_length=1, max_length=200)] = None
    strict: StrictBool = False


def marking_column(text: str) -> str:
    """Return a posted marking in its stored form, or raise InputError naming the `marking` field."""
    try:
        return parse_marking(text).to_column()
    except MarkingError as error:
        raise InputError([Problem("", "", "marking", str(error))]) from None


def _alerts(request: Request) -> None:
    """Evaluate the rules after the ingest as every nation with a user or channel and send their state changes, as
    `reassure ingest` does (jobs/alerts.after_ingest), together with the ingests posted while an evaluation runs
    (after_ingest_coalesced); the ingest is kept whatever happens here."""
    from reassure.jobs.alerts import after_ingest_coalesced

    try:
        after_ingest_coalesced(settings_of(request))
    except ReassureError as error:
        log.warning("the posted ingest is stored, but the rules were not evaluated after it: %s", error.message)


def _status(result: IntakeResult, request: Request, response: Response, tasks: BackgroundTasks) -> IntakeResult:
    response.status_code = 201 if result.changed else 200
    if result.changed:  # something new: the rules are evaluated after the answer is sent
        tasks.add_task(_alerts, request)
    return result


@router.post("/intake/reports", response_model=IntakeResult, status_code=201,
             responses={200: {"model": IntakeResult, "description": "already stored: nothing changed"}})
def post_report(caller: CallerDep, body: ReportPost, request: Request, response: Response,
                tasks: BackgroundTasks) -> IntakeResult:
    """Ingest a report text as `reassure ingest report` does (analysts; audited; the rules are then evaluated and
    their state changes sent); posting it again changes nothing and says so (200, `changed` false)."""
    rel_to = marking_column(body.marking)
    return _status(caller.write(lambda db: intake_report(
        body.text, db=db, rel_to=rel_to, name=body.name, source=body.source, publisher=body.publisher,
        on_date=body.date, grade=body.grade.upper() if body.grade else None, reported_by=body.reported_by)),
        request, response, tasks)


@router.post("/intake/air-attacks", response_model=IntakeResult, status_code=201,
             responses={200: {"model": IntakeResult, "description": "already stored: nothing changed"}})
def post_air_attacks(caller: CallerDep, body: AirAttackPost, request: Request, response: Response,
                     tasks: BackgroundTasks) -> IntakeResult:
    """Import air-attack rows as `reassure ingest air-attacks` imports the file (analysts; audited); rows already
    stored change nothing (200, `changed` false)."""
    rel_to = marking_column(body.marking)
    return _status(caller.write(lambda db: intake_air_attacks(body.rows, db=db, rel_to=rel_to, name=body.name,
                                                              strict=body.strict)), request, response, tasks)

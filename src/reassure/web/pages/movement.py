"""Recording a restriction on the force's freedom of movement from the security page's section (analysts; the form
is offered only to them): back to the section, or the page with the problems and nothing written."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from reassure.core.errors import InputError, Problem
from reassure.core.markings import MarkingError, parse_marking
from reassure.domains.movement.actions import record_movement
from reassure.web.pages.common import caller_of, check_csrf
from reassure.web.pages.security import security_page

router = APIRouter(include_in_schema=False)
Short = Annotated[str, Form(max_length=200)]


def _moment(text: str, field: str, problems: list[Problem], *, required: bool) -> datetime | None:
    if not text.strip():
        if required:
            problems.append(Problem("", "", field, "give a day and time (YYYY-MM-DDTHH:MM)"))
        return None
    try:
        return datetime.fromisoformat(text.strip())
    except ValueError:
        problems.append(Problem("", "", field, f"expected a day and time (YYYY-MM-DDTHH:MM), got {text[:40]!r}"))
        return None


@router.post("/security/movement", response_model=None)
def add_movement(request: Request, kind: Annotated[str, Form(max_length=20)] = "", start: Short = "",
                 end: Short = "", region: Annotated[str, Form(max_length=120)] = "", place: Short = "",
                 source: Annotated[str, Form(max_length=80)] = "", publisher: Short = "",
                 grade: Annotated[str, Form(max_length=2)] = "", marking: Annotated[str, Form(max_length=400)] = "",
                 scenario: Annotated[str, Form(max_length=120)] = "", tasks: Annotated[str, Form(max_length=2000)] = "",
                 description: Annotated[str, Form(max_length=2000)] = "",
                 csrf: Annotated[str, Form(max_length=100)] = "") -> Response:
    """Record a restriction (`reassure movement add`); audited."""
    check_csrf(request, csrf)
    caller = caller_of(request)
    form = {"kind": kind, "start": start, "end": end, "region": region, "place": place, "source": source,
            "publisher": publisher, "grade": grade, "marking": marking, "scenario": scenario, "tasks": tasks,
            "description": description}
    problems: list[Problem] = []
    began = _moment(start, "from", problems, required=True)
    ended = _moment(end, "until", problems, required=False)
    rel_to = ""
    try:
        rel_to = parse_marking(marking).to_column()
    except MarkingError as error:
        problems.append(Problem("", "", "marking", str(error)))
    if not source.strip():
        problems.append(Problem("", "", "source", "name the source that tells of it"))
    if not problems and began is not None:
        keys = [t.strip() for t in tasks.split(",") if t.strip()]
        try:
            caller.write(lambda db: record_movement(
                db=db, kind=kind, start=began, end=ended, region=region, source=source.strip(),
                grade=grade.strip().upper(), rel_to=rel_to, publisher=publisher.strip() or None, place=place,
                description=description, scenario=scenario.strip() or None, tasks=keys))
        except InputError as error:
            problems = error.problems
        else:
            return RedirectResponse("/security#movement", status_code=303)
    return security_page(request, status_code=422, movement_form=form, movement_problems=problems)

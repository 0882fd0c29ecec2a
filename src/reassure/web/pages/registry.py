"""The registry's pages: pledges (filtered; a partial table for htmx), one pledge with its history, sources and
verifications (and, for planners, its status change and withdrawal; for analysts, a verification), a new pledge's
form, and the command tree beside the legal matrix.

Each form calls the audited domain action the CLI calls (domains/pledges/actions.py); a viewer is shown none of them,
and one posted anyway is refused (403) by the action's role check. A refused form comes back as its page with the
problems, each naming its field, and nothing written."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from reassure.core.capabilities import CAPABILITIES, Location
from reassure.core.errors import Forbidden, InputError, ReassureError
from reassure.core.identity import Identity, Role
from reassure.core.labels import capability_title
from reassure.domains.pledges import actions
from reassure.domains.pledges.models import LIFECYCLE
from reassure.domains.pledges.schemas import PledgeEdit
from reassure.domains.pledges.service import list_pledges
from reassure.domains.scenarios.service import get_scenario
from reassure.domains.verifications.actions import add_verification
from reassure.domains.verifications.models import FINDINGS, KINDS, READINESS
from reassure.scenario_io.load import load_pledge_row
from reassure.scenario_io.schema import StatusStep
from reassure.services.caller import Caller
from reassure.services.coalition import command_picture, pledge_detail
from reassure.web.pages.common import caller_of, check_csrf, render, scenario_page

router = APIRouter(include_in_schema=False)


@router.get("/pledges", response_class=HTMLResponse)
def pledges(request: Request, scenario: str | None = None,
            nation: Annotated[str | None, Query(max_length=3)] = None,
            domain: Annotated[str | None, Query(max_length=10)] = None,
            standing: Annotated[str | None, Query(max_length=12)] = None,
            status: Annotated[str | None, Query(max_length=12)] = None,
            grade: Annotated[str | None, Query(max_length=2)] = None) -> HTMLResponse:
    def page(caller: Caller, name: str) -> HTMLResponse:
        rows = caller.read(lambda db: list_pledges(db=db, scenario=name, nation=nation or None,
                                                   domain=domain or None, standing=standing or None,
                                                   status=status or None, min_grade=grade or None))
        filters = {"nation": nation or "", "domain": domain or "", "standing": standing or "",
                   "status": status or "", "grade": grade or ""}
        partial = request.headers.get("HX-Request") == "true"
        return render(request, "pledge_rows.html" if partial else "pledges.html", scenario=name, rows=rows,
                      filters=filters, may_plan=may_plan(caller.identity))

    return scenario_page(request, scenario, page)


def may_plan(identity: Identity) -> bool:
    """Tell whether the viewer may take a planner's action (not in a read-only preview): their forms are shown."""
    return identity.has(Role.PLANNER) and not identity.read_only


class PledgeForm(BaseModel):
    """A new pledge's form: a pledge table's columns (blank meaning absent), the day of its status, the CSRF token."""

    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)

    key: str = Field(default="", max_length=200)
    nation: str = Field(default="", max_length=40)
    capability: str = Field(default="", max_length=80)
    quantity: str = Field(default="", max_length=40)
    personnel_per_unit: str = Field(default="", max_length=20)
    where: list[str] = Field(default_factory=list, max_length=4)
    available_from: str = Field(default="", max_length=20)
    available_to: str = Field(default="", max_length=20)
    max_tour: str = Field(default="", max_length=20)
    min_dwell: str = Field(default="", max_length=20)
    conditions: list[str] = Field(default_factory=list, max_length=50)
    caveats: str = Field(default="", max_length=20_000)
    status: str = Field(default="announced", max_length=20)
    status_date: str = Field(default="", max_length=20)
    standing: str = Field(default="assumption", max_length=20)
    grade: str = Field(default="", max_length=10)
    sources: str = Field(default="", max_length=2_000)
    marking: str = Field(default="", max_length=400)
    notes: str = Field(default="", max_length=20_000)
    csrf: str = Field(default="", max_length=100)

    def row(self) -> dict[str, Any]:
        """Return the fields as a pledge table's row (lists joined as the table writes them)."""
        values = self.model_dump(exclude={"csrf", "status_date"})
        values["where"], values["conditions"] = ";".join(self.where), ";".join(self.conditions)
        return values


@router.get("/pledges/new", response_class=HTMLResponse)
def new_pledge(request: Request, scenario: Annotated[str | None, Query(max_length=120)] = None) -> HTMLResponse:
    def page(caller: Caller, name: str) -> HTMLResponse:
        caller.identity.require(Role.PLANNER, "add a pledge")  # a viewer gets no form that would fail
        return _pledge_form(request, caller, name, PledgeForm(nation=caller.identity.nation,
                                                              marking=f"REL TO {caller.identity.nation}"))

    return scenario_page(request, scenario, page)


def _pledge_form(request: Request, caller: Caller, name: str, form: PledgeForm, status_code: int = 200,
                 problems: list[Any] | None = None, message: str | None = None) -> HTMLResponse:
    header = caller.read(lambda db: get_scenario(name, db=db))
    capabilities = sorted(((key, capability_title(key)) for key in CAPABILITIES), key=lambda c: c[1])
    return render(request, "pledge_new.html", status_code=status_code, scenario=header, form=form,
                  lifecycle=LIFECYCLE, problems=problems or [], message=message, capabilities=capabilities,
                  locations=[w.value for w in Location])


@router.post("/pledges/new", response_model=None)
def add_pledge(request: Request, scenario: Annotated[str, Query(max_length=120)],
               form: Annotated[PledgeForm, Form()]) -> Response:
    """Add a pledge from the form (the same action as `reassure pledge add`); its problems come back by field."""
    check_csrf(request, form.csrf)
    caller = caller_of(request)
    caller.identity.require(Role.PLANNER, "add a pledge")
    try:
        entry = load_pledge_row(form.row())
        if form.status_date:
            entry.history = [StatusStep(status=entry.status, date=date.fromisoformat(form.status_date))]
        added = caller.write(lambda db: actions.add_pledge(scenario, entry, db=db))
    except InputError as error:
        return _pledge_form(request, caller, scenario, form, 422, problems=error.problems)
    except ValueError:
        return _pledge_form(request, caller, scenario, form, 422, message="status date: expected a day (YYYY-MM-DD)")
    except ReassureError as error:
        if isinstance(error, Forbidden):
            raise
        return _pledge_form(request, caller, scenario, form, error.http_status, message=error.message)
    return RedirectResponse(f"/pledges/{quote(scenario, safe='')}/{quote(added.key, safe='')}", status_code=303)


@router.get("/pledges/{scenario}/{key}", response_class=HTMLResponse)
def pledge(request: Request, scenario: str, key: str) -> HTMLResponse:
    return _pledge_page(request, scenario, key)


def _pledge_page(request: Request, scenario: str, key: str, status_code: int = 200,
                 message: str | None = None, problems: list[Any] | None = None) -> HTMLResponse:
    caller = caller_of(request)
    detail = caller.read(lambda db: pledge_detail(scenario, key, db=db))
    return render(request, "pledge.html", status_code=status_code, scenario=scenario, pledge=detail.pledge,
                  history=detail.history, sources=detail.sources, may_plan=may_plan(caller.identity),
                  lifecycle=[s for s in LIFECYCLE if s != "withdrawn"], message=message,
                  verifications=detail.verifications, kinds=KINDS, findings=FINDINGS, readiness=READINESS,
                  problems=problems or [])


@router.post("/pledges/{scenario}/{key}/verifications", response_model=None)
def pledge_verification(request: Request, scenario: str, key: str,
                        on_date: Annotated[date, Form()], kind: Annotated[str, Form(max_length=20)],
                        finding: Annotated[str, Form(max_length=20)], source: Annotated[str, Form(max_length=200)],
                        grade: Annotated[str, Form(max_length=3)], found: Annotated[str, Form(max_length=6)] = "",
                        readiness: Annotated[str, Form(max_length=12)] = "",
                        notice: Annotated[str, Form(max_length=4)] = "",
                        notes: Annotated[str, Form(max_length=2000)] = "",
                        csrf: Annotated[str, Form(max_length=100)] = "") -> Response:
    """Record a verification of the pledge (analysts; the same action as `reassure verify add`); its problems come
    back on the pledge's page by field, nothing written."""
    check_csrf(request, csrf)
    caller = caller_of(request)
    caller.identity.require(Role.ANALYST, "verify pledges")
    numbers: dict[str, int | None] = {}
    for name, text in (("found", found), ("notice", notice)):
        numbers[name] = int(text) if text.strip().isdigit() else None
        if text.strip() and numbers[name] is None:
            return _pledge_page(request, scenario, key, 422, message=f"{name}: expected a whole number, got {text!r}")
    try:
        caller.write(lambda db: add_verification(scenario, key, db=db, on_date=on_date, kind=kind, finding=finding,
                                                 source=source, grade=grade, found=numbers["found"],
                                                 readiness=readiness or None, notice=numbers["notice"], notes=notes))
    except InputError as error:
        return _pledge_page(request, scenario, key, 422, message="the verification has problems",
                            problems=error.problems)
    except ReassureError as error:
        if isinstance(error, Forbidden):
            raise
        return _pledge_page(request, scenario, key, error.http_status, message=error.message)
    return RedirectResponse(f"/pledges/{quote(scenario, safe='')}/{quote(key, safe='')}#verification",
                            status_code=303)


@router.post("/pledges/{scenario}/{key}/status", response_model=None)
def pledge_status(request: Request, scenario: str, key: str,
                  status: Annotated[str, Form(max_length=20)], on_date: Annotated[date, Form()],
                  source: Annotated[str, Form(max_length=120)] = "",
                  version: Annotated[int | None, Form(ge=1, le=10**9)] = None,
                  csrf: Annotated[str, Form(max_length=100)] = "") -> Response:
    """Record a pledge's status on a date, citing a source if given (`withdrawn`: its withdrawal), if the pledge is
    still at the version the form showed (else the page says who changed it; nothing written)."""
    check_csrf(request, csrf)
    caller = caller_of(request)
    try:
        caller.write(lambda db: actions.change_status(scenario, key, status, on_date, db=db,
                                                      source=source or None, expected_version=version))
    except ReassureError as error:
        if isinstance(error, Forbidden):
            raise
        return _pledge_page(request, scenario, key, error.http_status, message=error.message)
    return RedirectResponse(f"/pledges/{quote(scenario, safe='')}/{quote(key, safe='')}", status_code=303)


@router.post("/pledges/{scenario}/{key}/edit", response_model=None)
def pledge_edit(request: Request, scenario: str, key: str, version: Annotated[int, Form(ge=1, le=10**9)],
                probability: Annotated[str, Form(max_length=6)] = "",
                notes: Annotated[str, Form(max_length=4000)] = "",
                csrf: Annotated[str, Form(max_length=100)] = "") -> Response:
    """Edit a pledge's probability and notes from the version the form showed (the same action as `reassure pledge
    edit`): a pledge changed since comes back on its page with who changed it, nothing written."""
    check_csrf(request, csrf)
    caller = caller_of(request)
    try:
        edit = PledgeEdit(probability=float(probability) if probability.strip() else None, notes=notes)
    except (ValueError, ValidationError):
        return _pledge_page(request, scenario, key, 422, message=f"probability: expected a number from 0 to 1, "
                                                                  f"got {probability!r}")
    try:
        caller.write(lambda db: actions.edit_pledge(scenario, key, edit, expected_version=version, db=db))
    except ReassureError as error:
        if isinstance(error, Forbidden):
            raise
        return _pledge_page(request, scenario, key, error.http_status, message=error.message)
    return RedirectResponse(f"/pledges/{quote(scenario, safe='')}/{quote(key, safe='')}", status_code=303)


@router.get("/command", response_class=HTMLResponse)
def command(request: Request, scenario: str | None = None) -> HTMLResponse:
    def page(caller: Caller, name: str) -> HTMLResponse:
        picture = caller.read(lambda db: command_picture(name, db=db))
        return render(request, "command.html", scenario=name, nodes=picture.nodes, roots=picture.roots,
                      kinds=picture.legal.kinds, matrix=picture.legal.rows, names=picture.legal.names)

    return scenario_page(request, scenario, page)

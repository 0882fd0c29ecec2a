"""The registry's pages: pledges (filtered; a partial table for htmx), one pledge with its history and sources, and
the command tree beside the legal matrix."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from reassure.domains.pledges.service import list_pledges
from reassure.services.caller import Caller
from reassure.services.coalition import command_picture, pledge_detail
from reassure.web.pages.common import caller_of, render, scenario_page

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
                      filters=filters)

    return scenario_page(request, scenario, page)


@router.get("/pledges/{scenario}/{key}", response_class=HTMLResponse)
def pledge(request: Request, scenario: str, key: str) -> HTMLResponse:
    detail = caller_of(request).read(lambda db: pledge_detail(scenario, key, db=db))
    return render(request, "pledge.html", scenario=scenario, pledge=detail.pledge, history=detail.history,
                  sources=detail.sources)


@router.get("/command", response_class=HTMLResponse)
def command(request: Request, scenario: str | None = None) -> HTMLResponse:
    def page(caller: Caller, name: str) -> HTMLResponse:
        picture = caller.read(lambda db: command_picture(name, db=db))
        return render(request, "command.html", scenario=name, nodes=picture.nodes, roots=picture.roots,
                      kinds=picture.legal.kinds, matrix=picture.legal.rows, names=picture.legal.names)

    return scenario_page(request, scenario, page)

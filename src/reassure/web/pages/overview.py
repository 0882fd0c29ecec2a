"""The overview (a scenario's nations on the map, its summary and newest facts) and the oblast boundaries its maps
draw."""

from __future__ import annotations

import json
from pathlib import Path as FilePath

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, HTMLResponse, Response

from reassure.core.errors import NotFound
from reassure.services.caller import Caller
from reassure.services.coalition import overview as overview_of
from reassure.web.pages.common import browser_of, render, scenario_page

router = APIRouter(include_in_schema=False)


@router.get("/", response_class=HTMLResponse)
def overview(request: Request, scenario: str | None = None) -> HTMLResponse:
    def page(caller: Caller, name: str) -> HTMLResponse:
        data = caller.read(lambda db: overview_of(name, db=db))
        return render(request, "overview.html", scenario=name,
                      nations_json=json.dumps([n.model_dump() for n in data.nations]), summary=data.summary,
                      backstop=data.backstop, leads=data.leads, scenarios=data.scenarios, facts=data.facts)

    return scenario_page(request, scenario, page)


@router.get("/assets/boundaries.geojson")
def boundaries(request: Request) -> Response:
    """The oblast boundaries the settings name (403 to the signed-out; 404 when none is configured)."""
    browser_of(request)
    path = request.app.state.settings.boundaries
    if path is None or not FilePath(path).is_file():
        raise NotFound("no oblast boundaries configured (REASSURE_BOUNDARIES)")
    return FileResponse(path, media_type="application/geo+json")

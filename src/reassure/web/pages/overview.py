"""The overview (a scenario's nations on the map, its summary and newest facts), the map page (the common operating
picture: incidents by oblast for one period, the planned force, the contributors; docs/adr/0039) and the oblast
boundaries the maps draw."""

from __future__ import annotations

import json
from datetime import date
from functools import lru_cache
from pathlib import Path as FilePath
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, Response

from reassure.charts.maps import oblast_shapes, theatre_map, world_map
from reassure.core.errors import NotFound
from reassure.domains.followups.service import list_followups
from reassure.services.caller import Caller
from reassure.services.coalition import overview as overview_of
from reassure.services.picture import Every, common_picture
from reassure.services.renewals import renewals
from reassure.web.pages.common import browser_of, render, scenario_page

router = APIRouter(include_in_schema=False)


@router.get("/", response_class=HTMLResponse)
def overview(request: Request, scenario: str | None = None) -> HTMLResponse:
    def page(caller: Caller, name: str) -> HTMLResponse:
        data = caller.read(lambda db: overview_of(name, db=db))
        settings, today = caller.settings, date.today()
        expiring, overdue = caller.read(lambda db: (
            renewals(db=db, scenario=name, today=today, window_days=settings.expiry_window_days,
                     stale_days=settings.stale_record_days),
            list_followups(db=db, overdue_on=today, today=today)))
        return render(request, "overview.html", scenario=name,
                      nations_json=json.dumps([n.model_dump() for n in data.nations]), summary=data.summary,
                      backstop=data.backstop, leads=data.leads, scenarios=data.scenarios, facts=data.facts,
                      renewals=expiring, overdue=overdue)

    return scenario_page(request, scenario, page)


@router.get("/assets/boundaries.geojson")
def boundaries(request: Request) -> Response:
    """The oblast boundaries the settings name (403 to the signed-out; 404 when none is configured)."""
    browser_of(request)
    path = request.app.state.settings.boundaries
    if path is None or not FilePath(path).is_file():
        raise NotFound("no oblast boundaries configured (REASSURE_BOUNDARIES)")
    return FileResponse(path, media_type="application/geo+json")


ATLAS = "/static/vendor/countries-110m.json"  # world-atlas outlines, served with the page's other assets
SHAPES = "/assets/oblasts.json"


@lru_cache(maxsize=2)
def _shapes(path: str, modified: float) -> dict[str, Any]:
    """The configured boundaries as the map page draws them (oblast_shapes), read once per file version."""
    return oblast_shapes(json.loads(FilePath(path).read_text(encoding="utf-8")))


def shapes_of(request: Request) -> dict[str, Any] | None:
    """Return the configured oblast boundaries for the map page (None when none is configured)."""
    path = request.app.state.settings.boundaries
    if path is None or not FilePath(path).is_file():
        return None
    return _shapes(str(path), FilePath(path).stat().st_mtime)


@router.get("/map", response_class=HTMLResponse)
def picture(request: Request, scenario: Annotated[str | None, Query(max_length=80)] = None,
            every: Every = "month", at: date | None = None) -> HTMLResponse:
    """The common operating picture: incidents by oblast in one month or week (default: the most recent complete
    one), the planned force by sector of the scenario's baseline plan, and the contributors on the whole world."""
    def page(caller: Caller, name: str) -> HTMLResponse:
        data = caller.read(lambda db: common_picture(name, db=db, every=every, day=at))
        shapes = shapes_of(request)
        layer = data.incidents
        counts = {r.code: r.count for r in layer.regions}
        theatre = theatre_map(shapes, counts, [s.model_dump() for s in data.force.sectors], period=layer.period.label,
                              shapes_url=SHAPES) if shapes else None
        world = world_map([n.model_dump() for n in data.nations], ATLAS)
        return render(request, "map.html", scenario=name, layer=layer, force=data.force, nations=data.nations,
                      theatre_json=json.dumps(theatre) if theatre else None, world_json=json.dumps(world),
                      most=max(counts.values(), default=0))

    return scenario_page(request, scenario, page)


@router.get(SHAPES)
def oblasts(request: Request) -> JSONResponse:
    """The oblast boundaries as the map page draws them (403 to the signed-out; 404 when none is configured)."""
    browser_of(request)
    shapes = shapes_of(request)
    if shapes is None:
        raise NotFound("no oblast boundaries configured (REASSURE_BOUNDARIES)")
    return JSONResponse(shapes, headers={"Cache-Control": "private, max-age=3600"})

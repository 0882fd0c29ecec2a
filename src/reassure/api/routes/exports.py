"""Downloads: a scenario as the YAML `reassure import` reads back, its pledges as CSV or XLSX, incidents and
indicators as CSV, JSON or GeoJSON, a plan's tours as CSV or iCalendar. Each holds only what the caller sees."""

from __future__ import annotations

import json
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from fastapi.responses import Response

from reassure.api.deps import CallerDep
from reassure.api.routes.plans import PlanId
from reassure.api.routes.registry import Name, Nation
from reassure.core.days import Day
from reassure.core.regions import normalise_region
from reassure.domains.incidents.indicators import IndicatorTable, indicator_table
from reassure.domains.incidents.schemas import IncidentRead
from reassure.domains.incidents.service import list_incidents
from reassure.domains.plans.service import plan_tours
from reassure.domains.scenarios.service import export_scenario
from reassure.exports.calendar import tours_calendar
from reassure.exports.geojson import feature_collection
from reassure.exports.tables import to_csv
from reassure.scenario_io.save import document_yaml, pledge_table
from reassure.services.situation import ceasefire_args

router = APIRouter(tags=["exports"])
Bom = Annotated[bool, Query(description="start a CSV with a UTF-8 byte-order mark (for spreadsheet programs that "
                                         "need one to read UTF-8, such as Excel on Windows)")]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_EXPORT = 100_000  # incidents per export

# What each download is, for the OpenAPI spec: its media type and the schema of its body.
CSV: dict[str, Any] = {"schema": {"type": "string", "description": "CSV (RFC 4180), a header row of field names, "
                                   "UTF-8; text that a spreadsheet would evaluate is quoted"}}
BINARY: dict[str, Any] = {"schema": {"type": "string", "format": "binary"}}
GEOJSON: dict[str, Any] = {"schema": {
    "type": "object", "required": ["type", "features", "without_coordinates"],
    "description": "a GeoJSON FeatureCollection (RFC 7946) of points; incidents without coordinates are counted, "
                   "never placed at 0, 0",
    "properties": {
        "type": {"type": "string", "enum": ["FeatureCollection"]},
        "features": {"type": "array", "items": {
            "type": "object", "required": ["type", "geometry", "properties"],
            "properties": {
                "type": {"type": "string", "enum": ["Feature"]},
                "geometry": {"type": "object", "required": ["type", "coordinates"], "properties": {
                    "type": {"type": "string", "enum": ["Point"]},
                    "coordinates": {"type": "array", "items": {"type": "number"}, "minItems": 2, "maxItems": 2,
                                    "description": "longitude, latitude (WGS 84)"}}},
                "properties": {"type": "object", "description": "the incident's fields as in incidents.json, "
                               "without latitude and longitude"}}}},
        "without_coordinates": {"type": "integer", "minimum": 0}}}}


def _downloads(description: str, model: Any = None, **content: dict[str, Any]) -> dict[int | str, dict[str, Any]]:
    """Return the spec of a download's 200 answer: its media types (by the path's format) and their schemas."""
    answer: dict[str, Any] = {"description": description, "content": content}
    if model is not None:  # the application/json body's schema, listed first: clients read the first as the answer
        answer["model"] = model
        answer["content"] = {"application/json": {}, **content}
    return {200: answer}


def _download(content: str | bytes, media_type: str, filename: str) -> Response:
    return Response(content, media_type=media_type,
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


@router.get("/scenarios/{name}/export.yaml", response_class=Response, responses=_downloads(
    "the scenario file (format reassure-scenario/1) that `reassure import` reads back",
    **{"application/yaml": {"schema": {"type": "string"}}}))
def scenario_yaml(caller: CallerDep, name: Name) -> Response:
    """The scenario (what you may see) in the scenario file format."""
    document = caller.read(lambda db: export_scenario(name, db=db))
    return _download(document_yaml(document), "application/yaml", f"{name}.yaml")


@router.get("/scenarios/{name}/pledges.{fmt}", response_class=Response, responses=_downloads(
    "pledges.csv: CSV; pledges.xlsx: a workbook with one sheet", **{"text/csv": CSV, XLSX: BINARY}))
def pledges_table(caller: CallerDep, name: Name, fmt: Literal["csv", "xlsx"], bom: Bom = False) -> Response:
    """The scenario's pledges as the table `reassure import` reads back (a text a spreadsheet would evaluate is
    neutralised: in CSV with a leading apostrophe that import removes, in XLSX as a text cell)."""
    document = caller.read(lambda db: export_scenario(name, db=db))
    media = "text/csv; charset=utf-8" if fmt == "csv" else XLSX
    return _download(pledge_table(document, fmt, bom=bom), media, f"{name}-pledges.{fmt}")


@router.get("/incidents.{fmt}", response_class=Response, responses=_downloads(
    "incidents.csv: CSV; incidents.json: a JSON array of incidents; incidents.geojson: GeoJSON",
    list[IncidentRead], **{"text/csv": CSV, "application/geo+json": GEOJSON}))
def incidents_file(caller: CallerDep, fmt: Literal["csv", "json", "geojson"], since: Day | None = None,
                   until: Day | None = None, region: Annotated[str | None, Query(max_length=120)] = None,
                   bom: Bom = False) -> Response:
    """Incidents with their preferred report's figures, sources, grade and marking."""
    found = caller.read(lambda db: list_incidents(db=db, start=since, end=until, region=normalise_region(region),
                                                  limit=MAX_EXPORT))
    rows = [i.model_dump(mode="json") for i in found]
    if fmt == "csv":  # one cell for the compared figures: "drones launched: conflict (mmau 58, file-x 90)"
        flat = [{**row, "figures": " / ".join(
            f"{f['figure']}: {f['verdict']} ({', '.join(v['source'] + ' ' + v['shown'] for v in f['values'])})"
            for f in row["figures"])} for row in rows]
        return _download(to_csv(flat, bom=bom), "text/csv; charset=utf-8", "incidents.csv")
    if fmt == "json":
        return _download(json.dumps(rows, ensure_ascii=False), "application/json", "incidents.json")
    return _download(json.dumps(feature_collection(rows), ensure_ascii=False), "application/geo+json",
                     "incidents.geojson")


@router.get("/indicators.{fmt}", response_class=Response, responses=_downloads(
    "indicators.csv: CSV, one row a period; indicators.json: the indicator table", IndicatorTable,
    **{"text/csv": CSV}))
def indicators_file(caller: CallerDep, fmt: Literal["csv", "json"],
                    every: Literal["day", "week", "month"] = "month", bom: Bom = False) -> Response:
    """Every indicator period (launched, destroyed, rates with intervals) over your incidents."""
    table = caller.read(lambda db: indicator_table(db=db, every=every, **ceasefire_args(db=db)))
    if fmt == "json":
        return _download(table.model_dump_json(), "application/json", f"indicators-{every}.json")
    return _download(to_csv((r.model_dump(mode="json") for r in table.rows), bom=bom), "text/csv; charset=utf-8",
                     f"indicators-{every}.csv")


@router.get("/plans/{plan_id}/tours.{fmt}", response_class=Response, responses=_downloads(
    "tours.csv: CSV, one row a tour; tours.ics: iCalendar (RFC 5545), one all-day event a tour",
    **{"text/csv": CSV, "text/calendar": {"schema": {"type": "string"}}}))
def tours_file(caller: CallerDep, plan_id: PlanId, fmt: Literal["csv", "ics"], nation: Nation = None,
               bom: Bom = False) -> Response:
    """A stored plan's tours with real dates (one nation's with `nation`): CSV, or iCalendar with one all-day
    event per tour. The plan is computed from planning assumptions, and its events say so."""
    tours = caller.read(lambda db: plan_tours(plan_id, db=db, nation=nation))
    public_id = plan_id  # found, so it is the plan's public id (no other text gets this far)
    suffix = f"-{nation.upper()}" if nation else ""
    if fmt == "csv":
        return _download(to_csv((t.model_dump(mode="json") for t in tours), bom=bom), "text/csv; charset=utf-8",
                         f"{public_id}{suffix}-tours.csv")
    return _download(tours_calendar(tours, plan=public_id, nation=nation), "text/calendar; charset=utf-8",
                     f"{public_id}{suffix}.ics")

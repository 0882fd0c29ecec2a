"""A choropleth of regions from GeoJSON (polygons and multipolygons) for the printed brief, as a Vega-Lite
specification (Altair's `mark_geoshape`) that vl-convert draws as SVG like the other charts: no browser, no tiles.
Regions are shaded by a count; regions without one are drawn grey, and the key says grey is no data."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from itertools import pairwise
from typing import Any

import altair as alt

from reassure.charts.vega import PLACEHOLDER

GREY = "#e8e8e8"  # a region with no incidents released to the reader
LIGHTEST, DARKEST = "#f3dcdf", "#b2182b"  # one incident and the most: the dark red at 15 % and 100 % over white


def _rings(geometry: Mapping[str, Any]) -> Iterable[list[list[float]]]:
    if geometry.get("type") == "Polygon":
        yield from geometry["coordinates"]
    elif geometry.get("type") == "MultiPolygon":
        for polygon in geometry["coordinates"]:
            yield from polygon


def _area(ring: list[list[float]]) -> float:
    """Twice the ring's signed area on the longitude-latitude plane (positive: anticlockwise)."""
    return sum(a[0] * b[1] - b[0] * a[1] for a, b in pairwise(ring))


def _polygon(rings: list[list[list[float]]]) -> list[list[list[float]]]:
    """Return a polygon's rings wound as Vega's spherical geometry reads them (d3-geo): the outer ring clockwise and
    its holes anticlockwise. GeoJSON (RFC 7946) winds them the other way, which d3 reads as the rest of the globe."""
    return [ring[::-1] if (_area(ring) > 0) == (i == 0) else ring for i, ring in enumerate(rings)]


def _rewound(geometry: Mapping[str, Any]) -> dict[str, Any]:
    if geometry.get("type") == "Polygon":
        return {"type": "Polygon", "coordinates": _polygon(geometry["coordinates"])}
    if geometry.get("type") == "MultiPolygon":
        return {"type": "MultiPolygon", "coordinates": [_polygon(p) for p in geometry["coordinates"]]}
    return dict(geometry)


def _mercator_y(latitude: float) -> float:
    return math.log(math.tan(math.pi / 4 + math.radians(latitude) / 2))


def choropleth(geojson: Mapping[str, Any], counts: Mapping[str, int], *, name_field: str = "shapeName",
               key_field: str | None = None, width: int = 640, title: str = "") -> dict[str, Any] | None:
    """Return the Vega-Lite spec of a map (None without a drawable feature): each feature shaded by counts[its
    key_field] (default: its name) and described by its name and count (each shape's aria-label in the SVG), in the
    Mercator projection (shapes keep their proportions) fitted to `width` and the height the regions need."""
    features = [f for f in geojson.get("features", []) if f.get("geometry")]
    points = [p for f in features for ring in _rings(f["geometry"]) for p in ring]
    if not points:
        return None
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    span_x = math.radians(max(xs) - min(xs)) or 1e-9
    height = max(1, round(width * (_mercator_y(max(ys)) - _mercator_y(min(ys))) / span_x))
    top = max(counts.values(), default=0) or 1
    rows = []
    for f in features:
        properties = f.get("properties") or {}
        name = str(properties.get(name_field, ""))
        count = counts.get(str(properties.get(key_field or name_field, ""))) or None
        label = f"{name}: {count} incident(s)" if count else f"{name}: no incidents released"
        # shade 0: no count, drawn grey (a count of 0 is never shown: the label and the key say "none released")
        rows.append({"type": "Feature", "geometry": _rewound(f["geometry"]),
                     "properties": {"shade": count or 0, "label": label}})
    key = (f"darker: more incidents (most: {top}); grey: none released to this reader, which is no data, not a quiet "
           "region")
    shade = alt.Fill("properties.shade:Q", legend=None,
                     scale=alt.Scale(domain=[0, top], range=[LIGHTEST, DARKEST], interpolate="rgb"))
    heading = alt.TitleParams(title, subtitle=key, anchor="start", fontSize=13, subtitleFontSize=11) if title else \
        alt.TitleParams(key, anchor="start", fontSize=11, fontWeight="normal")
    chart = alt.Chart(PLACEHOLDER).mark_geoshape(stroke="#333", strokeWidth=0.6).encode(
        fill=alt.condition("datum.properties.shade > 0", shade, alt.value(GREY)),
        description=alt.Description("properties.label:N"),
        tooltip=alt.Tooltip("properties.label:N", title="region"),
    ).project("mercator").properties(width=width, height=height, title=heading)
    spec: dict[str, Any] = chart.to_dict(validate=False)
    spec["data"] = {"values": rows}  # attached after Altair has built the spec, which would walk every coordinate
    spec.pop("datasets", None)
    return spec


# --- the common operating picture (docs/adr/0039) ---------------------------------------------------------------

PLANNED = "#1f5fa8"  # the planned force's circles (a planning assumption)
DOMAIN_COLOURS = {"land": "#6b8e23", "sea": "#1f5fa8", "air": "#9b59b6", "enabler": "#d98c1a"}
NOT_CONTRIBUTING = "#f2f2f2"
ANTARCTICA = "010"  # world-atlas id left off the contributors' map (no contributor, a third of its height)
SMALL_REGIONS = {"UA-30", "UA-40"}  # Kyiv city and Sevastopol: named in their tooltip and the table, not labelled


def _round(value: Any) -> Any:
    """Coordinates to 3 decimals (about 100 m): a third of the bytes, the same map at any width shown."""
    if isinstance(value, list):
        return [_round(v) for v in value]
    return round(value, 3) if isinstance(value, float) else value


def oblast_shapes(geojson: Mapping[str, Any], *, name_field: str = "shapeName",
                  key_field: str = "shapeISO") -> dict[str, Any]:
    """Return the regions as the map page's layer loads them: wound for Vega (see _polygon), coordinates rounded,
    each with only its `code` (key_field) and `name` (name_field) as properties."""
    features = [{"type": "Feature", "geometry": _round(_rewound(f["geometry"])),
                 "properties": {"code": str((f.get("properties") or {}).get(key_field, "")),
                                "name": str((f.get("properties") or {}).get(name_field, ""))}}
                for f in geojson.get("features", []) if f.get("geometry")]
    return {"type": "FeatureCollection", "features": features}


def _centroid(geometry: Mapping[str, Any]) -> tuple[float, float] | None:
    """Return the centroid of a geometry's largest ring (on the longitude-latitude plane), where its name goes."""
    rings = [r for r in _rings(geometry) if len(r) > 2]
    if not rings:
        return None
    ring = max(rings, key=lambda r: abs(_area(r)))
    twice = _area(ring)
    if not twice:
        return ring[0][0], ring[0][1]
    x = sum((a[0] + b[0]) * (a[0] * b[1] - b[0] * a[1]) for a, b in pairwise(ring)) / (3 * twice)
    y = sum((a[1] + b[1]) * (a[0] * b[1] - b[0] * a[1]) for a, b in pairwise(ring)) / (3 * twice)
    return x, y


def name_points(shapes: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Return where each region's name is written (oblast_shapes' features): "Kharkiv" for "Kharkiv Oblast"."""
    points = []
    for f in shapes.get("features", []):
        code, name = f["properties"]["code"], f["properties"]["name"]
        centre = _centroid(f["geometry"])
        if centre is None or code in SMALL_REGIONS:
            continue
        points.append({"lon": round(centre[0], 3), "lat": round(centre[1], 3),
                       "name": name.removesuffix(" Oblast").replace("Autonomous Republic of ", "")})
    return points


def _aspect(shapes: Mapping[str, Any], extra: Iterable[tuple[float, float]] = ()) -> float:
    """Return the height over width of the Mercator map of the shapes and extra points."""
    points = [p for f in shapes.get("features", []) for ring in _rings(f["geometry"]) for p in ring]
    points += [list(p) for p in extra]
    if not points:
        return 0.6
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    span_x = math.radians(max(xs) - min(xs)) or 1e-9
    return round((_mercator_y(max(ys)) - _mercator_y(min(ys))) / span_x, 3)


def theatre_map(shapes: Mapping[str, Any], counts: Mapping[str, int], sectors: Iterable[Mapping[str, Any]], *,
                period: str, shapes_url: str | None = None, width: int = 640) -> dict[str, Any]:
    """Return the Vega-Lite spec of the theatre: each region (oblast_shapes) shaded by its incidents in `period`
    (grey: none released, which is no data, never quiet), its name written on it, and the planned force as circles
    sized by units at the sectors that have a place (lon, lat). The regions are the spec's data, or loaded from
    `shapes_url` (the page); `usermeta.aspect` lets the browser fit the map to its box. Tooltips are text."""
    top = max(counts.values(), default=0) or 1
    placed = [dict(s) for s in sectors if s.get("lon") is not None and s.get("lat") is not None]
    rows = [{"code": code, "count": n} for code, n in counts.items() if n]
    regions: dict[str, Any] = {"url": shapes_url, "format": {"type": "json", "property": "features"}} \
        if shapes_url else {"values": list(shapes.get("features", []))}
    label = (f"datum.properties.name + ': ' + (datum.count ? datum.count + ' incident(s) in {period}' : "
             f"'no incidents released in {period}')")
    layers: list[dict[str, Any]] = [
        {"data": regions,
         "transform": [{"lookup": "properties.code", "from": {"data": {"values": rows}, "key": "code",
                                                              "fields": ["count"]}},
                       # 0 where none is released (a null would drop the region from the map: drawn grey instead)
                       {"calculate": "datum.count ? datum.count : 0", "as": "count"},
                       {"calculate": label, "as": "label"}],
         "mark": {"type": "geoshape", "stroke": "#333", "strokeWidth": 0.6},
         "encoding": {
             "fill": {"condition": {"test": "datum.count > 0", "field": "count", "type": "quantitative",
                                    "title": f"incidents, {period}",
                                    "scale": {"domain": [0, top], "range": [LIGHTEST, DARKEST], "interpolate": "rgb"},
                                    "legend": {"orient": "bottom", "direction": "horizontal", "gradientLength": 160}},
                      "value": GREY},
             "description": {"field": "label", "type": "nominal"},
             "tooltip": {"field": "label", "type": "nominal", "title": "region"}}},
        {"data": {"values": name_points(shapes)},
         "mark": {"type": "text", "fontSize": 9, "fill": "#222", "aria": False},
         "encoding": {"longitude": {"field": "lon", "type": "quantitative"},
                      "latitude": {"field": "lat", "type": "quantitative"},
                      "text": {"field": "name", "type": "nominal"}}},
    ]
    if placed:
        force = [{"lon": s["lon"], "lat": s["lat"], "planned": s.get("planned", 0),
                  "label": f"{s['sector']}: {s.get('planned', 0)} unit(s) planned, {s.get('demanded', 0)} demanded "
                           "(planning assumption)"} for s in placed]
        layers.append({
            "data": {"values": force},
            "mark": {"type": "circle", "color": PLANNED, "opacity": 0.75, "stroke": "white", "strokeWidth": 1},
            "encoding": {"longitude": {"field": "lon", "type": "quantitative"},
                         "latitude": {"field": "lat", "type": "quantitative"},
                         "size": {"field": "planned", "type": "quantitative", "title": "units planned (assumption)",
                                  "scale": {"range": [30, 700], "zero": True},
                                  "legend": {"orient": "bottom", "symbolFillColor": PLANNED}},
                         "description": {"field": "label", "type": "nominal"},
                         "tooltip": {"field": "label", "type": "nominal", "title": "planned force"}}})
    aspect = _aspect(shapes, [(s["lon"], s["lat"]) for s in placed])
    return {"$schema": "https://vega.github.io/schema/vega-lite/v5.json", "width": width,
            "height": max(1, round(width * aspect)), "usermeta": {"aspect": aspect},
            "projection": {"type": "mercator"}, "layer": layers,
            "config": {"view": {"stroke": None}, "legend": {"labelFontSize": 11, "titleFontSize": 11}}}


def world_map(nations: Iterable[Mapping[str, Any]], atlas: Mapping[str, Any] | str, *,
              width: int = 640) -> dict[str, Any]:
    """Return the Vega-Lite spec of the contributors on the whole world (Equal Earth, fitted to every country but
    Antarctica, so the Americas and Oceania are drawn): each contributor filled by its main domain, lead nations
    outlined in black, every country described by its name and what it pledged. `atlas` is the world-atlas
    TopoJSON (countries) or its URL; `nations` are the overview's rows (code, numeric, name, domain, role, units,
    personnel)."""
    rows = []
    for n in nations:
        if not n.get("numeric"):
            continue
        units = ", ".join(f"{d} {u}" for d, u in n.get("units", {}).items() if u)
        rows.append({"numeric": int(n["numeric"]), "domain": n.get("domain", "none"), "lead": n.get("role") == "lead",
                     "label": f"{n['name']}: {n.get('role', 'contributor')}, {units or 'no units'}; "
                              f"{n.get('personnel', 0)} personnel per rotation (assumed)"})
    data: dict[str, Any] = {"url": atlas} if isinstance(atlas, str) else {"values": atlas}
    data["format"] = {"type": "topojson", "feature": "countries"}
    domains = list(DOMAIN_COLOURS)
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json", "width": width, "height": round(width * 0.47),
        "usermeta": {"aspect": 0.47}, "data": data,
        "transform": [{"filter": f"datum.id != '{ANTARCTICA}'"},
                      {"calculate": "toNumber(datum.id)", "as": "numeric"},
                      {"lookup": "numeric", "from": {"data": {"values": rows}, "key": "numeric",
                                                     "fields": ["domain", "lead", "label"]}},
                      {"calculate": "datum.label ? datum.label : datum.properties.name + ': not a contributor'",
                       "as": "label"}],
        "projection": {"type": "equalEarth"},
        "mark": {"type": "geoshape"},
        "encoding": {
            "fill": {"condition": {"test": "datum.domain != null", "field": "domain", "type": "nominal",
                                   "title": "main domain of the pledged units (assumed)",
                                   "scale": {"domain": domains, "range": [DOMAIN_COLOURS[d] for d in domains]},
                                   "legend": {"orient": "bottom", "direction": "horizontal"}},
                     "value": NOT_CONTRIBUTING},
            "stroke": {"condition": {"test": "datum.lead", "value": "#000"}, "value": "#8899aa"},
            "strokeWidth": {"condition": {"test": "datum.lead", "value": 1.6}, "value": 0.4},
            "description": {"field": "label", "type": "nominal"},
            "tooltip": {"field": "label", "type": "nominal", "title": "country"}},
        "config": {"view": {"stroke": None}},
    }

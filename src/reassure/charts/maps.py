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

"""An SVG choropleth of regions from GeoJSON (polygons and multipolygons), for the printed brief: no browser, no
tiles. Regions are shaded by a count; regions without one are drawn grey and labelled "no incidents" in the key."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from html import escape
from typing import Any


def _rings(geometry: Mapping[str, Any]) -> Iterable[list[list[float]]]:
    if geometry.get("type") == "Polygon":
        yield from geometry["coordinates"]
    elif geometry.get("type") == "MultiPolygon":
        for polygon in geometry["coordinates"]:
            yield from polygon


def choropleth(geojson: Mapping[str, Any], counts: Mapping[str, int], *, name_field: str = "shapeName",
               key_field: str | None = None, width: int = 640, title: str = "") -> str:
    """Return an SVG map: each feature shaded by counts[its key_field] (default: its name) and labelled by its name
    (equirectangular, scaled by the cosine of the middle latitude so shapes keep their proportions)."""
    features = [f for f in geojson.get("features", []) if f.get("geometry")]
    points = [p for f in features for ring in _rings(f["geometry"]) for p in ring]
    if not points:
        return ""
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    west, east, south, north = min(xs), max(xs), min(ys), max(ys)
    scale_x = math.cos(math.radians((south + north) / 2))
    span_x, span_y = (east - west) * scale_x, north - south
    unit = (width - 20) / span_x
    height = int(span_y * unit) + 60

    def at(p: list[float]) -> str:
        return f"{10 + (p[0] - west) * scale_x * unit:.1f},{30 + (north - p[1]) * unit:.1f}"

    top = max(counts.values(), default=0) or 1
    paths = []
    for f in features:
        name = str(f.get("properties", {}).get(name_field, ""))
        count = counts.get(str(f.get("properties", {}).get(key_field or name_field, "")))
        shade = "#e8e8e8" if not count else f"rgba(178,24,43,{0.15 + 0.85 * count / top:.2f})"
        d = " ".join("M" + " L".join(at(p) for p in ring) + " Z" for ring in _rings(f["geometry"]))
        label = f"{name}: {count} incident(s)" if count else f"{name}: no incidents released"
        paths.append(f'<path d="{d}" fill="{shade}" stroke="#333" stroke-width="0.6"><title>{escape(label)}</title>'
                     "</path>")
    key = (f'<text x="10" y="{height - 8}" font-size="11">darker: more incidents (most: {top}); grey: none released '
           "to this reader, which is no data, not a quiet region</text>")
    heading = f'<text x="10" y="18" font-size="13" font-weight="bold">{escape(title)}</text>' if title else ""
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}">'
            f'{heading}{"".join(paths)}{key}</svg>')

"""GeoJSON (RFC 7946) feature collections: points with properties; records without coordinates are left out and
counted, never placed at 0, 0."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any


def feature_collection(rows: Iterable[Mapping[str, Any]], *, lat: str = "latitude", lon: str = "longitude",
                       **members: Any) -> dict[str, Any]:
    """Return a FeatureCollection of point features; `without_coordinates` counts the rows left out."""
    features, missing = [], 0
    for row in rows:
        y, x = row.get(lat), row.get(lon)
        if y is None or x is None or not (-90 <= y <= 90 and -180 <= x <= 180):
            missing += 1
            continue
        properties = {k: v for k, v in row.items() if k not in (lat, lon)}
        features.append({"type": "Feature", "geometry": {"type": "Point", "coordinates": [x, y]},
                         "properties": properties})
    return {"type": "FeatureCollection", "features": features, "without_coordinates": missing, **members}

"""The brief's map as a Vega-Lite geoshape chart: every region drawn (grey without incidents, never dropped), shaded
by its count, described by its name and count, wound as Vega reads GeoJSON, in proportion, and nothing to draw without
shapes."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
import vl_convert

import reassure
from reassure.charts.maps import DARKEST, GREY, choropleth, oblast_shapes, theatre_map, world_map

ATLAS = Path(reassure.__file__).parent / "web" / "static" / "vendor" / "countries-110m.json"  # installed by make


def _square(x: float, y: float = 48) -> dict[str, Any]:
    """A one-degree square wound as RFC 7946 says (outer ring anticlockwise)."""
    return {"type": "Polygon", "coordinates": [[[x, y], [x + 1, y], [x + 1, y + 1], [x, y + 1], [x, y]]]}


def _geo(*names: str) -> dict[str, Any]:
    return {"features": [{"properties": {"shapeName": n, "shapeISO": f"UA-{i}"}, "geometry": _square(30 + i)}
                         for i, n in enumerate(names)]}


def _shapes(spec: dict[str, Any]) -> dict[str, tuple[str, str]]:
    """Return each drawn shape's label with its fill and path, from vl-convert's SVG."""
    root = ET.fromstring(vl_convert.vegalite_to_svg(spec))
    return {el.get("aria-label", ""): (el.get("fill", ""), el.get("d", "")) for el in root.iter()
            if el.get("aria-roledescription") == "geoshape"}


def test_every_region_is_drawn_shaded_by_its_count_and_grey_without_one() -> None:
    spec = choropleth(_geo("North", "South", "West"), {"North": 8, "West": 2}, width=300, title="Incidents")
    assert spec is not None
    shapes = _shapes(spec)
    assert set(shapes) == {"North: 8 incident(s)", "South: no incidents released", "West: 2 incident(s)"}
    assert shapes["North: 8 incident(s)"][0] == "rgb(178, 24, 43)" and DARKEST == "#b2182b"  # the most: darkest
    assert shapes["South: no incidents released"][0] == GREY
    # 2 of 8: the dark red at 0.15 + 0.85 * 2 / 8 = 36 % over white, as the hand-drawn map shaded it
    assert shapes["West: 2 incident(s)"][0] == "rgb(227, 171, 178)"
    text = "".join(ET.fromstring(vl_convert.vegalite_to_svg(spec)).itertext())
    assert "Incidents" in text and "grey: none released to this reader, which is no data, not a quiet region" in text


def test_counts_can_be_keyed_by_another_field_than_the_name() -> None:
    spec = choropleth(_geo("North", "South"), {"UA-1": 3}, key_field="shapeISO")
    assert spec is not None
    assert set(_shapes(spec)) == {"North: no incidents released", "South: 3 incident(s)"}


def test_regions_are_drawn_inside_the_map_not_as_the_rest_of_the_globe() -> None:
    spec = choropleth(_geo("A", "B", "C"), {"A": 1}, width=300)
    assert spec is not None
    width, height = spec["width"], spec["height"]
    assert 145 < height < 155  # three 1-degree squares at 48-49 N in Mercator: 300 * 0.755 / 1.5 px high
    for _, path in _shapes(spec).values():
        numbers = [float(v) for v in path.replace("M", " ").replace("L", " ").replace("Z", " ").replace(",", " ")
                   .split()]
        xs, ys = numbers[0::2], numbers[1::2]
        assert max(xs) - min(xs) < width / 3 + 1 and max(ys) - min(ys) <= height + 1  # one square, not its complement


def test_nothing_to_draw_without_shapes() -> None:
    assert choropleth({"features": []}, {"A": 1}) is None
    assert choropleth({"features": [{"properties": {"shapeName": "A"}, "geometry": None}]}, {"A": 1}) is None


# --- the common operating picture (docs/adr/0039) ---------------------------------------------------------------


def _valid(spec: dict[str, Any]) -> None:
    import altair as alt
    from altair.utils.schemapi import validate_jsonschema

    validate_jsonschema(spec, alt.vegalite.v6.schema.core.load_schema())


def _bounds(d: str) -> tuple[float, float, float, float]:
    """Return a path's (min x, min y, max x, max y) from the numbers of its d attribute (an outline's points)."""
    numbers = [float(n) for n in re.findall(r"-?\d+(?:\.\d+)?(?:e-?\d+)?", d)]
    xs, ys = numbers[0::2], numbers[1::2]
    return min(xs), min(ys), max(xs), max(ys)


def test_the_theatre_map_names_each_region_keys_its_shades_and_draws_the_planned_force() -> None:
    shapes = oblast_shapes(_geo("North Oblast", "South Oblast", "West Oblast"))
    sectors = [{"sector": "Kyiv", "lon": 31.5, "lat": 48.5, "planned": 4, "demanded": 5},
               {"sector": "airspace", "lon": None, "lat": None, "planned": 2, "demanded": 2}]
    spec = theatre_map(shapes, {"UA-0": 3, "UA-1": 0}, sectors, period="March 2025", width=400)
    _valid(spec)
    root = ET.fromstring(vl_convert.vegalite_to_svg(spec))
    labels = {el.get("aria-label", "") for el in root.iter()}
    assert {"North Oblast: 3 incident(s) in March 2025", "South Oblast: no incidents released in March 2025",
            "Kyiv: 4 unit(s) planned, 5 demanded (planning assumption)"} <= labels
    assert not any(label.startswith("airspace") for label in labels)  # no place: listed beside the map, not drawn
    text = list(root.itertext())
    assert {"North", "South", "West", "incidents, March 2025", "units planned (assumption)"} <= set(text)
    assert spec["usermeta"]["aspect"] > 0 and spec["layer"][0]["data"] == {"values": shapes["features"]}
    loaded = theatre_map(shapes, {}, [], period="March 2025", shapes_url="/assets/oblasts.json")
    assert loaded["layer"][0]["data"]["url"] == "/assets/oblasts.json"


def test_the_contributors_map_draws_the_whole_world() -> None:
    if not ATLAS.is_file():
        pytest.skip(f"the dashboard's browser assets are not installed ({ATLAS}): make")
    atlas = json.loads(ATLAS.read_text(encoding="utf-8"))
    nations = [{"numeric": "036", "code": "AUS", "name": "Australia", "domain": "land", "role": "contributor",
                "units": {"land": 1}, "personnel": 40},
               {"numeric": "250", "code": "FRA", "name": "France", "domain": "land", "role": "lead",
                "units": {"land": 4}, "personnel": 2600}]
    spec = world_map(nations, atlas, width=600)
    _valid({**spec, "data": {"url": "/static/vendor/countries-110m.json", "format": spec["data"]["format"]}})
    root = ET.fromstring(vl_convert.vegalite_to_svg(spec))
    width, height = float(root.get("width", 0)), float(root.get("height", 0))
    shapes = {el.get("aria-label", "").split(":")[0]: el for el in root.iter()
              if el.get("aria-roledescription") == "geoshape"}
    assert len(shapes) > 150 and "Antarctica" not in shapes
    for name in ("United States of America", "Canada", "Australia", "New Zealand", "Chile", "Japan"):
        x0, y0, x1, y1 = _bounds(shapes[name].get("d", ""))
        assert 0 <= x0 < x1 <= width and 0 <= y0 < y1 <= height, name  # drawn, inside the map
    assert shapes["France"].get("aria-label") == "France: lead, land 4; 2600 personnel per rotation (assumed)"
    assert shapes["Australia"].get("fill") == "#6b8e23" and shapes["Canada"].get("fill") == "#f2f2f2"
    assert spec["projection"] == {"type": "equalEarth"}  # fitted to every shape drawn: no centre, scale or clip


def test_the_burden_chart_says_what_its_black_tick_is() -> None:
    from reassure.charts.vega import burden

    spec = burden([{"nation": "FRA", "share": 0.3, "fair_share": 0.2}], width=300)
    text = list(ET.fromstring(vl_convert.vegalite_to_svg(spec)).itertext())
    assert "fair share (black tick)" in text and "share in the plan (bar)" in text

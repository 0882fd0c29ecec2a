"""The brief's map as a Vega-Lite geoshape chart: every region drawn (grey without incidents, never dropped), shaded
by its count, described by its name and count, wound as Vega reads GeoJSON, in proportion, and nothing to draw without
shapes."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Any

import vl_convert

from reassure.charts.maps import DARKEST, GREY, choropleth


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

"""Text from data in the brief's drawn charts and map is text: vl-convert's SVG escapes it (the map is a Vega-Lite
chart too), so the inline SVG holds no element or attribute that data made."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from reassure.brief.render import svg
from reassure.charts.maps import choropleth

PAYLOAD = "\"'><script>__pwned=1</script><img src=x onerror=__pwned=2>]]><svg onload=__pwned=3>"


def _elements(drawn: str) -> set[str]:
    """Return the local names of every element and attribute of an SVG document."""
    names = set()
    for el in ET.fromstring(drawn).iter():
        names.add(el.tag.rsplit("}", 1)[-1])
        names.update(a.rsplit("}", 1)[-1] for a in el.attrib)
    return names


def test_chart_labels_from_data_stay_text() -> None:
    spec = {"$schema": "https://vega.github.io/schema/vega-lite/v6.json", "mark": "bar",
            "data": {"values": [{"label": PAYLOAD, "n": 3}]},
            "encoding": {"y": {"field": "label", "type": "nominal"}, "x": {"field": "n", "type": "quantitative"}},
            "title": PAYLOAD}
    drawn = str(svg(spec))
    names = _elements(drawn)
    assert not names & {"script", "img", "onerror", "onload", "foreignObject"}, names
    texts = "".join(ET.fromstring(drawn).itertext())
    assert "<script>__pwned=1</script>" in texts  # shown, as text


def test_map_region_names_from_data_stay_text() -> None:
    square = {"type": "Polygon", "coordinates": [[[30, 46], [31, 46], [31, 47], [30, 47], [30, 46]]]}
    geo = {"features": [{"properties": {"shapeName": PAYLOAD}, "geometry": square}]}
    spec = choropleth(geo, {PAYLOAD: 2}, title=PAYLOAD)
    assert spec is not None
    drawn = str(svg(spec))
    names = _elements(drawn)
    assert not names & {"script", "img", "onerror", "onload", "foreignObject"}, names
    root = ET.fromstring(drawn)
    assert PAYLOAD in "".join(root.itertext())  # the title, shown as text
    # the region's name and count: the text value of its shape's label attribute
    assert PAYLOAD + ": 2 incident(s)" in [el.get("aria-label") for el in root.iter()]

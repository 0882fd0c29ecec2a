"""Render a BriefContext to HTML and PDF. Charts are the dashboard's Vega-Lite specifications drawn as SVG by
vl-convert (no browser); the map of incidents by region is drawn from the configured offline boundaries."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from reassure.charts import vega
from reassure.charts.maps import choropleth
from reassure.services.briefing import BriefContext

HERE = Path(__file__).parent
CHART_WIDTH = 600  # pixels of an A4 page's text width at WeasyPrint's 96 dpi, less the chart's own margins
GANTT_HEIGHT = 760  # pixels: an A4 page's text height, less its heading
_env = Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=select_autoescape(["html"]),
                   trim_blocks=True, lstrip_blocks=True)


def svg(spec: dict[str, Any]) -> Markup:
    """Return a Vega-Lite spec drawn as inline SVG (fonts as text, so the PDF stays searchable)."""
    import vl_convert

    drawn: str = vl_convert.vegalite_to_svg(spec)
    return Markup(drawn.split("?>", 1)[-1])


def charts(brief: BriefContext, boundaries: Path | None) -> dict[str, Markup]:
    """Return the brief's charts and map as SVG, keyed by name (only those with data)."""
    out: dict[str, Markup] = {}
    rows = brief.situation.indicators
    if any(r.launched is not None for r in rows):
        out["attacks"] = svg(vega.attacks(rows, width=CHART_WIDTH))
    if any(r.destroyed_rate is not None for r in rows):
        out["rates"] = svg(vega.rates(rows, width=CHART_WIDTH))
    if brief.categories:
        out["categories"] = svg(vega.by_category(brief.categories, width=CHART_WIDTH))
    if brief.plan is not None:
        tasks = len({t.task for t in brief.plan.tours})
        out["gantt"] = svg(vega.gantt_by_task(brief.plan.tours, width=CHART_WIDTH - 150,
                                              height=min(GANTT_HEIGHT, 26 * tasks)))
        out["burden"] = svg(vega.burden(brief.plan.burden[:15], width=CHART_WIDTH - 80))
    if boundaries is not None and boundaries.is_file() and brief.regions:
        drawn = choropleth(json.loads(boundaries.read_text(encoding="utf-8")), brief.regions, width=CHART_WIDTH,
                           title="Incidents by region (all dates)")
        if drawn:
            out["map"] = Markup(drawn)
    return out


def render_html(brief: BriefContext, *, boundaries: Path | None = None, prepared_for: str | None = None) -> str:
    """Return the brief as one self-contained HTML document (styles and SVG inline)."""
    css = (HERE / "templates" / "brief.css").read_text(encoding="utf-8")
    template = _env.get_template("brief.html")
    return template.render(b=brief, charts=charts(brief, boundaries), css=Markup(css),
                           prepared_for=prepared_for or (brief.preview if brief.preview else "public release"
                                                         if brief.public else f"readers in {brief.audience}"),
                           today=date.today())


def render_pdf(html: str) -> bytes:
    """Return the PDF of a brief's HTML (A4, banner and page numbers on every page)."""
    from weasyprint import HTML

    pdf: bytes = HTML(string=html, base_url=str(HERE)).write_pdf()
    return pdf

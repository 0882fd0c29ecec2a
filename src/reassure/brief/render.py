"""Render a BriefContext to HTML and PDF. Charts are the dashboard's Vega-Lite specifications drawn as SVG by
vl-convert (no browser); so is the map of incidents by region, from the configured offline boundaries. Each chart
and the map carry a text alternative written from their figures (`charts.describe`). The PDF is tagged (PDF/UA-1 as
WeasyPrint writes it): a structure tree of headings, paragraphs, lists, tables and figures with their alternatives,
the document's language, and its title, author, subject and keywords (ADR 0014)."""

from __future__ import annotations

import json
from datetime import date
from html import escape
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from reassure import __version__
from reassure.charts import describe, vega
from reassure.charts.maps import choropleth
from reassure.core.labels import LOCATIONS, capability_label, flags_label, labelled
from reassure.core.regions import region_label
from reassure.services.briefing import BriefContext

HERE = Path(__file__).parent
# The brief's HTML runs no script and loads nothing: its styles and charts are inline (so style-src allows inline
# styles, which cannot run code and, with nothing else allowed to load, cannot send anything anywhere). Carried in
# the document itself (a <meta> element), so it holds when the file is opened from disk, and as a header when served.
POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'"
HEADER_POLICY = f"{POLICY}; frame-ancestors 'none'"  # frame-ancestors is ignored in a <meta> element
CHART_WIDTH = 600  # pixels of an A4 page's text width at WeasyPrint's 96 dpi, less the chart's own margins
# The Gantt has a landscape A4 page of its own (brief.css `@page gantt`): 265 × 168 mm of text at 96 dpi, less the
# heading, the legend and the task names.
GANTT_WIDTH = 760
GANTT_HEIGHT = 470
PDF_VARIANT = "pdf/ua-1"  # tagged PDF 1.7 with the PDF/UA identification (WeasyPrint's pdf_variant)
MAP_TITLE = "Incidents by region"  # and the period the map counts: "Incidents by region, November 2026"
_env = Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=select_autoescape(["html"]),
                   trim_blocks=True, lstrip_blocks=True)
_env.filters.update(label=labelled, flags_label=flags_label, capability_label=capability_label)  # one catalogue


def svg(spec: dict[str, Any]) -> Markup:
    """Return a Vega-Lite spec drawn as inline SVG (fonts as text, so the PDF stays searchable)."""
    import vl_convert

    drawn: str = vl_convert.vegalite_to_svg(spec)
    return Markup(drawn.split("?>", 1)[-1])


def with_alt(drawn: str, alt: str) -> Markup:
    """Return an SVG with its text alternative: a <title> first inside the root element (WeasyPrint makes it the
    PDF Figure's /Alt; screen readers read it) and role="img" with an aria-label on the root, for the HTML."""
    start = drawn.index("<svg")
    end = drawn.index(">", start)
    text = escape(alt, quote=True)
    return Markup(f'{drawn[start:end]} role="img" aria-label="{text}"><title>{text}</title>{drawn[end + 1:]}')


def charts(brief: BriefContext, boundaries: Path | None) -> dict[str, Markup]:
    """Return the brief's charts and map as SVG with their text alternatives, keyed by name (only those with
    data)."""
    out: dict[str, Markup] = {}
    rows, every = brief.situation.indicators, brief.situation.every
    if any(r.launched is not None for r in rows):
        out["attacks"] = with_alt(svg(vega.attacks(rows, width=CHART_WIDTH)), describe.attacks(rows, every))
    if any(r.destroyed_rate is not None for r in rows):
        out["rates"] = with_alt(svg(vega.rates(rows, width=CHART_WIDTH)), describe.rates(rows, every))
    if brief.categories:
        out["categories"] = with_alt(svg(vega.by_category(brief.categories, width=CHART_WIDTH)),
                                     describe.by_category(brief.categories))
    if brief.plan is not None:
        tasks = len({t.task for t in brief.plan.tours})
        out["gantt"] = with_alt(svg(vega.gantt_by_task(brief.plan.tours, width=GANTT_WIDTH,
                                                       height=min(GANTT_HEIGHT, 26 * tasks), groups=LOCATIONS,
                                                       phases=brief.plan.phases)),
                                describe.gantt(brief.plan.tours, brief.plan.phases))
        out["burden"] = with_alt(svg(vega.burden(brief.plan.burden[:15], width=CHART_WIDTH - 80)),
                                 describe.burden(brief.plan.burden[:15]))
    if boundaries is not None and boundaries.is_file() and brief.regions:
        shapes = json.loads(boundaries.read_text(encoding="utf-8"))
        title = f"{MAP_TITLE}, {brief.map_period.words}"
        drawn = choropleth(shapes, brief.regions, key_field="shapeISO", width=CHART_WIDTH, title=title)
        # counts are keyed by ISO 3166-2:UA code, as the boundaries' shapeISO; the text names regions
        if drawn is not None:
            codes = {str(f.get("properties", {}).get("shapeISO", "")) for f in shapes.get("features", [])}
            labelled = {region_label(code): count for code, count in brief.regions.items()}
            out["map"] = with_alt(svg(drawn), describe.regions(labelled, title, {region_label(c) for c in codes}))
    return out


def render_html(brief: BriefContext, *, boundaries: Path | None = None, prepared_for: str | None = None) -> str:
    """Return the brief as one self-contained HTML document (styles and SVG inline): the staff brief (every section,
    with charts), or the minister's two pages (no charts) as the brief's audience says."""
    css = (HERE / "templates" / "brief.css").read_text(encoding="utf-8")
    minister = brief.audience_format == "minister"
    template = _env.get_template("minister.html" if minister else "brief.html")
    return template.render(b=brief, charts={} if minister else charts(brief, boundaries), css=Markup(css),
                           policy=POLICY,
                           prepared_for=prepared_for or (brief.preview if brief.preview else "public release"
                                                         if brief.public else f"readers in {brief.audience}"),
                           today=date.today(), version=__version__)


def render_pdf(html: str) -> bytes:
    """Return the tagged PDF of a brief's HTML (A4, banner and page numbers on every page; PDF/UA-1 structure and
    metadata from the HTML's title, language and meta elements)."""
    from weasyprint import HTML

    pdf: bytes = HTML(string=html, base_url=str(HERE)).write_pdf(pdf_variant=PDF_VARIANT)
    return pdf

"""Vega-Lite specifications (built with Altair) for the dashboard, from the services' read models: the rotation
Gantt, coverage by task and period, burden against fair share, attacks over time and interception rates. The
browser draws them with vega-embed; the printed brief will render the same specs to SVG."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import altair as alt

from reassure.domains.incidents.indicators import CategoryRow, IndicatorRow
from reassure.domains.plans.schemas import CoverageCell, PhaseSpan, TourRead

WIDTH: int | str = "container"  # the page's width in the browser; a number of pixels for SVG


PLACEHOLDER = alt.Data(values=[{}])
PLANNED_SHARE = "share in the plan (bar)"
FAIR_SHARE = "fair share (black tick)"


def _spec(chart: alt.TopLevelMixin, rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Return the chart's Vega-Lite spec with `rows` as its data (attached after Altair has built the spec, which
    would otherwise walk every row: 120 ms for 900 cells); validated against the schema in tests/web."""
    spec: dict[str, Any] = chart.to_dict(validate=False)
    spec["data"] = {"values": rows}
    spec.pop("datasets", None)
    return spec


TOUR = "datum.kind != 'phase'"
PHASE = "datum.kind == 'phase'"


def _phase_rows(phases: Sequence[PhaseSpan], panels: Sequence[str], field: str) -> list[dict[str, Any]]:
    """Return one row per phase and panel (a rule at the phase's start in every panel), labelled in the first panel
    only, for a Gantt's phase boundaries (docs/adr/0044)."""
    return [{"kind": "phase", field: panel, "start": p.start.isoformat(), "phase": p.name, "span": p.span,
             "entry": p.entry or "none stated", "label": p.name if i == 0 else ""}
            for i, panel in enumerate(panels) for p in phases]


def _phase_layers() -> list[alt.Chart]:
    """Return the rule and label layers drawing phase boundaries from the rows of _phase_rows."""
    rule = alt.Chart(PLACEHOLDER).mark_rule(color="#444", strokeDash=[4, 3]).encode(
        x=alt.X("start:T"), tooltip=[alt.Tooltip("phase:N", title="phase"), alt.Tooltip("span:N", title="dates"),
                                     alt.Tooltip("entry:N", title="entry condition")]).transform_filter(PHASE)
    text = alt.Chart(PLACEHOLDER).mark_text(align="left", baseline="top", dx=3, dy=2, fontSize=10,
                                            color="#222").encode(
        x=alt.X("start:T"), y=alt.value(0), text="label:N").transform_filter(f"{PHASE} && datum.label != ''")
    return [rule, text]


def gantt(tours: Sequence[TourRead], width: int | str = WIDTH, step: int = 10,
          phases: Sequence[PhaseSpan] = ()) -> dict[str, Any]:
    """Unit × time bars grouped by task (one row per unit in each task's panel), coloured by nation; with `phases`,
    each phase's start is a dashed rule in every panel, named in the first (docs/adr/0044)."""
    rows = [{"unit": t.unit, "task": t.task, "nation": t.nation, "start": t.start.isoformat(),
             "end": t.end.isoformat(), "capability": t.capability, "personnel": t.personnel} for t in tours]
    bars = alt.Chart(PLACEHOLDER).mark_bar(cornerRadius=2).encode(
        x=alt.X("start:T", title=None), x2="end:T",
        y=alt.Y("unit:N", title=None, sort=alt.EncodingSortField("start", op="min")),
        color=alt.Color("nation:N", title="nation"),
        tooltip=["unit:N", "nation:N", "task:N", "capability:N", "start:T", "end:T", "personnel:Q"],
    )
    layered: Any = bars
    if phases:
        rows += _phase_rows(phases, sorted({t.task for t in tours}), "task")
        layered = alt.layer(bars.transform_filter(TOUR), *_phase_layers())
    chart = layered.properties(width=width, height=alt.Step(step)).facet(
        row=alt.Row("task:N", title=None, header=alt.Header(labelAngle=0, labelAlign="left")),
    ).resolve_scale(y="independent")
    return _spec(chart, rows)


def coverage_heatmap(cells: Sequence[CoverageCell], width: int | str = WIDTH) -> dict[str, Any]:
    """Share of demand covered per task and period (1 = fully covered, 0 = nothing)."""
    rows = [{"task": c.task, "period": c.period_start.isoformat(), "demand": c.demand, "covered": c.covered,
             "share": c.covered / c.demand if c.demand else 1.0} for c in cells]
    chart = alt.Chart(PLACEHOLDER).mark_rect().encode(
        x=alt.X("yearmonth(period):O", title=None),
        y=alt.Y("task:N", title=None),
        color=alt.Color("share:Q", title="demand covered", scale=alt.Scale(domain=[0, 1], scheme="redyellowgreen")),
        tooltip=["task:N", alt.Tooltip("period:T", format="%b %Y"), "demand:Q", "covered:Q",
                 alt.Tooltip("share:Q", format=".0%")],
    ).properties(width=width)
    return _spec(chart, rows)


def burden(rows: Sequence[dict[str, Any]], width: int | str = WIDTH) -> dict[str, Any]:
    """Each nation's share of deployed personnel-months, with its fair share as a black tick; the key names both
    (the bar: its planned share; the tick: its fair share, by the scenario's fair-share assumption)."""
    data = [{"nation": b["nation"], "share": b["share"], "fair": b["fair_share"]} for b in rows]
    key = alt.Color("what:N", title=None, legend=alt.Legend(orient="bottom"),
                    scale=alt.Scale(domain=[PLANNED_SHARE, FAIR_SHARE], range=["#4c78a8", "black"]))
    base = alt.Chart(PLACEHOLDER).encode(y=alt.Y("nation:N", sort="-x", title=None))
    bars = base.mark_bar().transform_calculate(what=f"'{PLANNED_SHARE}'").encode(
        x=alt.X("share:Q", title="share of personnel-months", axis=alt.Axis(format="%")), color=key,
        tooltip=["nation:N", alt.Tooltip("share:Q", format=".1%"),
                 alt.Tooltip("fair:Q", format=".1%", title="fair share")])
    ticks = base.mark_tick(thickness=2).transform_calculate(what=f"'{FAIR_SHARE}'").encode(
        x="fair:Q", color=key, tooltip=["nation:N", alt.Tooltip("fair:Q", format=".1%", title="fair share")])
    return _spec((bars + ticks).properties(width=width), data)


def attacks(rows: Sequence[IndicatorRow], width: int | str = WIDTH) -> dict[str, Any]:
    """Weapons launched and destroyed per day of data in each period (reported figures): a period no source covers
    is a gap in the line, not a zero; a period the data covers only partly is drawn hollow and labelled with its
    days of data, so that a month with 6 days of data does not look like a collapse."""
    data = []
    for r in rows:
        covered = r.air_coverage != "none" and r.air_days > 0
        partial = r.air_coverage == "partial"
        for name, value in (("launched", r.launched), ("destroyed", r.destroyed)):
            per_day = value / r.air_days if covered and value is not None else None
            data.append({"period": r.period_start.isoformat(), "figure": name, "per_day": per_day, "total": value,
                         "data": f"partial: {r.air_days} of {r.days} days" if partial
                         else "whole period" if covered else "no source covers it",
                         "coverage": "partial period" if partial else "whole period",
                         "label": f"partial ({r.air_days}/{r.days} d)" if partial and name == "launched" else ""})
    base = alt.Chart(PLACEHOLDER).encode(
        x=alt.X("period:T", title=None), y=alt.Y("per_day:Q", title="weapons per day of data"),
        color=alt.Color("figure:N", title=None))
    tooltip = ["period:T", "figure:N", alt.Tooltip("per_day:Q", format=",.1f", title="per day"),
               alt.Tooltip("total:Q", title="reported total"), alt.Tooltip("data:N", title="data")]
    line = base.mark_line(invalid="break-paths-show-domains")
    points = base.mark_point(size=50, filled=True).encode(
        shape=alt.Shape("coverage:N", title="data", scale=alt.Scale(domain=["whole period", "partial period"],
                                                                     range=["circle", "triangle"])),
        fill=alt.condition("datum.label != ''", alt.value("white"), alt.Color("figure:N", title=None)),
        tooltip=tooltip).transform_filter("isValid(datum.per_day)")
    labels = base.mark_text(align="left", dx=6, dy=-8, fontSize=10).encode(text="label:N").transform_filter(
        "datum.label != '' && isValid(datum.per_day)")
    return _spec((line + points + labels).properties(width=width, height=220), data)


def rates(rows: Sequence[IndicatorRow], width: int | str = WIDTH) -> dict[str, Any]:
    """Share of launched weapons destroyed per period, with its Wilson 95 % interval as a band."""
    data = [{"period": r.period_start.isoformat(), "rate": r.destroyed_rate, "low": r.destroyed_low,
             "high": r.destroyed_high} for r in rows if r.destroyed_rate is not None]
    base = alt.Chart(PLACEHOLDER).encode(x=alt.X("period:T", title=None))
    band = base.mark_area(opacity=0.3).encode(y=alt.Y("low:Q", title="destroyed / launched",
                                                      axis=alt.Axis(format="%")), y2="high:Q")
    line = base.mark_line(point=True).encode(y="rate:Q", tooltip=["period:T", alt.Tooltip("rate:Q", format=".1%"),
                                                                  alt.Tooltip("low:Q", format=".1%"),
                                                                  alt.Tooltip("high:Q", format=".1%")])
    return _spec((band + line).properties(width=width, height=220), data)


def by_category(rows: Sequence[CategoryRow], width: int | str = WIDTH) -> dict[str, Any]:
    """Weapons launched per period, stacked by category (reported figures; unreported lines are left out)."""
    data = [{"period": r.period_start.isoformat(), "category": r.category, "launched": r.launched}
            for r in rows if r.launched is not None]
    chart = alt.Chart(PLACEHOLDER).mark_bar().encode(
        x=alt.X("period:T", title=None), y=alt.Y("sum(launched):Q", title="weapons launched"),
        color=alt.Color("category:N", title="category"), tooltip=["period:T", "category:N", "launched:Q"],
    ).properties(width=width, height=220)
    return _spec(chart, data)


def gantt_by_task(tours: Sequence[TourRead], width: int | str = WIDTH, height: int = 700,
                  groups: Mapping[str, str] | None = None, phases: Sequence[PhaseSpan] = ()) -> dict[str, Any]:
    """The Gantt for print: one band per task, its units' tours side by side within the band (no unit labels, so
    it fits a page at any size), coloured by nation. With `groups` (a task's location -> its group's label, in the
    order to show them), one panel per task group, its bands sharing `height` with the other panels' by task. With
    `phases`, each phase's start is a dashed rule across the bands, named in the first panel (docs/adr/0044)."""
    named = groups or {}
    rows = [{"unit": t.unit, "task": t.task, "nation": t.nation, "start": t.start.isoformat(), "end": t.end.isoformat(),
             "group": named.get(t.location, t.location)} for t in tours]
    bars = alt.Chart(PLACEHOLDER).mark_bar().encode(
        x=alt.X("start:T", title=None), x2="end:T", y=alt.Y("task:N", title=None),
        yOffset=alt.YOffset("unit:N"), color=alt.Color("nation:N", title="nation"),
        tooltip=["unit:N", "nation:N", "task:N", "start:T", "end:T"],
    )
    base: Any = bars
    if phases:
        base = alt.layer(bars.transform_filter(TOUR), *_phase_layers())
    if groups is None:
        return _spec(base.properties(width=width, height=height), rows + _phase_rows(phases, [""], "group"))
    shown = [label for label in dict.fromkeys(named.values()) if any(r["group"] == label for r in rows)]
    shown += sorted({str(r["group"]) for r in rows} - set(shown))  # a location the mapping lacks, last
    rows += _phase_rows(phases, shown, "group")
    step = max(4, (height - 22 * len(shown)) // max(1, len({t.task for t in tours})))
    chart = base.properties(width=width, height=alt.Step(step, **{"for": "position"})).facet(
        row=alt.Row("group:N", title=None, sort=shown,
                    header=alt.Header(labelAngle=0, labelAnchor="start", labelOrient="top", labelFontWeight="bold",
                                      labelFontSize=11)), spacing=4,
    ).resolve_scale(y="independent")
    return _spec(chart, rows)

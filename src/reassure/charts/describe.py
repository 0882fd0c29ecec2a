"""Text alternatives for the charts and the map, written from the same read models they draw: what each plots, over
which period, its largest values, and that it is data (the brief's PDF tags each as a Figure with this text, and the
HTML gives it to screen readers). Only figures the chart shows; a period without a reported figure is not a zero."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Collection, Mapping, Sequence
from datetime import date
from typing import Any

from reassure.domains.incidents.indicators import CategoryRow, IndicatorRow
from reassure.domains.plans.schemas import PhaseSpan, TourRead

TOP = 3  # largest values named in a text alternative


def _period(day: date, every: str) -> str:
    return day.strftime("%b %Y") if every == "month" else day.isoformat()


def _count(n: int, what: str) -> str:
    return f"{n:,} {what}" + ("" if n == 1 else "s")


def _span(days: Sequence[date], every: str) -> str:
    first, last = min(days), max(days)
    return _period(first, every) if first == last else f"{_period(first, every)} to {_period(last, every)}"


def attacks(rows: Sequence[IndicatorRow], every: str = "month") -> str:
    """Describe the chart of weapons launched and destroyed per period."""
    shown = [r for r in rows if r.launched is not None or r.destroyed is not None]
    if not shown:
        return "Line chart (data): weapons launched and destroyed; no figures are reported for any period."
    launched = [r for r in shown if r.launched is not None]
    destroyed = [r.destroyed for r in shown if r.destroyed is not None]
    top = sorted(launched, key=lambda r: r.launched or 0, reverse=True)[:TOP]
    most = "; ".join(f"{r.launched:,} in {_period(r.period_start, every)}"
                     + (f" ({r.destroyed:,} destroyed)" if r.destroyed is not None else "") for r in top)
    totals = f"{sum(r.launched or 0 for r in launched):,} launched" if launched else "launches not reported"
    totals += f" and {sum(destroyed):,} destroyed in all" if destroyed else ", destroyed not reported"
    partial = [r for r in shown if r.air_coverage == "partial"]
    gaps = [r for r in rows if r.air_coverage == "none"]
    notes = "".join(f" {_period(r.period_start, every)} has data for {r.air_days} of {r.days} days only (drawn hollow"
                    f", per day: {r.launched_per_day:,.1f} launched)." for r in partial
                    if r.launched_per_day is not None)
    if gaps:
        notes += f" {_count(len(gaps), every)} covered by no source (gaps, not zeros)."
    return (f"Line chart (data): weapons launched and destroyed per day of data in each {every}, "
            f"{_span([r.period_start for r in shown], every)}, {_count(len(shown), 'period')} with reported "
            f"figures, {totals}. Most launched: {most or 'none reported'}.{notes}")


def rates(rows: Sequence[IndicatorRow], every: str = "month") -> str:
    """Describe the chart of the share of launched weapons destroyed, with its 95 % interval."""
    shown = [r for r in rows if r.destroyed_rate is not None]
    if not shown:
        return "Line chart (data): share of launched weapons destroyed; no period has both figures reported."

    def told(r: IndicatorRow) -> str:
        interval = (f" [{r.destroyed_low:.1%}–{r.destroyed_high:.1%}]"
                    if r.destroyed_low is not None and r.destroyed_high is not None else "")
        return f"{r.destroyed_rate:.1%}{interval} in {_period(r.period_start, every)}"

    high = max(shown, key=lambda r: r.destroyed_rate or 0)
    low = min(shown, key=lambda r: r.destroyed_rate or 0)
    return (f"Line chart (data): share of launched weapons destroyed per {every} with its Wilson 95 % interval as a "
            f"band, {_span([r.period_start for r in shown], every)}, {_count(len(shown), 'period')}. Highest "
            f"{told(high)}; "
            f"lowest {told(low)}; latest {told(shown[-1])}.")


def by_category(rows: Sequence[CategoryRow], every: str = "month") -> str:
    """Describe the stacked bars of weapons launched per period by category."""
    shown = [r for r in rows if r.launched is not None]
    if not shown:
        return "Bar chart (data): weapons launched by category; no figures are reported."
    totals: Counter[str] = Counter()
    periods: Counter[date] = Counter()
    for r in shown:
        totals[r.category.replace("_", " ")] += r.launched or 0
        periods[r.period_start] += r.launched or 0
    categories = "; ".join(f"{name} {count:,}" for name, count in totals.most_common())
    busiest = "; ".join(f"{_period(day, every)} {count:,}" for day, count in periods.most_common(TOP))
    return (f"Stacked bar chart (data): weapons launched per {every} by category, "
            f"{_span(list(periods), every)}. In all: {categories}. Most launched: {busiest}.")


def gantt(tours: Sequence[TourRead], phases: Sequence[PhaseSpan] = ()) -> str:
    """Describe the plan's rotations by task, and the phases marked on it (docs/adr/0044)."""
    marked = (" Phases marked by dashed lines: " + "; ".join(f"{p.name} from {p.start}" for p in phases) + "."
              if phases else "")
    if not tours:
        return "Gantt chart (data): the plan's rotations; the plan has no tours." + marked
    by_nation = Counter(t.nation for t in tours)
    by_task: dict[str, set[str]] = defaultdict(set)
    for t in tours:
        by_task[t.task].add(t.unit)
    busiest = sorted(by_task.items(), key=lambda kv: (-len(kv[1]), kv[0]))[:TOP]
    return (f"Gantt chart (data): the plan's rotations by task, coloured by nation, {len(tours)} tours of "
            f"{len({t.unit for t in tours})} units from {len(by_nation)} nations on {len(by_task)} tasks, "
            f"{min(t.start for t in tours)} to {max(t.end for t in tours)}. Most tours: "
            + "; ".join(f"{nation} {count}" for nation, count in by_nation.most_common(TOP))
            + ". Most units: " + "; ".join(f"{task} {len(units)}" for task, units in busiest) + "." + marked)


def burden(rows: Sequence[Mapping[str, Any]]) -> str:
    """Describe the bars of each nation's share of personnel-months against its fair share."""
    if not rows:
        return "Bar chart (data): each nation's share of deployed personnel-months; no nation deploys."

    def told(r: Mapping[str, Any]) -> str:
        fair = f" (fair share {r['fair_share']:.1%})" if r.get("fair_share") is not None else ""
        return f"{r['nation']} {r['share']:.1%}{fair}"

    largest = sorted(rows, key=lambda r: r["share"], reverse=True)[:TOP]
    text = (f"Bar chart (data): each nation's share of the plan's deployed personnel-months, with its fair share as "
            f"a tick, {len(rows)} nations. Largest: " + "; ".join(told(r) for r in largest) + ".")
    over = [r for r in rows if r.get("delta") is not None]
    if over:
        most = max(over, key=lambda r: r["delta"])
        text += f" Furthest above its fair share: {most['nation']} ({most['delta'] * 100:+.1f} points)."
    return text


def regions(counts: Mapping[str, int], title: str, drawn: Collection[str] | None = None) -> str:
    """Describe the map of incidents by region; `drawn` names the regions the map has (counts under other names,
    which no region of the map matches, are said apart)."""
    known = {name: count for name, count in counts.items() if count and (drawn is None or name in drawn)}
    elsewhere = {name: count for name, count in counts.items() if count and name not in known}
    if not known and not elsewhere:
        return f"Map (data): {title}; no incident with a region is released to this reader."
    top = sorted(known.items(), key=lambda kv: (-kv[1], kv[0]))[:TOP]
    text = (f"Map (data): {title}, regions shaded by their number of incidents, {_count(len(known), 'region')} "
            f"with incidents ({sum(known.values()):,} in all)"
            + (". Most: " + "; ".join(f"{name} {count:,}" for name, count in top) if top else "") + ".")
    if elsewhere:
        text += (f" Not on the map: {sum(elsewhere.values()):,} incidents under {_count(len(elsewhere), 'name')} "
                 f"that match no region ({', '.join(sorted(elsewhere)[:TOP])}"
                 + (", …" if len(elsewhere) > TOP else "") + ").")
    return text + " Grey regions have none released to this reader, which is no data, not a quiet region."

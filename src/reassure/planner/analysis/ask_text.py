"""Force-generation asks in words for people (docs/adr/0024): "2 more engineer companies from Jan 2028:
Australia 2 (within its fair share) — closes EOD-DEMINING …". Labels, never unit ids."""

from __future__ import annotations

from reassure.core.labels import capability_label
from reassure.core.nations import nation_label
from reassure.planner.instance import Ask, Asks, Horizon
from reassure.planner.period_labels import period_label, span_label


def ask_lines(asks: Asks, horizon: Horizon) -> list[str]:
    """Say the asks in words for people, one line for the whole and one per capability and start month, e.g. "2
    more engineer companies from Jan 2028: Australia 2 (below its fair share) — closes EOD-DEMINING …" (dates, never
    the planner's period numbers)."""
    n = asks.units_asked
    if not asks.asks and asks.reached:
        return [f"The plan already reaches {asks.target:.1%}: nothing to ask for."]
    if asks.reached:
        head = (f"To reach {asks.target:.1%} (the plan covers {asks.base_coverage:.1%}) we need {n} more "
                f"unit{'s' if n != 1 else ''}; re-solved with them the plan covers {asks.coverage:.1%}.")
    else:
        reach = "the asks below reach" if n else "no ask adds coverage: the plan stays at"
        head = (f"The target of {asks.target:.1%} cannot be reached: {reach} {asks.coverage:.1%} (re-solved), "
                f"{asks.short_by:.1%} short" + (f"; {asks.note}." if asks.note else "."))
    lines = [head]
    groups: dict[tuple[str, int], list[Ask]] = {}
    for a in asks.asks:
        groups.setdefault((a.capability, a.start), []).append(a)
    for (capability, start), items in groups.items():
        count = sum(a.count for a in items)
        nations = ", ".join(
            f"{nation_label(a.nation)} {a.count}" + ("" if a.fair_share is None else
                                       " (above its fair share)" if a.above_fair_share else " (within its fair share)")
            for a in items)
        closes = "; ".join(f"{s.task} {span_label(horizon, s.periods[0], s.periods[-1])}"
                           for a in items for s in a.closes[:3])
        adds = sum(a.adds for a in items)
        when = f"from {period_label(horizon, start)}"
        lines.append(f"{count} more {capability_label(capability, count)} {when}: "
                     f"{nations} — closes {closes or 'no gap of the plan directly (frees other units)'}; "
                     f"adds {adds:.1%} coverage.")
    return lines

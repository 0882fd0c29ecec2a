"""Render planning periods as real months or weeks from the horizon start."""

from __future__ import annotations

from datetime import date, timedelta

from reassure.planner.instance import Horizon


def period_start(horizon: Horizon, t: int) -> date:
    """Return the first day of period t."""
    if horizon.period == "week":
        return horizon.start + timedelta(weeks=t)
    months = horizon.start.month - 1 + t
    return date(horizon.start.year + months // 12, months % 12 + 1, 1)


def period_label(horizon: Horizon, t: int) -> str:
    """Return a short real-date label for period t ("Feb 2027" or "w/c 2026-03-30")."""
    d = period_start(horizon, t)
    if horizon.period == "week":
        return f"w/c {d.isoformat()}"
    return d.strftime("%b %Y")


def span_label(horizon: Horizon, first: int, last: int) -> str:
    """Return an inclusive period range as people read it, by its dates, never the planner's period numbers:
    "Feb 2027 – Apr 2027", "Feb 2027" for one month, "w/c 2026-03-30 – w/c 2026-04-13" for weeks (issue 25)."""
    if first == last:
        return period_label(horizon, first)
    return f"{period_label(horizon, first)} – {period_label(horizon, last)}"

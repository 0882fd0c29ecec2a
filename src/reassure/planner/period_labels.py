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
    """Return "months 13–15 (Feb 2027 – Apr 2027)" style text for an inclusive period range."""
    unit = "week" if horizon.period == "week" else "month"
    if first == last:
        return f"{unit} {first} ({period_label(horizon, first)})"
    return f"{unit}s {first}–{last} ({period_label(horizon, first)} – {period_label(horizon, last)})"

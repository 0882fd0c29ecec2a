"""A rule's state now against its stored evaluations: "met since 3 Oct 2026", "new this week", "unchanged" (plain
data in, words out; the brief shows it beside each rule)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

Status = Literal["first", "changed", "new", "unchanged"]


@dataclass(frozen=True)
class Comparison:
    """What changed since the stored evaluations: a status, since when the state holds (None if unknown), in words."""

    status: Status
    since: date | None
    text: str


def day(d: date) -> str:
    """Return a day as people read it: 3 Oct 2026."""
    return f"{d.day} {d:%b %Y}"


def compare_with_stored(current: str, history: Sequence[tuple[str, date]], today: date, *,
                        week: int = 7) -> Comparison:
    """Compare a rule's state now ("met", "not met", "unknown") with its stored evaluations in the same view, given
    newest first as (state, day evaluated).

    - none stored: "no earlier evaluation stored";
    - the newest stored differs: "changed since the last evaluation (2 Dec 2026): was not met";
    - the state began (after a different one) within `week` days of today: "new this week: met since 3 Dec 2026,
      was not met";
    - else "met since 3 Oct 2026 (unchanged)", or "since at least …" when every stored evaluation agrees.
    """
    if not history:
        return Comparison("first", None, "no earlier evaluation stored")
    newest_state, newest_day = history[0]
    if newest_state != current:
        return Comparison("changed", None, f"changed since the last evaluation ({day(newest_day)}): was {newest_state}")
    streak = 0
    while streak < len(history) and history[streak][0] == current:
        streak += 1
    start = history[streak - 1][1]
    if streak == len(history):
        return Comparison("unchanged", start, f"{current} since at least {day(start)} (first stored evaluation; "
                                              "unchanged)")
    before = history[streak][0]
    if start >= today - timedelta(days=week):
        return Comparison("new", start, f"new this week: {current} since {day(start)}, was {before}")
    return Comparison("unchanged", start, f"{current} since {day(start)} (unchanged)")

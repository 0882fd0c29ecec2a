"""How far a plan may be from the best possible, in words people read on the plan page and in the brief."""

from __future__ import annotations

import math


def distance_points(coverage: float, bound: float) -> float:
    """Return how many coverage points (of 100) the plan may be below the best possible, rounded up to 0.1."""
    return max(0.0, math.ceil(round((bound - coverage) * 1000, 6)) / 10)


def distance_words(coverage: float, bound: float) -> str:
    """Say how far the plan may be from the best possible plan with these pledges (never understating it)."""
    points = distance_points(coverage, bound)
    if points <= 0:
        return "proven to be the best possible plan with these pledges"
    return f"at most {points:.1f} points below the best possible plan with these pledges"

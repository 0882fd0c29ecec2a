"""How far a plan may be from the best possible, in words: rounded up, never understated."""

from __future__ import annotations

from reassure.planner.distance import distance_points, distance_words


def test_distance_is_rounded_up_to_a_tenth_of_a_point() -> None:
    assert distance_points(0.739, 0.760) == 2.1
    assert distance_points(0.7391, 0.7600) == 2.1  # 2.09 points: said as 2.1, never 2.0
    assert distance_points(0.5, 0.5) == 0.0 and distance_points(0.5, 0.49) == 0.0


def test_words() -> None:
    assert distance_words(0.739, 0.760) == "at most 2.1 points below the best possible plan with these pledges"
    assert distance_words(0.9, 0.9) == "proven to be the best possible plan with these pledges"

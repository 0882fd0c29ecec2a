"""The grade-independence check (docs/adr/0045): a source whose credibility follows its reliability letter is
flagged; one with too few items, or with grades judged apart, is not."""

from __future__ import annotations

from reassure.core.grade_independence import check_grades, spearman


def test_a_source_on_the_diagonal_is_flagged_and_one_judged_apart_is_not() -> None:
    diagonal = check_grades([("B", 2)] * 4 + [("B", 3)])
    assert diagonal.flagged and diagonal.diagonal == 0.8 and "read off the letter" in (diagonal.flag or "")
    apart = check_grades([("B", 1), ("B", 2), ("B", 3), ("B", 4), ("B", 2), ("B", 3)])
    assert not apart.flagged and apart.items == 6 and apart.rank is None  # one letter: no rank correlation
    assert not check_grades([("A", 1)] * 4).flagged  # too few items to tell
    assert check_grades([]).items == 0


def test_credibility_moving_with_the_letter_is_flagged_off_the_diagonal_too() -> None:
    together = check_grades([("A", 2), ("A", 2), ("B", 3), ("C", 4), ("C", 4), ("D", 5)])
    assert together.diagonal == 0 and together.rank is not None and together.rank > 0.9 and together.flagged
    assert "rank correlation" in (together.flag or "")
    mixed = check_grades([("A", 3), ("B", 1), ("C", 2), ("A", 1), ("C", 3), ("B", 4)])
    assert not mixed.flagged


def test_spearman_matches_known_values() -> None:
    assert spearman([1, 2, 3, 4], [1, 2, 3, 4]) == 1.0
    assert spearman([1, 2, 3, 4], [4, 3, 2, 1]) == -1.0
    assert spearman([1, 1, 1], [1, 2, 3]) is None
    assert abs((spearman([1, 2, 3, 4, 5], [2, 1, 4, 3, 5]) or 0) - 0.8) < 1e-9

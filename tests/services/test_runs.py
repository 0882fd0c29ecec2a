"""A solve job's progress reads in words (issue 25): "solving, part 16 of 18", never "coverage: part 16/18"."""

from __future__ import annotations

from reassure.services.runs import progress_text
from tests.core.test_labels import identifiers_in


def test_solver_progress_reads_in_words() -> None:
    assert progress_text("coverage", 15, 18) == "solving, part 16 of 18"
    assert progress_text("coverage", 0, 1) == "solving"
    assert progress_text("fairness", 0, 1) == "solving (sharing the burden)"
    assert "/" not in progress_text("tours", 2, 3) and not identifiers_in(progress_text("stability", 0, 2))

"""A rule's state now against its stored evaluations, in words: first, changed, new this week, unchanged since."""

from __future__ import annotations

from datetime import date

from reassure.rules.compare import compare_with_stored

TODAY = date(2026, 12, 7)


def test_no_stored_evaluation_is_said_as_such() -> None:
    c = compare_with_stored("met", [], TODAY)
    assert (c.status, c.since, c.text) == ("first", None, "no earlier evaluation stored")


def test_a_state_differing_from_the_newest_stored_is_a_change() -> None:
    c = compare_with_stored("met", [("not met", date(2026, 12, 2)), ("not met", date(2026, 11, 1))], TODAY)
    assert c.status == "changed" and c.text == "changed since the last evaluation (2 Dec 2026): was not met"


def test_a_state_begun_within_the_week_is_new_this_week() -> None:
    history = [("met", date(2026, 12, 6)), ("met", date(2026, 12, 3)), ("not met", date(2026, 11, 20))]
    c = compare_with_stored("met", history, TODAY)
    assert (c.status, c.since) == ("new", date(2026, 12, 3))
    assert c.text == "new this week: met since 3 Dec 2026, was not met"


def test_an_older_state_is_unchanged_since_its_first_evaluation() -> None:
    history = [("met", date(2026, 12, 6)), ("met", date(2026, 10, 3)), ("not met", date(2026, 10, 1))]
    c = compare_with_stored("met", history, TODAY)
    assert (c.status, c.since, c.text) == ("unchanged", date(2026, 10, 3), "met since 3 Oct 2026 (unchanged)")


def test_when_every_stored_evaluation_agrees_the_start_is_a_lower_bound() -> None:
    c = compare_with_stored("unknown", [("unknown", date(2026, 12, 6)), ("unknown", date(2026, 9, 1))], TODAY)
    assert c.status == "unchanged" and c.text.startswith("unknown since at least 1 Sep 2026")

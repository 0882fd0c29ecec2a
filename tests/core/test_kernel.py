"""Grades, markings and quantities: the shared kernel's rules."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reassure.core.grading import AdmiraltyGrade, GradeError, Standing, grade_at_least, parse_grade, standing_for
from reassure.core.markings import MarkingError, Releasability, parse_marking
from reassure.core.quantities import Quantity, QuantityKind
from reassure.scenario_io.fields import format_quantity, parse_quantity


@pytest.mark.parametrize("text,expected", [("B2", ("B", 2)), ("b-2", ("B", 2)), (" F6 ", ("F", 6))])
def test_parse_grade_reads_letter_and_digit(text: str, expected: tuple[str, int]) -> None:
    grade = parse_grade(text)
    assert (grade.reliability, grade.credibility) == expected


@pytest.mark.parametrize("text", ["G1", "A7", "2B", "", "AA"])
def test_parse_grade_rejects_non_admiralty_codes(text: str) -> None:
    with pytest.raises(GradeError, match="Admiralty grade"):
        parse_grade(text)


def test_grade_minimum_applies_to_both_axes() -> None:
    minimum = AdmiraltyGrade("B", 3)
    assert grade_at_least(AdmiraltyGrade("A", 1), minimum)
    assert not grade_at_least(AdmiraltyGrade("A", 4), minimum)
    assert not grade_at_least(AdmiraltyGrade("C", 1), minimum)


def test_standing_needs_corroboration_or_high_credibility() -> None:
    assert standing_for(AdmiraltyGrade("C", 3), corroborating_sources=1) is Standing.UNCONFIRMED
    assert standing_for(AdmiraltyGrade("C", 3), corroborating_sources=2) is Standing.VERIFIED
    assert standing_for(AdmiraltyGrade("B", 2), corroborating_sources=1) is Standing.VERIFIED


def test_marking_round_trips_and_checks_viewers() -> None:
    marking = parse_marking("REL TO UKR, FRA,GBR")
    assert str(marking) == "REL TO FRA, GBR, UKR"
    assert Releasability.from_column(marking.to_column()) == marking
    assert marking.allows("FRA") and not marking.allows("DEU") and not marking.allows(None)
    assert parse_marking("PUBLIC").allows(None)


@pytest.mark.parametrize("text", ["SECRET", "REL TO", "REL TO FRANCE"])
def test_marking_rejects_bad_text(text: str) -> None:
    with pytest.raises(MarkingError):
        parse_marking(text)


@pytest.mark.parametrize("text,kind,planning", [
    (3, QuantityKind.EXACT, 3), ("100+", QuantityKind.AT_LEAST, 100), (">=5", QuantityKind.AT_LEAST, 5),
    # a range plans on its best estimate, else its midpoint rounded down; undisclosed never on 0 (docs/adr/0023)
    ("1-3", QuantityKind.RANGE, 2), ("1-4", QuantityKind.RANGE, 2), ("1-3~3", QuantityKind.RANGE, 3),
    ("undisclosed", QuantityKind.UNDISCLOSED, 1),
])
def test_quantity_forms(text: object, kind: QuantityKind, planning: int) -> None:
    quantity = parse_quantity(text)
    assert quantity.kind is kind
    assert quantity.planning_value() == planning


@pytest.mark.parametrize("text,message", [(-1, "negative"), ("-4", "negative"), ("3-1", "above high"),
                                          ("1-3~5", "outside"), ("lots", "expected a count")])
def test_quantity_rejects_impossible_values(text: object, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_quantity(text)


@given(st.one_of(
    st.integers(0, 10_000).map(Quantity.exact),
    st.integers(0, 10_000).map(lambda v: Quantity(kind=QuantityKind.AT_LEAST, value=v)),
    st.tuples(st.integers(0, 100), st.integers(0, 100)).map(sorted).map(
        lambda lh: Quantity(kind=QuantityKind.RANGE, low=lh[0], high=lh[1])),
    st.just(Quantity.undisclosed()),
))
def test_quantity_file_form_round_trips(quantity: Quantity) -> None:
    assert parse_quantity(format_quantity(quantity)) == quantity

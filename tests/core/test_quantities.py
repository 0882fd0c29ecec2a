"""What a plan counts on for each kind of reported quantity (docs/adr/0023): never 0 for an undisclosed size."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reassure.core.quantities import NationSize, Prior, Quantity, QuantityKind, nation_size


def test_each_kind_plans_on_its_stated_value_and_says_which_is_assumed() -> None:
    assert Quantity.exact(3).estimate().planned == 3 and not Quantity.exact(3).estimate().assumed
    ranged = Quantity(kind=QuantityKind.RANGE, low=1, high=4)
    assert ranged.planning_value() == 2 and "midpoint 2" in ranged.estimate().note
    best = Quantity(kind=QuantityKind.RANGE, low=1, high=4, value=3)
    assert best.estimate().planned == 3 and best.estimate().mode == 3 and "best estimate" in best.estimate().note
    assert best.estimate().assumed and "planning assumption" in best.estimate().note
    at_least = Quantity(kind=QuantityKind.AT_LEAST, value=2).estimate()
    assert (at_least.planned, at_least.low, at_least.high) == (2, 2, 2)


def test_an_undisclosed_size_plans_on_its_prior_never_zero() -> None:
    prior = Prior(capability="frigate", size=NationSize.LARGE, low=1, value=2, high=3)
    estimate = Quantity.undisclosed().estimate(prior, nation_size="large nation")
    assert (estimate.basis, estimate.planned, estimate.low, estimate.high) == ("prior", 2, 1, 3)
    assert "large nation" in estimate.note and "planning assumption" in estimate.note
    assert Quantity.undisclosed().planning_value() == 1  # no prior: the least a pledge can be, said in the note


def test_priors_are_ordered() -> None:
    with pytest.raises(ValueError, match="low <= value <= high"):
        Prior(capability="frigate", size=NationSize.SMALL, low=2, value=1, high=3)


@given(st.integers(0, 50), st.integers(0, 50))
def test_a_range_plans_inside_itself(a: int, b: int) -> None:
    low, high = min(a, b), max(a, b)
    estimate = Quantity(kind=QuantityKind.RANGE, low=low, high=high).estimate()
    assert low <= estimate.planned <= high


def test_nation_sizes_by_population() -> None:
    assert nation_size(None) is None
    assert nation_size(1_300_000) is NationSize.SMALL
    assert nation_size(10_000_000) is NationSize.MEDIUM
    assert nation_size(85_000_000) is NationSize.LARGE

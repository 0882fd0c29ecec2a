"""Incident standing from the sources' figures: agree within the tolerance, conflict, or merely compatible."""

from __future__ import annotations

from reassure.monitoring.report import Count, WeaponCounts
from reassure.monitoring.standing import SourceFigures, compare, incident_standing


def drones(value: int, qualifier: str = "exact", category: str = "drone") -> list[WeaponCounts]:
    return [WeaponCounts.model_validate({"category": category, "launched": {"value": value, "qualifier": qualifier}})]


def test_figures_within_the_tolerance_agree_and_beyond_it_conflict() -> None:
    assert compare(Count(value=112), Count(value=102)) == "agree"  # 10 apart, tolerance 11.2
    assert compare(Count(value=112), Count(value=100)) == "conflict"  # 12 apart
    assert compare(Count(value=3), Count(value=5)) == "agree"  # the absolute floor of 2
    assert compare(Count(value=112), Count(value=100, qualifier="at_least")) == "compatible"
    assert compare(Count(value=112), Count(value=105, qualifier="at_least")) == "agree"
    assert compare(Count(value=112), Count(value=90, qualifier="at_most")) == "conflict"


def test_two_publishers_that_agree_verify_and_two_that_disagree_conflict() -> None:
    verified = incident_standing([SourceFigures("mmau", "Air Force", drones(112)),
                                  SourceFigures("news", "Wire", drones(110))])
    assert verified.standing == "verified" and verified.comparisons[0].verdict == "agree"
    conflicting = incident_standing([SourceFigures("mmau", "Air Force", drones(112)),
                                     SourceFigures("news", "Wire", drones(60)),
                                     SourceFigures("blog", "Blog", drones(111))])
    assert conflicting.standing == "conflicting" and "drones launched" in conflicting.reason
    assert [count.value for _, count in conflicting.comparisons[0].values] == [112, 60, 111]  # all figures shown


def test_one_publisher_under_two_source_keys_is_one_source() -> None:
    result = incident_standing([SourceFigures("a", "Reuters", drones(112)),
                                SourceFigures("b", " reuters ", drones(112))])
    assert result.standing == "unconfirmed" and result.reason == "one independent source"
    unknown = incident_standing([SourceFigures("a", "not stated", drones(5)), SourceFigures("b", "", drones(5))])
    assert unknown.standing == "unconfirmed"


def test_a_family_split_differently_is_compared_by_its_total() -> None:
    lumped = [WeaponCounts.model_validate({"category": "missile", "launched": {"value": 14, "qualifier": "exact"}})]
    split = [WeaponCounts.model_validate({"category": c, "launched": {"value": n, "qualifier": "exact"}})
             for c, n in (("cruise_missile", 10), ("ballistic_missile", 4))]
    result = incident_standing([SourceFigures("a", "A", lumped), SourceFigures("b", "B", split)])
    assert result.standing == "verified" and [c.figure for c in result.comparisons] == ["missiles launched"]
    swapped = [WeaponCounts.model_validate({"category": c, "launched": {"value": n, "qualifier": "exact"}})
               for c, n in (("cruise_missile", 4), ("ballistic_missile", 10))]
    result = incident_standing([SourceFigures("b", "B", split), SourceFigures("c", "C", swapped)])
    assert result.standing == "conflicting" and "cruise missiles launched" in result.reason


def test_no_shared_figure_leaves_it_unconfirmed() -> None:
    destroyed = [WeaponCounts.model_validate({"category": "drone", "destroyed": {"value": 50, "qualifier": "exact"}})]
    result = incident_standing([SourceFigures("a", "A", drones(60)), SourceFigures("b", "B", destroyed)])
    assert result.standing == "unconfirmed" and result.comparisons == ()

"""Robustness over pledge sizes, whole-nation withdrawals and legal instruments under negotiation (docs/adr/0023):
deterministic for a seed, cancellable, with the nations and pledges whose loss hurts most ranked."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reassure.planner.analysis.robustness import in_words, robustness
from reassure.planner.instance import LegalInstrument
from reassure.planner.solver.runtime import Cancelled, CancelToken

from ..builders import problem, task, tour, unit


def _ranged(low: int = 1, high: int = 3, mode: int | None = 2, basis: str = "range") -> dict:
    note = "1–3: planned on the best estimate 2 (planning assumption)"
    entry = {"id": "FRA-FS", "basis": basis, "planned": 2, "low": low, "high": high, "note": note}
    return entry | ({"mode": mode} if mode is not None else {})


def test_a_range_is_sampled_below_its_planned_size() -> None:
    units = [unit("FRA-FS-1", pledge="FRA-FS", slot=1), unit("FRA-FS-2", pledge="FRA-FS", slot=2)]
    p = problem(units, [task("T", demand=2)], periods=4, pledges=[_ranged()])
    tours = [tour("FRA-FS-1", "T", 0, 3), tour("FRA-FS-2", "T", 0, 3)]
    r = robustness(p, tours, samples=4000, seed=1)
    assert r.plan_coverage == pytest.approx(1.0)
    assert r.minimum == pytest.approx(0.5) and r.maximum == pytest.approx(1.0)  # size 1 loses one of two units
    # Triangular around 2 over 1..3: P(size 1) = 1/3 × 1/2 (the left half's share below 2) ≈ 0.167
    share_short = sum(b.count for b in r.histogram if b.high <= 0.55) / r.samples
    assert 0.12 < share_short < 0.22
    [pledge] = r.pledges
    assert (pledge.pledge, pledge.drop_if_lost, pledge.drop_at_low) == ("FRA-FS", pytest.approx(1.0),
                                                                        pytest.approx(0.5))
    assert pledge.label == "France: fighter squadron"
    assert any("FRA-FS" in a and "sampled 1–3" in a and "planning assumption" in a for a in r.assumptions)
    assert robustness(p, tours, samples=4000, seed=1) == r  # the same seed gives the same report


def test_a_range_without_a_best_estimate_is_uniform() -> None:
    units = [unit("FRA-FS-1", pledge="FRA-FS", slot=1), unit("FRA-FS-2", pledge="FRA-FS", slot=2)]
    p = problem(units, [task("T", demand=2)], periods=4, pledges=[_ranged(mode=None)])
    r = robustness(p, [tour("FRA-FS-1", "T", 0, 3), tour("FRA-FS-2", "T", 0, 3)], samples=6000, seed=2)
    assert r.mean == pytest.approx(1 / 3 * 0.5 + 2 / 3 * 1.0, abs=0.02)


def test_whole_nations_withdraw_and_are_ranked_by_the_coverage_they_take() -> None:
    units = [unit("F1"), unit("F2"), unit("G1", nation="GBR")]
    nations = [{"code": "FRA", "probability": 0.8}, {"code": "GBR"}]
    p = problem(units, [task("T", demand=3)], periods=4, nations=nations)
    tours = [tour("F1", "T", 0, 3), tour("F2", "T", 0, 3), tour("G1", "T", 0, 3)]
    r = robustness(p, tours, samples=5000, seed=3)
    at_one_third = sum(b.count for b in r.histogram if b.low <= 1 / 3 < b.high) / r.samples
    assert at_one_third == pytest.approx(0.2, abs=0.03)  # France gone: only the British unit serves
    assert [(n.nation, n.name) for n in r.nations] == [("FRA", "France"), ("GBR", "United Kingdom")]
    assert r.nations[0].drop_if_lost == pytest.approx(2 / 3) and r.nations[0].expected_loss == pytest.approx(0.4 * 1/3)
    words = " ".join(in_words(r))
    assert "France (66.7% of coverage)" in words and "F1" not in words


def test_an_undisclosed_prior_is_sampled_and_said_to_be_an_assumption() -> None:
    units = [unit("TUR-FRG-1", nation="TUR", capability="frigate", pledge="TUR-FRG", slot=1)]
    note = "size undisclosed: planned on 1 (prior for a large nation, 1–2; planning assumption)"
    estimate = {"id": "TUR-FRG", "basis": "prior", "planned": 1, "low": 1, "high": 2, "mode": 1, "note": note}
    p = problem(units, [task("SEA", capability="frigate", location="sea")], periods=3, pledges=[estimate])
    r = robustness(p, [tour("TUR-FRG-1", "SEA", 0, 2)], samples=500, seed=0)
    assert r.p5 == pytest.approx(1.0)  # more than planned adds nothing to the plan as drawn, never less than 1
    assert "Türkiye: frigate or destroyer (TUR-FRG): size undisclosed" in r.assumptions[0]


def test_robustness_stops_when_cancelled() -> None:
    p = problem([unit("A", probability=0.5)], [task("T")], periods=4)
    token = CancelToken()
    token.cancel()
    with pytest.raises(Cancelled):
        robustness(p, [tour("A", "T", 0, 3)], samples=100, cancel=token)


@pytest.mark.skipif("probability" not in LegalInstrument.model_fields,
                    reason="legal[].probability is added by the planner-rules stream (issue 23 item 1)")
def test_a_legal_instrument_under_negotiation_is_sampled() -> None:
    legal = [{"nation": "FRA", "host": "UKR", "kind": "SOFA", "in_force_from": 0, "probability": 0.25}]
    p = problem([unit("A")], [task("T", requires_legal=["SOFA"])], periods=4, legal=legal)
    r = robustness(p, [tour("A", "T", 0, 3)], samples=4000, seed=5)
    assert r.mean == pytest.approx(0.25, abs=0.03)
    assert r.sampled_legal and "25%" in r.sampled_legal[0]


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.integers(1, 3), st.floats(0.3, 1.0), st.sampled_from(["FRA", "GBR"])), min_size=1,
                max_size=4), st.floats(0.5, 1.0), st.integers(1, 3), st.integers(0, 5))
def test_sampled_coverage_never_exceeds_the_plan_and_its_percentiles_are_ordered(
        pledges: list[tuple[int, float, str]], keeps: float, demand: int, seed: int) -> None:
    units, estimates, tours = [], [], []
    for k, (planned, p, nation) in enumerate(pledges):
        key = f"P{k}"
        estimates.append({"id": key, "basis": "range", "planned": planned, "low": 1, "high": planned + 1,
                          "note": "assumed"})
        for slot in range(1, planned + 1):
            units.append(unit(f"{key}-{slot}", nation=nation, probability=p, pledge=key, slot=slot))
            tours.append(tour(f"{key}-{slot}", "T", 0, 2))
    nations = [{"code": "FRA", "probability": keeps}, {"code": "GBR"}]
    prob = problem(units, [task("T", demand=demand)], periods=3, nations=nations, pledges=estimates)
    r = robustness(prob, tours, samples=300, seed=seed)
    values = [r.minimum, r.p5, r.p10, r.p25, r.p50, r.p75, r.p90, r.p95, r.maximum]
    assert values == sorted(values) and r.maximum <= r.plan_coverage + 1e-9
    assert all(0 <= n.drop_if_lost <= r.plan_coverage + 1e-9 for n in r.nations)
    assert all(0 <= q.drop_at_low <= q.drop_if_lost + 1e-9 for q in r.pledges)

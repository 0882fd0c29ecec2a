"""Robustness sampling and sustainability figures."""

from __future__ import annotations

import time
from typing import Any

import pytest

from reassure.planner.analysis.robustness import robustness
from reassure.planner.analysis.sustainability import (
    burden_shares,
    personnel_by_nation,
    required_pools,
    rotation_multiplier,
)
from reassure.planner.generate import GDP, generate
from reassure.planner.solver.baseline import greedy_plan

from ..builders import problem, task, tour, unit


def test_robustness_is_reproducible_with_a_seed_and_varies_without() -> None:
    p = generate("small", seed=2)
    plan = greedy_plan(p)
    a = robustness(p, plan.tours, samples=3000, seed=7)
    b = robustness(p, plan.tours, samples=3000, seed=7)
    c = robustness(p, plan.tours, samples=3000, seed=8)
    assert a == b and a.mean != c.mean
    assert a.p5 <= a.mean <= a.plan_coverage + 1e-9
    assert sum(x.count for x in a.histogram) == 3000


def test_robustness_certain_units_give_the_plan_coverage() -> None:
    p = problem([unit("A", probability=1.0)], [task("T", demand=2)], periods=4)
    r = robustness(p, [tour("A", "T", 0, 3)], samples=500, seed=1)
    assert r.mean == pytest.approx(0.5) and r.p5 == pytest.approx(0.5)


def test_robustness_ranks_the_unit_whose_loss_hurts_most() -> None:
    units = [unit("SOLO", probability=0.5), unit("PAIR1", probability=0.9), unit("PAIR2", probability=0.9)]
    p = problem(units, [task("T1", priority=5), task("T2", priority=1)], periods=4)
    tours = [tour("SOLO", "T1", 0, 3), tour("PAIR1", "T2", 0, 3), tour("PAIR2", "T2", 0, 1)]
    r = robustness(p, tours, samples=4000, seed=3)
    assert r.critical[0].unit == "SOLO"
    assert r.critical[0].drop_if_lost == pytest.approx(20 / 24)
    assert r.critical[0].expected_loss == pytest.approx(0.5 * 20 / 24)


def test_robustness_ten_thousand_samples_in_seconds() -> None:
    p = generate("realistic", seed=1)
    plan = greedy_plan(p)
    began = time.perf_counter()
    r = robustness(p, plan.tours, samples=10_000, seed=0)
    assert time.perf_counter() - began < 10 and r.samples == 10_000


def test_rotation_multiplier_and_required_pool() -> None:
    assert rotation_multiplier(6, 12) == 3.0
    with pytest.raises(ValueError):
        rotation_multiplier(0, 3)
    p = problem([unit("A", max_tour=4, min_dwell=8), unit("B", max_tour=4, min_dwell=8)], [task("T", demand=2)])
    [pool] = required_pools(p)
    assert pool.multiplier == 3.0 and pool.required_pool == 6 and pool.available_pool == 2 and pool.shortfall == 4


def test_personnel_and_burden_shares_with_problem_and_gdp_fair_shares() -> None:
    nations: list[dict[str, Any]] = [{"code": "FRA", "fair_share": 0.5}, {"code": "GBR"}, {"code": "POL"}]
    units = [unit("F", personnel=300), unit("G", nation="GBR", personnel=100)]
    p = problem(units, [task("T", demand=2)], periods=2, nations=nations)
    tours = [tour("F", "T", 0, 1), tour("G", "T", 0, 0)]
    assert personnel_by_nation(p, tours) == {"FRA": [300, 300], "GBR": [100, 0], "POL": [0, 0]}
    shares = {s.nation: s for s in burden_shares(p, tours, gdp=GDP)}
    assert shares["FRA"].share == pytest.approx(600 / 700) and shares["FRA"].fair_source == "problem"
    gbr_fair = GDP["GBR"] / (GDP["FRA"] + GDP["GBR"] + GDP["POL"])
    assert shares["GBR"].fair_share == pytest.approx(gbr_fair) and shares["GBR"].fair_source == "gdp"
    assert shares["GBR"].delta == pytest.approx(100 / 700 - gbr_fair)
    assert {s.fair_source for s in burden_shares(p, tours)} == {"problem", "none"}

"""Issue 23 item 7: with the planner rules' keys present, the solver stays deterministic for a seed and cancellable."""

from __future__ import annotations

import threading
import time

import pytest

from reassure.planner.generate import Size, generate
from reassure.planner.hard_rules.repair import repair
from reassure.planner.hard_rules.validate import check_tours
from reassure.planner.index import Instance
from reassure.planner.solver import solve as solve_module
from reassure.planner.solver.baseline import greedy_tours
from reassure.planner.solver.improve import improve
from reassure.planner.solver.runtime import Cancelled, CancelToken
from reassure.planner.solver.solve import solve

from ..rule_keys import with_rule_keys

LARGE = Size(nations=6, units=30, tasks=8, periods=14)
TINY = Size(nations=3, units=6, tasks=3, periods=6)


@pytest.mark.parametrize("keys", [3, 11, 42])
def test_greedy_and_repair_are_deterministic_and_repair_is_idempotent(keys: int) -> None:
    inst = Instance(with_rule_keys(generate(LARGE, seed=keys), keys))
    first, second = greedy_tours(inst), greedy_tours(inst)
    assert first == second and check_tours(inst, first) == []
    moved = improve(inst, first, seconds=0.5, seed=1)
    fixed = repair(inst, moved)
    assert repair(inst, fixed) == fixed and check_tours(inst, fixed) == []


def test_same_seed_same_plan_with_rule_keys() -> None:
    p = with_rule_keys(generate(TINY, seed=7), 7)
    a = solve(p, time_limit=20, seed=3, workers=1)
    b = solve(p, time_limit=20, seed=3, workers=1)
    assert a.status == "optimal"  # solved to the end, so the clock does not cut either run
    assert a.tours == b.tours and a.bound == b.bound


def test_a_cancel_stops_a_solve_with_rule_keys(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(solve_module, "COLUMNS_FROM", 10)  # the column-generation path with its repair
    p = with_rule_keys(generate(LARGE, seed=5), 5)
    token = CancelToken()
    timer = threading.Timer(1.0, token.cancel)
    timer.start()
    began = time.perf_counter()
    with pytest.raises(Cancelled):
        solve(p, time_limit=60, seed=1, workers=1, cancel=token)
    timer.cancel()
    assert time.perf_counter() - began < 15

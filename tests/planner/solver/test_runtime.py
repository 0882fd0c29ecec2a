"""Where a solve runs and how it stops: a cancel token stops it promptly, an injected runner gets the parts."""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest

from reassure.planner.generate import Size, generate
from reassure.planner.hard_rules.validate import validate
from reassure.planner.solver import solve as solve_module
from reassure.planner.solver.columns.parts import SOLVE_PART
from reassure.planner.solver.runtime import Cancelled, CancelToken, RunnerError, in_process
from reassure.planner.solver.solve import solve

LARGE = Size(nations=6, units=30, tasks=8, periods=14)


def test_a_token_cancelled_before_the_solve_stops_it_at_once() -> None:
    token = CancelToken()
    token.cancel()
    began = time.perf_counter()
    with pytest.raises(Cancelled):
        solve(generate(LARGE, seed=5), time_limit=30, seed=1, workers=1, cancel=token)
    assert time.perf_counter() - began < 2


@pytest.mark.parametrize("workers", [1, 2])
def test_a_cancel_from_another_thread_stops_a_long_solve_early(workers: int, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(solve_module, "COLUMNS_FROM", 10)  # plan the parts by column generation, side by side
    token = CancelToken()
    timer = threading.Timer(1.0, token.cancel)
    timer.start()
    began = time.perf_counter()
    with pytest.raises(Cancelled):
        solve(generate(LARGE, seed=5), time_limit=60, seed=1, workers=workers, cancel=token)
    timer.cancel()
    assert time.perf_counter() - began < 15  # of a 60 s limit: stopped, not run out


def test_an_injected_runner_runs_every_part_side_by_side(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(solve_module, "COLUMNS_FROM", 10)
    calls: list[str] = []

    def runner(function: str, *args: Any) -> Any:
        calls.append(function)
        return in_process(function, *args)

    p = generate(LARGE, seed=5)
    plan = solve(p, time_limit=6, seed=1, workers=2, runner=runner)
    assert calls and set(calls) == {SOLVE_PART}
    assert validate(p, plan).valid


def test_a_runner_that_cannot_run_a_part_leaves_it_to_the_caller(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(solve_module, "COLUMNS_FROM", 10)
    failed: list[str] = []

    def broken(function: str, *args: Any) -> Any:
        failed.append(function)
        raise RunnerError("worker gone")

    p = generate(LARGE, seed=5)
    plan = solve(p, time_limit=4, seed=1, workers=2, runner=broken)
    assert failed and validate(p, plan).valid and plan.covered_weight > 0

"""Planner child processes: calls answered, failures reported with the child's traceback, children reused."""

from __future__ import annotations

import pytest

from reassure.planner.solver.processes import pool as processes


def test_a_child_runs_a_function_and_is_reused() -> None:
    child = processes.acquire()
    assert child.call("math:gcd", 12, 18) == 6
    pid = child.process.pid
    processes.release(child)
    again = processes.acquire()
    assert again.process.pid == pid
    processes.release(again)


def test_a_failing_call_raises_with_the_childs_traceback_and_the_child_lives_on() -> None:
    child = processes.acquire()
    with pytest.raises(processes.ChildError, match="math domain error"):
        child.call("math:sqrt", -1.0)
    assert child.call("math:sqrt", 9.0) == 3.0
    processes.release(child)


def test_a_child_that_died_is_reported_and_not_reused() -> None:
    child = processes.acquire()
    child.process.kill()
    child.process.wait()
    with pytest.raises(processes.ChildError, match="stopped"):
        child.call("math:sqrt", 4.0)
    processes.release(child)  # dropped, not kept
    fresh = processes.acquire()
    assert fresh.process.pid != child.process.pid
    assert fresh.call("math:sqrt", 4.0) == 2.0
    processes.release(fresh)

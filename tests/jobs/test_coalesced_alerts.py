"""Rules evaluated after ingests that arrive faster than an evaluation runs (jobs/alerts.Coalesced, used by the intake
API): every ask is covered by a run that started after it, but asks during a run share one more run instead of one
each (the load run's report posts each cost about a second of CPU in rule evaluations: benchmarks/load-notes.md)."""

from __future__ import annotations

import threading
import time

import pytest

from reassure.jobs.alerts import Coalesced


def test_asks_during_a_run_share_one_more_run_and_each_is_covered_by_a_run_started_after_it() -> None:
    starts: list[float] = []

    def work() -> None:
        starts.append(time.monotonic())
        time.sleep(0.3)

    runs = Coalesced()
    asked: list[float] = []
    answers: list[bool] = []
    lock = threading.Lock()

    def ask() -> None:
        moment = time.monotonic()
        answer = runs.ask(work)
        with lock:
            asked.append(moment)
            answers.append(answer)

    first = threading.Thread(target=ask)
    first.start()
    time.sleep(0.1)  # the first run is under way
    others = [threading.Thread(target=ask) for _ in range(9)]
    for t in others:
        t.start()
    for t in [first, *others]:
        t.join(timeout=10)
    assert len(answers) == 10 and answers.count(True) == 1  # one caller ran them; nine returned at once
    assert len(starts) == 2  # the first, and one more for the nine asks made during it: not ten
    assert all(any(start >= moment for start in starts) for moment in asked)  # no ask left to an older run
    # Later, with nothing under way, an ask runs at once.
    assert runs.ask(work) is True and len(starts) == 3


def test_a_failed_run_is_followed_by_the_asks_made_during_it_and_only_a_last_failure_is_raised() -> None:
    calls: list[int] = []
    started = threading.Event()
    failing = {1, 3}  # the first and the third run fail

    def work() -> None:
        calls.append(len(calls) + 1)
        if len(calls) == 1:
            started.set()
            time.sleep(0.2)
        if len(calls) in failing:
            raise RuntimeError("database unavailable")

    runs = Coalesced()
    later: list[bool] = []
    helper = threading.Thread(target=lambda: (started.wait(5), later.append(runs.ask(work))))
    helper.start()
    assert runs.ask(work) is True  # run 1 failed, run 2 (asked during it) succeeded: every ask is covered
    helper.join(timeout=5)
    assert later == [False] and calls == [1, 2]
    with pytest.raises(RuntimeError, match="database unavailable"):
        runs.ask(work)  # run 3 fails, with nothing after it: its caller is told
    assert runs.ask(work) is True and calls == [1, 2, 3, 4]  # and nothing stays "busy" after an error


def test_the_run_for_asks_made_meanwhile_does_the_newest_asks_work() -> None:
    """The work carries its settings (a server's database and alert channels): the run for asks made during a run
    does what the newest ask gave, never only the first caller's."""
    done: list[str] = []
    started = threading.Event()

    def first() -> None:
        done.append("first")
        started.set()
        time.sleep(1.0)  # the helper's two asks arrive meanwhile

    runs = Coalesced()
    helper = threading.Thread(target=lambda: (started.wait(5), runs.ask(lambda: done.append("older")),
                                              runs.ask(lambda: done.append("newest"))))
    helper.start()
    assert runs.ask(first) is True
    helper.join(timeout=5)
    assert done == ["first", "newest"]

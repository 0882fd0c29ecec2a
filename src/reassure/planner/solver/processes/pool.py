"""Planner child processes, so that independent parts of a large problem are solved on several cores.

Column generation is Python and GLOP, which hold the GIL, so threads would not run it in parallel.
Each child is a fresh interpreter (`python -m reassure.planner.solver.processes.child_main`), not a fork: the parent
may be a web server or a job worker with threads of its own. Children are kept between calls and
reused; they stop when the parent exits.
"""

from __future__ import annotations

import atexit
import os
import pickle
import subprocess
import sys
import threading
from typing import Any

WARM = ("reassure.planner.solver.columns.by_columns",)  # imported by a child as it starts, while the parent works

_idle: list[ChildProcess] = []
_lock = threading.Lock()
_started = [0]


class ChildError(RuntimeError):
    """A call failed in a child process (its traceback is the message) or the child stopped."""


class ChildProcess:
    """One child interpreter and the pipes to it."""

    def __init__(self) -> None:
        """Start the child; it imports the planner while the caller goes on."""
        read_fd, write_fd = os.pipe()
        env = dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in sys.path if p))
        try:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "reassure.planner.solver.processes.child_main", str(write_fd), *WARM],
                stdin=subprocess.PIPE,
                pass_fds=(write_fd,),
                env=env,
            )
        finally:
            os.close(write_fd)
        self.answers = os.fdopen(read_fd, "rb")
        with _lock:
            _started[0] += 1
        assert self.process.stdin is not None
        self.requests = self.process.stdin

    def call(self, path: str, *args: Any, **kwargs: Any) -> Any:
        """Run `module:function` in the child and return its result."""
        try:
            pickle.dump((path, args, kwargs), self.requests, protocol=pickle.HIGHEST_PROTOCOL)
            self.requests.flush()
            status, value = pickle.load(self.answers)
        except (OSError, EOFError, pickle.UnpicklingError) as exc:
            raise ChildError(f"planner child process stopped (exit code {self.process.poll()})") from exc
        if status != "ok":
            raise ChildError(value)
        return value

    def kill(self) -> None:
        """Stop the child at once (a cancelled call): its pending call raises ChildError."""
        self.process.kill()

    def alive(self) -> bool:
        """Tell whether the child is still running."""
        return self.process.poll() is None

    def close(self) -> None:
        """Stop the child."""
        try:
            self.requests.close()
            self.process.wait(timeout=5)
        except (OSError, subprocess.TimeoutExpired):
            self.process.kill()
        self.answers.close()


def start(count: int) -> None:
    """Make sure `count` children are idle or starting, so the first calls need not wait for imports."""
    with _lock:
        _idle[:] = [c for c in _idle if c.alive()]
        missing = count - len(_idle)
    fresh = [ChildProcess() for _ in range(max(0, missing))]
    with _lock:
        _idle.extend(fresh)


def started() -> int:
    """Return how many children this process has started."""
    return _started[0]


def acquire() -> ChildProcess:
    """Return an idle child, started if none is waiting."""
    with _lock:
        while _idle:
            child = _idle.pop()
            if child.alive():
                return child
    return ChildProcess()


def release(child: ChildProcess) -> None:
    """Give a child back for later calls (a child that stopped is dropped)."""
    if not child.alive():
        return
    with _lock:
        _idle.append(child)


@atexit.register
def stop_all() -> None:
    """Stop every idle child."""
    with _lock:
        children, _idle[:] = list(_idle), []
    for child in children:
        child.close()

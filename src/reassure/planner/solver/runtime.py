"""Where a solve runs and how it is stopped: an injectable part runner and a cancel token.

A web job must be able to cancel a solve it started, and a sweep may want the parts of a large problem run on
its own workers (a Dask cluster, a process pool) rather than on this machine's child processes. `solve` and
`replan` take both; with neither, parts run in this machine's child processes (processes/pool.py) until the time
limit, as before.
"""

from __future__ import annotations

import importlib
import threading
from collections.abc import Callable
from typing import Any, Protocol

from reassure.planner.solver.processes import pool as processes


class Cancelled(Exception):
    """The solve was cancelled through its token; no plan is returned."""


class CancelToken:
    """A flag another thread sets to stop a solve: CP-SAT stops its search at once, column generation and the
    stages between them stop at their next check (within a part's LP round, typically well under a second)."""

    def __init__(self) -> None:
        self._event = threading.Event()
        self._lock = threading.Lock()
        self._hooks: list[Callable[[], None]] = []

    def cancel(self) -> None:
        """Ask the solve to stop; safe from any thread, more than once."""
        with self._lock:
            self._event.set()
            hooks = list(self._hooks)
        for hook in hooks:
            hook()

    @property
    def cancelled(self) -> bool:
        """Tell whether cancel was called."""
        return self._event.is_set()

    def check(self) -> None:
        """Raise Cancelled if cancel was called."""
        if self._event.is_set():
            raise Cancelled("the solve was cancelled")

    def on_cancel(self, hook: Callable[[], None]) -> Callable[[], None]:
        """Call `hook` when cancelled (at once if already); return a function that removes it."""
        with self._lock:
            if not self._event.is_set():
                self._hooks.append(hook)
                return lambda: self._remove(hook)
        hook()
        return lambda: None

    def _remove(self, hook: Callable[[], None]) -> None:
        with self._lock:
            if hook in self._hooks:
                self._hooks.remove(hook)


def check(token: CancelToken | None) -> None:
    """Raise Cancelled if a token was given and cancelled."""
    if token is not None:
        token.check()


class PartRunner(Protocol):
    """Runs `module:function` on picklable arguments somewhere and returns its result.

    It raises RunnerError when it cannot (the part is then solved in the calling process with the time left).
    """

    def __call__(self, function: str, *args: Any) -> Any: ...


class RunnerError(RuntimeError):
    """A part runner could not run a call (a worker stopped, a call failed remotely)."""


def resolve(function: str) -> Callable[..., Any]:
    """Return the function named 'package.module:function'."""
    module, _, name = function.partition(":")
    found: Callable[..., Any] = getattr(importlib.import_module(module), name)
    return found


def child_processes(function: str, *args: Any) -> Any:
    """The default runner: an idle planner child process of this machine (processes/pool.py)."""
    return child_processes_until(None)(function, *args)


def child_processes_until(cancel: CancelToken | None) -> PartRunner:
    """Return the child-process runner whose calls a cancel stops at once (the busy child is killed)."""

    def run(function: str, *args: Any) -> Any:
        check(cancel)
        child = processes.acquire()
        unhook = cancel.on_cancel(child.kill) if cancel is not None else (lambda: None)
        try:
            out = child.call(function, *args)
        except processes.ChildError as exc:
            child.close()
            check(cancel)
            raise RunnerError(str(exc)) from exc
        finally:
            unhook()
        processes.release(child)
        return out

    return run


def in_process(function: str, *args: Any) -> Any:
    """A runner that calls the function in this process (tests, or a worker that is itself a process)."""
    return resolve(function)(*args)

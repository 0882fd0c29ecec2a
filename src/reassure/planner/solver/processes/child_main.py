"""The loop of a planner child process (see pool.py): run the functions it is sent, answer each.

Started as `python -m reassure.planner.solver.processes.child_main FD`: reads pickled (function path, args, kwargs) on
stdin and writes ("ok", result) or ("error", traceback text) to file descriptor FD, never to stdout,
so that nothing a library prints can garble an answer.
"""

from __future__ import annotations

import importlib
import pickle
import sys
import traceback
from typing import Any, BinaryIO


def serve(requests: BinaryIO, answers: BinaryIO) -> None:
    """Answer calls until the end of input."""
    while True:
        try:
            path, args, kwargs = pickle.load(requests)
        except EOFError:
            return
        module, _, name = path.partition(":")
        answer: tuple[str, Any]
        try:
            answer = ("ok", getattr(importlib.import_module(module), name)(*args, **kwargs))
        except Exception:
            answer = ("error", traceback.format_exc())
        pickle.dump(answer, answers, protocol=pickle.HIGHEST_PROTOCOL)
        answers.flush()


if __name__ == "__main__":
    for warm in sys.argv[2:]:  # modules to import before the first call, while the parent works
        importlib.import_module(warm)
    with open(int(sys.argv[1]), "wb") as out:
        serve(sys.stdin.buffer, out)

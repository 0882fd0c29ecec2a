"""Force-generation asks: what to ask nations for so that the plan reaches a target coverage (docs/adr/0024).

Computed from planning assumptions: the asked units are hypothetical, shaped like the nation's own pledges (or the
coalition's typical unit), and the coverage they reach is the planner's re-solve with them added.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from reassure.core.errors import InputError
from reassure.core.errors import Problem as InputProblem
from reassure.planner.analysis.asks import AskProgress, FairShares, find_asks
from reassure.planner.instance import Asks, Plan, Problem
from reassure.planner.solver.runtime import CancelToken, PartRunner

AskCallback = Callable[[AskProgress], None]


def parse_target(text: str | float) -> float:
    """Read a target coverage: "95%", "95 %", "95" or 0.95 (a number above 1 is a percentage); InputError else."""
    if isinstance(text, (int, float)) and not isinstance(text, bool):
        value = float(text) / 100 if text > 1 else float(text)
    else:
        m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*(%?)\s*", str(text))
        if m is None:
            raise InputError([InputProblem("", "", "target", f"expected a coverage like 95% or 0.95, got {text!r}")])
        value = float(m.group(1))
        if m.group(2) or value > 1:
            value /= 100
    if not 0 < value <= 1:
        raise InputError([InputProblem("", "", "target", f"a target coverage is above 0 and at most 100 %, got "
                                                          f"{text!r}")])
    return value


def with_flags(problem: Problem, flags: dict[str, bool]) -> Problem:
    """Return the problem with scenario flags set from the start (a what-if from period 0, e.g. no US backstop)."""
    return problem.model_copy(update={"flags": {**problem.flags, **flags}}) if flags else problem


def asks_for(problem: Problem, target: float, *, base: Plan | None = None, fair_shares: FairShares = "strict",
             seconds: float = 10.0, rounds: int = 4, seed: int = 0, callback: AskCallback | None = None,
             cancel: CancelToken | None = None, runner: PartRunner | None = None) -> tuple[Plan, Asks]:
    """Return the base plan (solved when not given) and the verified asks that lift it to `target`; a target or mode
    the planner cannot take is an InputError, a cancelled token raises Cancelled."""
    try:
        return find_asks(problem, target, base=base, fair_shares=fair_shares, solve_seconds=seconds,
                         max_rounds=rounds, seed=seed, callback=callback, cancel=cancel, runner=runner)
    except ValueError as exc:
        raise InputError([InputProblem("", "", "asks", str(exc))]) from exc

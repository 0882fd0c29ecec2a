"""What-if and re-planning: apply scenario changes, keep tours under way, change as few future tours as possible.

Tours that started before the change period are frozen (cut short where their unit leaves); the
previous plan's later tours are the reference the solver keeps where coverage allows (the stability
stage comes right after coverage), and the greedy fallback starts from them too.

A re-plan is a new decision taken at the change period: a unit the previous plan never used needs its notice to
move from then (units[].notice), so a surge is met first by units already warned; a unit the previous plan used
keeps the readiness it had (horizon.decision + notice).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictInt, StrictStr, model_validator

from reassure.core.bounds import MAX_INTEGER
from reassure.planner.instance import Plan, Problem, Tour, Unit
from reassure.planner.solver.runtime import CancelToken, PartRunner
from reassure.planner.solver.solve import ProgressCallback, solve

MAX_COUNT = 100_000  # most units a surge may add (or remove) in a period, as a scenario file's demand


class _Change(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Withdraw(_Change):
    """A nation withdraws all its units from a period on, or (with `pledge`) one pledge's units only: the same cut
    a dated withdrawal of the pledge makes when the problem is built from the database (docs/adr/0023)."""

    kind: Literal["withdraw"] = "withdraw"
    nation: StrictStr | None = None
    pledge: StrictStr | None = None
    period: StrictInt = Field(ge=0, le=MAX_INTEGER)

    @model_validator(mode="after")
    def _one_target(self) -> Withdraw:
        if (self.nation is None) == (self.pledge is None):
            raise ValueError("a withdrawal names a nation or a pledge (one of them)")
        return self

    def hits(self, unit: Unit) -> bool:
        """Tell whether the withdrawal takes this unit."""
        return unit.pledge == self.pledge if self.pledge is not None else unit.nation == self.nation


class FlagChange(_Change):
    """A scenario flag (e.g. us_backstop) takes a new value from a period on."""

    kind: Literal["flag"] = "flag"
    flag: StrictStr
    value: StrictBool
    period: StrictInt = Field(default=0, ge=0, le=MAX_INTEGER)


class Surge(_Change):
    """A task's demand rises by `extra` units in periods start … end."""

    kind: Literal["surge"] = "surge"
    task: StrictStr
    start: StrictInt = Field(ge=0, le=MAX_INTEGER)
    end: StrictInt = Field(ge=0, le=MAX_INTEGER)
    extra: StrictInt = Field(ge=-MAX_COUNT, le=MAX_COUNT)


class VerifiedOnly(_Change):
    """Count only verified pledges from a period on (docs/adr/0042): a pledge's units beyond those its newest
    verification stands for (`pledges[].verified`: all, those found when short, none) leave, and so do the units of
    a pledge with no verification (or of no pledge)."""

    kind: Literal["verified_only"] = "verified_only"
    period: StrictInt = Field(default=0, ge=0, le=MAX_INTEGER)

    def hits(self, unit: Unit, verified: dict[str, int]) -> bool:
        """Tell whether the unit is not counted (`verified`: per pledge id, the units verified)."""
        if unit.pledge is None or unit.pledge not in verified:
            return True
        return (unit.slot or 1) > verified[unit.pledge]


Change = Withdraw | FlagChange | Surge | VerifiedOnly


def parse_withdraw(text: str) -> Withdraw:
    """Parse NATION@PERIOD, e.g. "FRA@12", or PLEDGE@PERIOD for one pledge, e.g. "POL-LOG@17"."""
    m = re.fullmatch(r"\s*([A-Za-z]{2,3})\s*@\s*(\d+)\s*", text)
    if m is not None:
        return Withdraw(nation=m.group(1).upper(), period=int(m.group(2)))
    m = re.fullmatch(r"\s*([A-Za-z0-9][A-Za-z0-9_.-]{0,79})\s*@\s*(\d+)\s*", text)
    if m is None:
        raise ValueError(f"expected NATION@PERIOD (e.g. FRA@12) or PLEDGE@PERIOD (e.g. POL-LOG@17), got {text!r}")
    return Withdraw(pledge=m.group(1), period=int(m.group(2)))


def parse_flag(text: str) -> FlagChange:
    """Parse FLAG=true|false[@PERIOD], e.g. "us_backstop=false" or "us_backstop=false@6"."""
    m = re.fullmatch(r"\s*(\w+)\s*=\s*(true|false|on|off|yes|no|1|0)\s*(?:@\s*(\d+))?\s*", text, re.IGNORECASE)
    if m is None:
        raise ValueError(f"expected FLAG=true|false[@PERIOD] (e.g. us_backstop=false), got {text!r}")
    value = m.group(2).lower() in ("true", "on", "yes", "1")
    return FlagChange(flag=m.group(1), value=value, period=int(m.group(3) or 0))


def parse_surge(text: str) -> Surge:
    """Parse TASK:FROM-TO:+N, e.g. "AIR-WEST:12-18:+1"."""
    m = re.fullmatch(r"\s*(.+?):(\d+)-(\d+):([+-]?\d+)\s*", text)
    if m is None:
        raise ValueError(f"expected TASK:FROM-TO:+N (e.g. AIR-WEST:12-18:+1), got {text!r}")
    start, end = int(m.group(2)), int(m.group(3))
    if end < start:
        raise ValueError(f"surge periods {start}-{end} run backwards")
    return Surge(task=m.group(1), start=start, end=end, extra=int(m.group(4)))


def parse_verified_only(text: str | None = None) -> VerifiedOnly:
    """Parse "" or "@PERIOD" (e.g. "@6"): count only verified pledges from period 0, or from that period."""
    m = re.fullmatch(r"\s*(?:@\s*(\d+))?\s*", text or "")
    if m is None:
        raise ValueError(f"expected nothing or @PERIOD (e.g. @6), got {text!r}")
    return VerifiedOnly(period=int(m.group(1) or 0))


def change_period(changes: Sequence[Change]) -> int:
    """Return the first period any change takes effect (tours starting earlier are under way)."""
    return min((c.start if isinstance(c, Surge) else c.period) for c in changes)


def _leaving(problem: Problem, changes: Sequence[Change]) -> dict[str, int]:
    """Return, per unit, the first period it may no longer serve."""
    out: dict[str, int] = {}
    verified = {p.id: p.verified for p in problem.pledges if p.verified is not None}
    for c in changes:
        if isinstance(c, Surge) or (isinstance(c, FlagChange) and c.value):
            continue
        for u in problem.units:
            hit = (c.hits(u) if isinstance(c, Withdraw) else c.hits(u, verified) if isinstance(c, VerifiedOnly)
                   else c.flag in u.conditions)
            if hit:
                out[u.id] = min(out.get(u.id, c.period), c.period)
    return out


def _cut(tours: Sequence[Tour], leaving: dict[str, int]) -> list[Tour]:
    """Drop or shorten tours so that none runs past its unit's leaving period."""
    out = []
    for t in tours:
        stop = leaving.get(t.unit)
        if stop is None or t.end < stop:
            out.append(t)
        elif t.start < stop:
            out.append(t.model_copy(update={"end": stop - 1}))
    return out


def apply_changes(problem: Problem, base: Sequence[Tour], changes: Sequence[Change]) -> Problem:
    """Return the changed problem, with the base tours started before the change period frozen."""
    if not changes:
        raise ValueError("no changes given")
    task_ids = {t.id for t in problem.tasks}
    for c in changes:
        if isinstance(c, Surge) and c.task not in task_ids:
            raise ValueError(f"surge names unknown task {c.task!r}")
        if isinstance(c, Withdraw) and c.nation is not None and c.nation not in {n.code for n in problem.nations}:
            raise ValueError(f"withdrawal names unknown nation {c.nation!r}")
        if isinstance(c, Withdraw) and c.pledge is not None and not any(u.pledge == c.pledge for u in problem.units):
            raise ValueError(f"withdrawal names pledge {c.pledge!r}, which has no unit in this problem")
    first = change_period(changes)
    n = problem.horizon.periods
    flags = dict(problem.flags)
    for c in changes:
        if isinstance(c, FlagChange):
            flags[c.flag] = c.value
    leaving = _leaving(problem, changes)
    withdrawals = [c for c in changes if isinstance(c, Withdraw | VerifiedOnly)]
    verified = {p.id: p.verified for p in problem.pledges if p.verified is not None}
    kept_units = []
    for unit in problem.units:
        u = unit.model_copy(deep=True)
        for c in changes:
            if isinstance(c, FlagChange) and c.value and c.flag in u.conditions:
                u.available_from = max(u.available_from, c.period)  # usable once the flag holds
        stop = leaving.get(u.id)
        if stop is not None and stop > u.available_from:
            # It served while the flags held; now its availability ends where it leaves.
            u.available_to = min(u.available_to, stop - 1)
            dropped = {c.flag for c in changes if isinstance(c, FlagChange) and not c.value}
            u.conditions = [x for x in u.conditions if x not in dropped]
        elif stop is not None and any(c.hits(u) if isinstance(c, Withdraw) else c.hits(u, verified)
                                      for c in withdrawals):
            continue  # withdrawn before it was ever available
        if u.available_from <= u.available_to:
            kept_units.append(u)
    decision = max(problem.horizon.decision, min(first, n - 1))
    warned = {t.unit for t in base}
    for u in kept_units:
        if u.notice and u.id in warned:
            u.notice = max(0, problem.horizon.decision + u.notice - decision)
    tasks = [t.model_copy(deep=True) for t in problem.tasks]
    for c in changes:
        if isinstance(c, Surge):
            task = next(t for t in tasks if t.id == c.task)
            demand = problem.demand_of(task)
            for p in range(c.start, min(c.end, n - 1) + 1):
                demand[p] = max(0, demand[p] + c.extra)
            task.demand = demand
    kept_ids = {u.id for u in kept_units}
    under_way = [t for t in base if t.start < first]
    frozen: dict[tuple[str, str, int, int], Tour] = {}
    for t in _cut([*problem.frozen, *under_way], leaving):
        if t.unit in kept_ids:
            frozen.setdefault(t.key(), t)
    horizon = problem.horizon.model_copy(update={"decision": decision})
    return problem.model_copy(
        update={"flags": flags, "units": kept_units, "tasks": tasks, "frozen": sorted(frozen.values(), key=_order),
                "horizon": horizon}
    )


def _order(t: Tour) -> tuple[str, int, str]:
    return (t.unit, t.start, t.task)


class Comparison(BaseModel):
    """Side-by-side figures of a base plan and a re-plan."""

    model_config = ConfigDict(extra="forbid")

    change_period: int
    base_coverage: float
    new_coverage: float
    base_tours: int
    new_tours: int
    base_gaps: int
    new_gaps: int
    base_missing: int  # unit-periods short
    new_missing: int
    kept: int
    changed: int
    added: int
    removed: int


def compare(base: Plan, new: Plan, change_at: int = 0) -> Comparison:
    """Compare two plans: coverage, gaps, and tours kept, changed (same unit and task), added, removed."""
    base_keys = {t.key() for t in base.tours}
    new_keys = {t.key() for t in new.tours}
    rest_base = [t for t in base.tours if t.key() not in new_keys]
    rest_new = [t for t in new.tours if t.key() not in base_keys]
    changed = 0
    for b in rest_base:
        match = next(
            (a for a in rest_new if a.unit == b.unit and a.task == b.task and a.start <= b.end and b.start <= a.end),
            None,
        )
        if match is not None:
            rest_new.remove(match)
            changed += 1
    return Comparison(
        change_period=change_at,
        base_coverage=base.coverage,
        new_coverage=new.coverage,
        base_tours=base.tours_count,
        new_tours=new.tours_count,
        base_gaps=len(base.gaps),
        new_gaps=len(new.gaps),
        base_missing=sum(g.missing * len(g.periods) for g in base.gaps),
        new_missing=sum(g.missing * len(g.periods) for g in new.gaps),
        kept=len(base_keys & new_keys),
        changed=changed,
        added=len(rest_new),
        removed=len(rest_base) - changed,
    )


class WhatIf(BaseModel):
    """A re-plan: the changed problem, the new plan and its comparison with the base plan."""

    model_config = ConfigDict(extra="forbid")

    problem: Problem
    plan: Plan
    comparison: Comparison


def replan(
    problem: Problem,
    base: Plan,
    changes: Sequence[Change],
    *,
    time_limit: float = 10.0,
    seed: int = 0,
    workers: int | None = None,
    callback: ProgressCallback | None = None,
    cancel: CancelToken | None = None,
    runner: PartRunner | None = None,
) -> WhatIf:
    """Re-plan after the changes, keeping tours under way and as many later tours as coverage allows."""
    changed = apply_changes(problem, base.tours, changes)
    first = change_period(changes)
    frozen = {t.key() for t in changed.frozen}
    reference = [t for t in base.tours if t.start >= first and t.key() not in frozen]
    plan = solve(changed, time_limit=time_limit, seed=seed, workers=workers, callback=callback, reference=reference,
                 cancel=cancel, runner=runner)
    return WhatIf(problem=changed, plan=plan, comparison=compare(base, plan, first))

"""Scenario sweeps (docs/sweeps.md, docs/adr/0053): many what-ifs of one base problem, each an independent solve.

A sweep names its variants in a few lines (every single contributing nation withdraws, pairs of the largest
contributors, flags, demand surges, robustness draws); `expand` turns them into the what-if changes of whatif.py,
and `run_variant` solves one of them from plain JSON to plain JSON, so that it can run anywhere (a Dask worker, or
this process) with no database. The base is solved first; every variant is a re-plan of it (`replan`: tours under
way before the change period are kept), and a robustness draw is the base problem with the units that failed to
materialise in that draw removed, solved again.
"""

from __future__ import annotations

import itertools
import time
from typing import Annotated, Any, Literal

import numpy as np
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StrictFloat,
    StrictInt,
    StrictStr,
    StringConstraints,
    model_validator,
)

from reassure.core.bounds import MAX_INTEGER
from reassure.core.nations import nation_label
from reassure.planner.analysis.asks import find_asks
from reassure.planner.analysis.whatif import Change, FlagChange, Surge, Withdraw, compare, replan
from reassure.planner.instance import Plan, Problem
from reassure.planner.period_labels import span_label
from reassure.planner.solver.runtime import in_process
from reassure.planner.solver.solve import solve

# A sweep's name and flag names are shown on pages and in listings: words, never markup (no <, quote, ; or =).
SweepName = Annotated[str, StringConstraints(strict=True, min_length=1, max_length=120,
                                             pattern=r"^[\w][\w .,:()+-]*$")]
FlagName = Annotated[str, StringConstraints(strict=True, max_length=80, pattern=r"^[A-Za-z_][A-Za-z0-9_]*$")]
MAX_VARIANTS = 500  # one sweep's runs at most (a conference's "thousands" are several sweeps)
BASE = "base"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class PairsOfLargest(_Strict):
    """Every pair among the N largest contributors (by pledged personnel) withdraws together."""

    pairs_of_largest: StrictInt = Field(alias="pairs-of-largest", ge=2, le=20)


WithdrawalItem = Literal["each"] | PairsOfLargest | list[StrictStr]


class SurgeSpec(_Strict):
    """A task's demand multiplied by `factor` (or raised by `extra` units) in periods `from` … `to`."""

    task: StrictStr
    factor: StrictFloat | StrictInt | None = Field(default=None, gt=0, le=100)
    extra: StrictInt | None = Field(default=None, ge=-100_000, le=100_000)
    start: StrictInt = Field(default=0, alias="from", ge=0, le=MAX_INTEGER)
    end: StrictInt | None = Field(default=None, alias="to", ge=0, le=MAX_INTEGER)

    @model_validator(mode="after")
    def _one_size(self) -> SurgeSpec:
        if (self.factor is None) == (self.extra is None):
            raise ValueError("a surge gives a factor (e.g. 1.5) or an extra number of units (e.g. 1), one of them")
        if self.end is not None and self.end < self.start:
            raise ValueError(f"a surge's periods run backwards ({self.start} to {self.end})")
        return self


class DrawSpec(_Strict):
    """Robustness draws: `count` solves of the base problem without the units that fail to materialise."""

    count: StrictInt = Field(ge=1, le=MAX_VARIANTS)
    seed: StrictInt = Field(default=1, ge=0, le=2**31 - 1)


class Variants(_Strict):
    """What the sweep varies; each entry gives one or more variants."""

    withdrawals: WithdrawalItem | list[WithdrawalItem] | None = None
    flags: dict[FlagName, bool] | list[dict[FlagName, bool]] | None = None
    surges: list[SurgeSpec] | None = None
    draws: StrictInt | DrawSpec | None = None


class AsksSpec(_Strict):
    """Compute each variant's force-generation asks to reach `target` coverage (costly: rounds × the solve time)."""

    target: StrictFloat | StrictInt = Field(gt=0, le=1)
    rounds: StrictInt = Field(default=2, ge=1, le=10)


class SweepSpec(_Strict):
    """A sweep file (docs/sweeps.md)."""

    name: SweepName
    scenario: StrictStr = Field(min_length=1, max_length=80)
    seconds: StrictFloat | StrictInt = Field(ge=0.1, le=600, description="solve time of each run")
    seed: StrictInt = Field(default=1, ge=0, le=2**31 - 1)
    period: StrictInt = Field(default=0, ge=0, le=MAX_INTEGER, description="withdrawals and flags take effect here")
    variants: Variants
    asks: AsksSpec | None = None


class Variant(BaseModel):
    """One run of a sweep: its key (stable, plain), its label for people and its changes (or a draw's seed)."""

    model_config = ConfigDict(extra="forbid")

    key: str
    label: str
    changes: list[Change] = []
    draw: int | None = None


def contributors(problem: Problem) -> list[str]:
    """Return the nations with at least one unit, largest pledged personnel first (ties by code)."""
    personnel: dict[str, int] = {}
    for u in problem.units:
        personnel[u.nation] = personnel.get(u.nation, 0) + u.personnel
    return sorted(personnel, key=lambda n: (-personnel[n], n))


def _names(nations: list[str]) -> str:
    labels = [nation_label(n) for n in nations]
    return labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " and " + labels[-1]


def _withdrawals(spec: SweepSpec, problem: Problem) -> list[Variant]:
    given = spec.variants.withdrawals
    if given is None:
        return []
    # One item, or one explicit list of nations, is a list of one item.
    one = not isinstance(given, list) or all(isinstance(i, str) and i != "each" for i in given)
    items: list[Any] = [given] if one else list(given)
    groups: list[list[str]] = []
    for item in items:
        if item == "each":
            groups += [[n] for n in sorted(contributors(problem))]
        elif isinstance(item, PairsOfLargest):
            groups += [list(p) for p in itertools.combinations(contributors(problem)[:item.pairs_of_largest], 2)]
        elif isinstance(item, list):
            known = {n.code for n in problem.nations}
            unknown = [n for n in item if n.upper() not in known]
            if unknown:
                raise ValueError(f"withdrawals name {', '.join(unknown)}, not a nation of the scenario's problem "
                                 "(as you see it)")
            groups.append([n.upper() for n in item])
    out, seen = [], set()
    for group in groups:
        key = "without-" + "-".join(group)
        if key in seen or not group:
            continue
        seen.add(key)
        out.append(Variant(key=key, label=f"without {_names(group)}",
                           changes=[Withdraw(nation=n, period=spec.period) for n in group]))
    return out


def _flags(spec: SweepSpec) -> list[Variant]:
    sets = spec.variants.flags
    if sets is None:
        return []
    out = []
    for flags in sets if isinstance(sets, list) else [sets]:
        if not flags:
            continue
        words = ", ".join(f"{k} {'on' if v else 'off'}" for k, v in sorted(flags.items()))
        out.append(Variant(key="flags-" + "-".join(f"{k}={str(v).lower()}" for k, v in sorted(flags.items())),
                           label=words, changes=[FlagChange(flag=k, value=v, period=spec.period)
                                                 for k, v in sorted(flags.items())]))
    return out


def surge_changes(problem: Problem, s: SurgeSpec) -> list[Surge]:
    """Return the what-if surges of one surge entry: a factor becomes, per period, the units it adds (rounded half
    up), one Surge per run of periods adding the same number."""
    task = next((t for t in problem.tasks if t.id == s.task), None)
    if task is None:
        raise ValueError(f"surge names task {s.task!r}, which the scenario's problem does not have")
    last = problem.horizon.periods - 1
    end = last if s.end is None else min(s.end, last)
    if s.start > last:
        raise ValueError(f"surge starts in period {s.start}, after the horizon's last ({last})")
    demand = problem.demand_of(task)
    extras = [s.extra if s.extra is not None else int(demand[p] * (s.factor or 1) + 0.5) - demand[p]
              for p in range(s.start, end + 1)]
    out: list[Surge] = []
    for (value, run) in itertools.groupby(enumerate(extras, s.start), key=lambda pe: pe[1]):
        periods = [p for p, _ in run]
        if value:
            out.append(Surge(task=s.task, start=periods[0], end=periods[-1], extra=value))
    return out


def _surges(spec: SweepSpec, problem: Problem) -> list[Variant]:
    out = []
    for s in spec.variants.surges or []:
        size = f"×{s.factor:g}" if s.factor is not None else f"{s.extra:+d}"
        last = problem.horizon.periods - 1
        when = span_label(problem.horizon, min(s.start, last), min(last, s.end if s.end is not None else last))
        changes = surge_changes(problem, s)
        if not changes:
            raise ValueError(f"surge of {s.task} {size} changes no period's demand (the demand is zero there, or "
                             "the factor rounds to it)")
        out.append(Variant(key=f"surge-{s.task}-{size}-{s.start}-{s.end if s.end is not None else last}",
                           label=f"{s.task} demand {size} ({when})", changes=list(changes)))
    return out


def _draws(spec: SweepSpec) -> list[Variant]:
    draws = spec.variants.draws
    if draws is None:
        return []
    d = draws if isinstance(draws, DrawSpec) else DrawSpec(count=draws)
    return [Variant(key=f"draw-{d.seed + i}", label=f"robustness draw {i + 1} (seed {d.seed + i})", draw=d.seed + i)
            for i in range(d.count)]


def expand(spec: SweepSpec, problem: Problem) -> list[Variant]:
    """Return the sweep's variants on this problem (a ValueError names what the problem cannot take)."""
    variants = [*_withdrawals(spec, problem), *_flags(spec), *_surges(spec, problem), *_draws(spec)]
    if not variants:
        raise ValueError("the sweep has no variant (every entry of `variants` is empty)")
    if len(variants) > MAX_VARIANTS:
        raise ValueError(f"the sweep has {len(variants)} variants; at most {MAX_VARIANTS} per sweep")
    if spec.period >= problem.horizon.periods:
        raise ValueError(f"period {spec.period} is past the horizon's last ({problem.horizon.periods - 1})")
    return variants


def drawn(problem: Problem, seed: int) -> Problem:
    """Return the problem without the units that fail to materialise in one draw: as in the robustness analysis,
    each nation stays with `nations[].probability` and each unit materialises with `units[].probability`."""
    rng = np.random.default_rng(seed)
    nations = {n.code: bool(rng.random() < n.probability) for n in sorted(problem.nations, key=lambda n: n.code)}
    kept = [u for u in problem.units if bool(rng.random() < u.probability) and nations.get(u.nation, True)]
    ids = {u.id for u in kept}
    return problem.model_copy(update={"units": kept, "frozen": [t for t in problem.frozen if t.unit in ids]})


def task_of(variant: Variant, problem: dict[str, Any], spec: SweepSpec) -> dict[str, Any]:
    """Return one run as plain JSON (what a worker receives)."""
    return {"key": variant.key, "problem": problem, "changes": [c.model_dump(mode="json") for c in variant.changes],
            "draw": variant.draw, "seconds": float(spec.seconds), "seed": spec.seed,
            "asks": None if spec.asks is None else {"target": float(spec.asks.target), "rounds": spec.asks.rounds}}


def run_variant(task: dict[str, Any], base: dict[str, Any] | None = None) -> dict[str, Any]:
    """Solve one run from plain JSON to plain JSON (no database): the base when `base` is None, else a variant
    re-planned from the base's result. One solver thread: the parallelism is the cluster's."""
    began, cpu = time.perf_counter(), time.process_time()
    problem = Problem.model_validate(task["problem"])
    changes = [_change(c) for c in task["changes"]]
    reference = None if base is None else Plan.model_validate(base["plan"])
    if task["draw"] is not None:
        problem = drawn(problem, task["draw"])
    if changes and reference is not None:
        result = replan(problem, reference, changes, time_limit=task["seconds"], seed=task["seed"], workers=1,
                        runner=in_process)
        problem, plan = result.problem, result.plan
    else:
        plan = solve(problem, time_limit=task["seconds"], seed=task["seed"], workers=1, runner=in_process)
    if task["asks"] is not None and plan.coverage < task["asks"]["target"]:
        plan, asks = find_asks(problem, task["asks"]["target"], base=plan, solve_seconds=task["seconds"],
                               max_rounds=task["asks"]["rounds"], seed=task["seed"], runner=in_process)
        plan = plan.model_copy(update={"asks": asks})
    comparison = None if reference is None else compare(reference, plan).model_dump(mode="json")
    return {"key": task["key"], "problem": problem.model_dump(mode="json", exclude_unset=True),
            "plan": plan.model_dump(mode="json"), "comparison": comparison,
            "wall_seconds": time.perf_counter() - began, "cpu_seconds": time.process_time() - cpu}


def _change(data: dict[str, Any]) -> Change:
    kinds: dict[str, type[Change]] = {"withdraw": Withdraw, "flag": FlagChange, "surge": Surge}
    return kinds[data["kind"]].model_validate(data)


def nothing(_: Any = None) -> None:
    """An empty task (the benchmark's measure of a cluster's per-task overhead)."""
    return None

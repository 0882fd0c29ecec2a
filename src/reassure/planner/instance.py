"""Planner problem and plan models (DESIGN §3), exactly as other tools read and write them."""

from __future__ import annotations

import json
from collections import Counter
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from reassure.core.bounds import boolean_problem, number_problem
from reassure.core.phases import overlaps

Location = Literal["inside", "adjacent", "sea", "air"]
Component = Literal["multinational", "bilateral"]
PeriodKind = Literal["month", "week"]
PlanStatus = Literal["optimal", "feasible", "infeasible", "timeout_no_solution"]
UKRAINE = "UKR"
# Most periods in a horizon, a tour or a dwell: ten years of weeks, as in scenario files (a larger tour or dwell
# means nothing in a horizon this long, and the solver's memory grows with it).
MAX_PERIODS = 520


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")

    @model_validator(mode="before")
    @classmethod
    def _numbers(cls, data: Any) -> Any:
        """Refuse true/false where a number is expected (pydantic would read `"probability": true` as 1), and a
        number outside the supported range (core/bounds.py: a whole number fits PostgreSQL's `integer`), which
        the solver cannot take."""
        if isinstance(data, dict):
            annotations = _number_fields(cls)
            for key, value in data.items():
                if key not in annotations:
                    continue
                if why := boolean_problem(annotations[key], value):
                    raise ValueError(f"{key}: {why}")
                for item in value if isinstance(value, list) else [value]:
                    if isinstance(item, int | float) and (why := number_problem(item)):
                        raise ValueError(f"{key}: {why}")
        return data


@cache
def _number_fields(model: type[BaseModel]) -> dict[str, Any]:
    """Return the annotations of a model's fields that take numbers and no boolean (by name and alias)."""
    out = {}
    for name, field in model.model_fields.items():
        if boolean_problem(field.annotation, True) is not None:
            out[name] = field.annotation
            if field.alias:
                out[field.alias] = field.annotation
    return out


class Horizon(_Strict):
    """Planning horizon: `periods` steps of one `period` from `start`."""

    start: date
    period: PeriodKind
    periods: int = Field(ge=1, le=MAX_PERIODS)
    # Optional (issue 23): the period in which the deployment is decided; units' notice runs from it.
    decision: int = Field(default=0, ge=0)


class NationEntry(_Strict):
    """A contributing nation with its optional personnel cap and fair share."""

    code: str = Field(min_length=1)
    max_personnel: int | None = Field(default=None, ge=0)
    fair_share: float | None = Field(default=None, ge=0, le=1)
    # Optional (docs/adr/0023): the chance the nation's government keeps its units for the whole horizon; the
    # robustness analysis withdraws all of them at once with 1 - probability. Default 1.
    probability: float = Field(default=1.0, ge=0, le=1)


class LegalInstrument(_Strict):
    """A SOFA, MoU or ROE profile between a nation and a host, in force from a period."""

    nation: str
    host: str
    kind: str
    in_force_from: int = Field(ge=0)
    # Optional (issue 23): the last period it is in force (None: open-ended), and the probability that an
    # instrument still under negotiation comes into force (1: signed). The planner plans as if it comes into
    # force; robustness analysis samples it (`uncertain_instruments`).
    in_force_to: int | None = Field(default=None, ge=0)
    probability: float = Field(default=1.0, ge=0, le=1)


class Task(_Strict):
    """A requirement: demand of one capability at one location, per period."""

    id: str = Field(min_length=1)
    capability: str
    location: Location
    demand: list[int] | int
    priority: int = Field(ge=0)
    requires_legal: list[str]
    nations: list[str] | None = None
    # Optional (issue 23), see docs/user-guide.md "Planner rules": component kind and its nations, lead
    # nation, and the headquarters task that commands this one.
    component: Component | None = None
    partners: list[str] | None = None
    min_nations: int | None = Field(default=None, ge=1)
    max_share: float | None = Field(default=None, gt=0, le=1)
    lead: str | None = None
    parent: str | None = None


class Unit(_Strict):
    """A pledged unit with its availability, rotation policy, caveats and conditions."""

    id: str = Field(min_length=1)
    nation: str
    capability: str
    personnel: int = Field(ge=0)
    available_from: int = Field(ge=0)
    available_to: int = Field(ge=0)
    max_tour: int = Field(ge=1, le=MAX_PERIODS)
    min_dwell: int = Field(ge=0, le=MAX_PERIODS)
    locations: list[Location]
    exclude_tasks: list[str] = Field(default_factory=list)
    conditions: list[str] = Field(default_factory=list)
    probability: float = Field(default=1.0, ge=0, le=1)
    # Optional (docs/user-guide.md, docs/adr/0023): the pledge the unit comes from and its place in it (the unit
    # exists when the pledge delivers at least `slot` units), so robustness can sample the pledge's size.
    pledge: str | None = Field(default=None, min_length=1)
    slot: int | None = Field(default=None, ge=1)
    # Optional (issue 23): notice to move, in periods from horizon.decision before its first tour.
    notice: int = Field(default=0, ge=0)


class PledgeEstimate(_Strict):
    """Optional (docs/adr/0023): how many units a pledge was planned on, and why, with the range robustness samples.

    `basis` is `stated` (an exact figure), `at_least` (a lower bound, planned on the bound), `range` (planned on the
    best estimate, else the midpoint rounded down) or `prior` (size undisclosed: a planning assumption from the prior
    table per capability and nation size). `low`..`high` is the range sampled (equal to `planned` when stated).
    """

    id: str = Field(min_length=1)
    basis: Literal["stated", "at_least", "range", "prior"]
    planned: int = Field(ge=0)
    low: int = Field(ge=0)
    high: int = Field(ge=0)
    mode: int | None = Field(default=None, ge=0)  # the most likely size when the source or prior gives one
    note: str = ""
    # Optional (docs/adr/0042): how many of the planned units the pledge's newest verification stands for (all when
    # verified, those found when short, 0 when not verified); absent when it has none. A `verified_only` what-if
    # keeps only these units.
    verified: int | None = Field(default=None, ge=0)

    @model_validator(mode="after")
    def _ordered(self) -> PledgeEstimate:
        if not self.low <= self.planned <= self.high:
            raise ValueError(f"planned {self.planned} lies outside {self.low}-{self.high}")
        return self


class Tour(_Strict):
    """One unit on one task for the consecutive periods start … end (inclusive)."""

    unit: str
    task: str
    start: int
    end: int

    def key(self) -> tuple[str, str, int, int]:
        """Return the tour as a hashable tuple."""
        return (self.unit, self.task, self.start, self.end)

    def periods(self) -> range:
        """Return the periods the tour covers."""
        return range(self.start, self.end + 1)


class Phase(_Strict):
    """Optional (issue 26, docs/adr/0044): a phase of the mission over periods start … end, for display.

    The phase's demand is already in `tasks[].demand` (phases resolve to per-period demand when the problem is
    built, core/phases.py), so every solver reads the problem as before. `handover` lists the tasks passed to
    Ukrainian forces in the phase; `entry` is its entry condition in words and `rule` the monitor rule that checks it.
    """

    key: str = Field(min_length=1, max_length=80)
    name: str = Field(min_length=1, max_length=200)
    start: int = Field(ge=0)
    end: int = Field(ge=0)
    entry: str = Field(default="", max_length=2000)
    rule: str | None = Field(default=None, min_length=1, max_length=120)
    handover: list[str] = Field(default_factory=list)


class Problem(_Strict):
    """A rotation-planning problem (DESIGN §3)."""

    horizon: Horizon
    flags: dict[str, bool]
    nations: list[NationEntry]
    legal: list[LegalInstrument]
    tasks: list[Task]
    units: list[Unit]
    frozen: list[Tour] = Field(default_factory=list)
    pledges: list[PledgeEstimate] = Field(default_factory=list)  # optional (docs/adr/0023)
    phases: list[Phase] = Field(default_factory=list)  # optional (docs/adr/0044): for display, demand is resolved

    @model_validator(mode="after")
    def _check_references(self) -> Problem:
        errors = _reference_errors(self)
        if errors:
            raise ValueError("; ".join(errors))
        return self

    def demand_of(self, task: Task) -> list[int]:
        """Return a task's demand as one integer per period."""
        if isinstance(task.demand, int):
            return [task.demand] * self.horizon.periods
        return list(task.demand)


def _duplicates(values: list[str]) -> list[str]:
    return sorted(v for v, n in Counter(values).items() if n > 1)


def _reference_errors(p: Problem) -> list[str]:
    """List cross-field errors, each prefixed with the field's location."""
    errs: list[str] = []
    n = p.horizon.periods
    for label, ids in (
        ("nations", [x.code for x in p.nations]),
        ("tasks", [t.id for t in p.tasks]),
        ("units", [u.id for u in p.units]),
        ("pledges", [e.id for e in p.pledges]),
        ("phases", [x.key for x in p.phases]),
    ):
        for dup in _duplicates(ids):
            errs.append(f"{label}: duplicate id {dup!r}")
    codes = {x.code for x in p.nations}
    task_ids = {t.id for t in p.tasks}
    unit_ids = {u.id for u in p.units}
    for i, t in enumerate(p.tasks):
        if isinstance(t.demand, int):
            if t.demand < 0:
                errs.append(f"tasks.{i}.demand: must be >= 0")
        else:
            if len(t.demand) != n:
                errs.append(f"tasks.{i}.demand: has {len(t.demand)} entries, horizon has {n} periods")
            if any(d < 0 for d in t.demand):
                errs.append(f"tasks.{i}.demand: entries must be >= 0")
    for i, u in enumerate(p.units):
        if u.nation not in codes:
            errs.append(f"units.{i}.nation: {u.nation!r} is not listed in nations")
        if u.available_to < u.available_from:
            errs.append(f"units.{i}.available_to: {u.available_to} is before available_from {u.available_from}")
        if (u.pledge is None) != (u.slot is None):
            errs.append(f"units.{i}: pledge and slot go together (give both or neither)")
    errs += _rule_key_errors(p, codes, task_ids)
    errs += _phase_errors(p, task_ids)
    for i, f in enumerate(p.frozen):
        if f.unit not in unit_ids:
            errs.append(f"frozen.{i}.unit: unknown unit {f.unit!r}")
        if f.task not in task_ids:
            errs.append(f"frozen.{i}.task: unknown task {f.task!r}")
        if not 0 <= f.start <= f.end < n:
            errs.append(f"frozen.{i}: periods {f.start}..{f.end} not inside 0..{n - 1}")
    return errs


def _rule_key_errors(p: Problem, codes: set[str], task_ids: set[str]) -> list[str]:
    """Check the optional planner-rule keys of issue 23 (components, lead, parent, legal dates)."""
    errs: list[str] = []
    n = p.horizon.periods
    if p.horizon.decision >= n:
        errs.append(f"horizon.decision: {p.horizon.decision} is not inside 0..{n - 1}")
    for i, t in enumerate(p.tasks):
        where = f"tasks.{i}"
        if t.component == "bilateral":
            if not t.partners:
                errs.append(f"{where}.partners: a bilateral task names its partner nations")
            if t.min_nations is not None or t.max_share is not None:
                errs.append(f"{where}: min_nations and max_share apply to multinational tasks, not bilateral ones")
        elif t.partners is not None:
            errs.append(f"{where}.partners: only a bilateral task (component \"bilateral\") has partners")
        if t.component != "multinational" and (t.min_nations is not None or t.max_share is not None):
            errs.append(f"{where}: min_nations and max_share need component \"multinational\"")
        for code in t.partners or []:
            if code not in codes:
                errs.append(f"{where}.partners: {code!r} is not listed in nations")
        if t.lead is not None and t.lead not in codes:
            errs.append(f"{where}.lead: {t.lead!r} is not listed in nations")
        if t.lead is not None and t.partners and t.lead not in t.partners:
            errs.append(f"{where}.lead: {t.lead!r} is not one of the task's partners")
        if t.lead is not None and t.nations is not None and t.lead not in t.nations:
            errs.append(f"{where}.lead: {t.lead!r} is not allowed by the task's nations")
        if t.parent is not None:
            if t.parent == t.id:
                errs.append(f"{where}.parent: a task cannot command itself")
            elif t.parent not in task_ids:
                errs.append(f"{where}.parent: unknown task {t.parent!r}")
    parent_of = {t.id: t.parent for t in p.tasks if t.parent is not None}
    for i, t in enumerate(p.tasks):
        seen = {t.id}
        up = parent_of.get(t.id)
        while up is not None and up in parent_of:
            if up in seen:
                errs.append(f"tasks.{i}.parent: the command chain from {t.id!r} loops back to {up!r}")
                break
            seen.add(up)
            up = parent_of.get(up)
    for i, inst in enumerate(p.legal):
        if inst.in_force_to is not None and inst.in_force_to < inst.in_force_from:
            errs.append(f"legal.{i}.in_force_to: {inst.in_force_to} is before in_force_from {inst.in_force_from}")
    return errs


def _phase_errors(p: Problem, task_ids: set[str]) -> list[str]:
    """Check the optional phases (docs/adr/0044): inside the horizon, in order, not overlapping, known tasks."""
    errs: list[str] = []
    n = p.horizon.periods
    for i, phase in enumerate(p.phases):
        if not phase.start <= phase.end < n:
            errs.append(f"phases.{i}: periods {phase.start}..{phase.end} not inside 0..{n - 1}")
        for task in phase.handover:
            if task not in task_ids:
                errs.append(f"phases.{i}.handover: unknown task {task!r}")
    errs += [f"phases: {why}" for why in overlaps([(x.key, x.start, x.end) for x in p.phases])]
    return errs


def uncertain_instruments(problem: Problem) -> list[tuple[int, LegalInstrument]]:
    """Return (index, instrument) of the legal instruments whose coming into force is uncertain (probability < 1).

    The planner plans as if they come into force; robustness analysis samples each one, and a sample in which
    one does not come into force drops it from `legal`.
    """
    return [(i, x) for i, x in enumerate(problem.legal) if x.probability < 1]


class Gap(_Strict):
    """Consecutive periods where a task is short by the same number of units."""

    task: str
    periods: list[int]
    missing: int
    reason: str


class AskSpan(_Strict):
    """Consecutive periods of one task: where an ask's units serve, or a gap of the base plan they close."""

    task: str
    periods: list[int]
    units: int = Field(ge=1)


class Ask(_Strict):
    """Additional units of one capability asked of one nation from one period (optional key `asks`, docs/adr/0024).

    `units` are the units added to the problem to verify the asks (ids `ASK-…`): planning assumptions, not pledges.
    """

    nation: str
    capability: str
    start: int = Field(ge=0)
    count: int = Field(ge=1)
    personnel: int = Field(ge=0)  # per unit
    template: str  # where the units' size and rotation policy come from
    units: list[Unit]
    serves: list[AskSpan]  # the asked units' tours in the verified plan
    closes: list[AskSpan]  # of those, the (task, periods) the base plan left short
    adds: float  # coverage lost if these units were taken out of the verified plan again
    fair_share: float | None = None
    pledged_share: float | None = None  # the nation's share of pledged personnel-months before the asks
    above_fair_share: bool = False  # with the asks counted


class Asks(_Strict):
    """Force-generation asks that lift a plan to a target coverage, verified by re-solving with the units added."""

    target: float = Field(ge=0, le=1)
    fair_shares: Literal["strict", "prefer", "ignore"]
    base_coverage: float
    coverage: float  # of the verified plan: the problem with the asked units
    covered_weight: int
    demand_weight: int
    bound: float  # the re-solve's proven bound with the asked units
    reached: bool
    short_by: float  # target − coverage when not reached, else 0
    units_asked: int
    rounds: int
    seconds: float
    tours: list[Tour]  # the verified plan's tours (the problem's units and the asked ones)
    asks: list[Ask]
    note: str = ""


class Plan(_Strict):
    """A solved rotation schedule with its score (DESIGN §3)."""

    status: PlanStatus
    tours: list[Tour]
    coverage: float
    covered_weight: int
    demand_weight: int
    tours_count: int
    bound: float
    gaps: list[Gap]
    solve_seconds: float
    # Optional key (docs/adr/0024), written only when present: readers of DESIGN §3 plans see the keys they know.
    asks: Asks | None = Field(default=None, exclude_if=lambda value: value is None)
    # Optional (issue 23): "optimiser", or "greedy" / "fill" when the better simple plan was returned unbeaten.
    origin: Literal["optimiser", "greedy", "fill"] | None = None


def load_problem(path: str | Path) -> Problem:
    """Read and validate a problem JSON file (raises pydantic.ValidationError)."""
    return Problem.model_validate_json(Path(path).read_text(encoding="utf-8"))


def load_plan(path: str | Path) -> Plan:
    """Read and validate a plan JSON file (raises pydantic.ValidationError)."""
    return Plan.model_validate_json(Path(path).read_text(encoding="utf-8"))


def dump_json(model: BaseModel) -> str:
    """Serialise a problem or plan as indented JSON. A problem without phases is written without the key, as before
    phases existed (an optional key, docs/adr/0044: files other tools read stay as they were)."""
    data = model.model_dump(mode="json")
    if isinstance(model, Problem) and not model.phases:
        data.pop("phases", None)
    return json.dumps(data, indent=2) + "\n"

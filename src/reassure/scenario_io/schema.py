"""The scenario file format (reassure-scenario/1): every section, every field, nothing unknown allowed."""

from __future__ import annotations

from datetime import date
from typing import Any, Literal, Self

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator

from reassure.core.bounds import boolean_problem, day_problem, number_problem, text_problem
from reassure.core.capabilities import Domain, Location, domain_of
from reassure.core.grading import Standing
from reassure.core.periods import first_period_from, period_containing
from reassure.core.phases import MAX_FACTOR, overlaps
from reassure.core.quantities import prior_in_order
from reassure.scenario_io.fields import (
    Capability,
    GradeCode,
    Marking,
    NationCode,
    NationList,
    QuantityField,
    StrList,
)

FORMAT: Literal["reassure-scenario/1"] = "reassure-scenario/1"


MAX_TEXT = 20_000  # longest free text (descriptions, statements, notes) in characters
MAX_COUNT = 100_000  # most units, people or demand a single entry may state


def _clean_text(value: object) -> object:
    if isinstance(value, bytes | bytearray):
        raise ValueError("binary data (!!binary) is not accepted: write text")
    if isinstance(value, str):
        if why := text_problem(value):  # a NUL or a lone surrogate: no database stores them
            raise ValueError(why)
        if len(value) > MAX_TEXT:
            raise ValueError(f"is {len(value):,} characters long; at most {MAX_TEXT:,}")
    return value


def _in_range(value: Any) -> Any:
    """Refuse a day or a number outside the supported range (core/bounds.py), also inside a list."""
    for item in value if isinstance(value, list) else [value]:
        why = day_problem(item) if isinstance(item, date) else \
            number_problem(item) if isinstance(item, int | float) else None
        if why:
            raise ValueError(why)
    return value


class Strict(BaseModel):
    """Base of every file section: unknown keys are errors, text has no NUL and a bounded length, days and numbers
    lie within the supported range (core/bounds.py), and true/false is no number.

    Lengths match the database columns, so SQLite and PostgreSQL accept and refuse the same values.
    """

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, allow_inf_nan=False)

    @field_validator("*", mode="before")
    @classmethod
    def _text(cls, value: object) -> object:
        if isinstance(value, list):
            for item in value:
                _clean_text(item)
        return _clean_text(value)

    @field_validator("*", mode="before")
    @classmethod
    def _no_booleans(cls, value: object, info: ValidationInfo) -> object:
        """Refuse true/false where a number is expected (pydantic would read true as 1: `probability: true`)."""
        field = cls.model_fields.get(info.field_name or "")
        if field is not None and (why := boolean_problem(field.annotation, value)):
            raise ValueError(why)
        return value

    @field_validator("*", mode="after")
    @classmethod
    def _range(cls, value: object) -> object:
        return _in_range(value)


class GradedEntry(Strict):
    """Fields every reported fact carries: standing, Admiralty grade, sources; assumptions carry none."""

    standing: Standing = Standing.ASSUMPTION
    grade: GradeCode = None
    sources: StrList = Field(default_factory=list)
    marking: Marking | None = None

    @model_validator(mode="after")
    def _reported_facts_are_sourced(self) -> Self:
        if self.standing is Standing.ASSUMPTION:
            if self.grade is not None:
                raise ValueError("a planning assumption has no Admiralty grade (grade must be empty)")
        else:
            if self.grade is None:
                raise ValueError(f"a {self.standing.value} claim needs an Admiralty grade such as B2")
            if not self.sources:
                raise ValueError(f"a {self.standing.value} claim needs at least one source")
        return self


class Horizon(Strict):
    """Planning horizon: periods 0..periods-1 from start in steps of period."""

    start: date
    period: Literal["month", "week"] = "month"
    periods: int = Field(gt=0, le=520)


class PriorEntry(Strict):
    """A planning assumption for pledges of undisclosed size (docs/adr/0023): a nation of this size is assumed to
    send `value` units of this capability (robustness samples `low` … `high`); replaces the bundled row."""

    capability: Capability
    size: Literal["small", "medium", "large"]
    low: int = Field(ge=1, le=1000)
    value: int = Field(ge=1, le=1000)
    high: int = Field(ge=1, le=1000)

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        prior_in_order(self.low, self.value, self.high)
        return self


class ScenarioHeader(Strict):
    """The scenario itself."""

    name: str = Field(pattern=r"^[a-z0-9][a-z0-9_.-]{0,79}$")
    title: str = Field(max_length=200)
    description: str = ""
    standing: Standing = Standing.ASSUMPTION
    horizon: Horizon
    flags: dict[str, bool] = Field(default_factory=dict)
    # The day a ceasefire is in force from (optional; docs/adr/0019): only incidents from that day on count as
    # violations in indicators and rules; without it, rules over violations say that none can be counted.
    ceasefire: date | None = None
    # Planning assumptions for robustness and undisclosed pledges (optional; docs/adr/0023): priors replacing rows
    # of the bundled table, and the chance that any one government withdraws all its units during the horizon.
    priors: list[PriorEntry] = Field(default_factory=list)
    nation_withdrawal: float | None = Field(default=None, ge=0, le=1)
    marking: Marking | None = None

    @model_validator(mode="after")
    def _one_prior_per_row(self) -> Self:
        seen = [(p.capability, p.size) for p in self.priors]
        twice = sorted({f"{c} ({s})" for c, s in seen if seen.count((c, s)) > 1})
        if twice:
            raise ValueError(f"priors: more than one row for {', '.join(twice)}")
        return self


class SourceEntry(Strict):
    """A source: publisher, title, date, locator, and the publisher's reliability (A-F)."""

    id: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.:-]{0,77}$")
    publisher: str = Field(max_length=200)
    title: str = Field(max_length=400)
    published: date | None = None
    locator: str | None = Field(default=None, max_length=600)
    reliability: Literal["A", "B", "C", "D", "E", "F"] = "F"
    notes: str | None = None
    marking: Marking | None = None


class ClaimEntry(GradedEntry):
    """A statement of fact or an assumption, optionally with a quantity."""

    key: str = Field(min_length=1, max_length=120)
    topic: str = Field(min_length=1, max_length=60)
    nation: NationCode | None = None
    statement: str
    reported_on: date | None = None
    quantity: QuantityField | None = None
    unit: str | None = Field(default=None, max_length=40)


class MembershipEntry(Strict):
    """A dated membership of NATO, the EU or the coalition."""

    organisation: Literal["NATO", "EU", "COALITION"]
    role: Literal["member", "contributor", "supporter", "observer"] = "member"
    start: date | None = None
    end: date | None = None
    source: str | None = None

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        if self.start and self.end and self.end < self.start:
            raise ValueError(f"end {self.end} is before start {self.start}")
        return self


class NationEntry(Strict):
    """A nation and its memberships (marked by `marking`, else the file's)."""

    code: NationCode
    marking: Marking | None = None
    memberships: list[MembershipEntry] = Field(default_factory=list)


class FigureEntry(Strict):
    """A reference figure (GDP, population) for a nation and year, with its source."""

    nation: NationCode
    indicator: Literal["gdp_usd", "population", "defence_pct_gdp"]
    year: int = Field(ge=1900, le=2100)
    value: float = Field(ge=0, le=1e16)
    source: str
    marking: Marking | None = None


class Window(Strict):
    """When a pledge is available (inclusive dates)."""

    start: date = Field(alias="from")
    end: date = Field(alias="to")
    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        if self.end < self.start:
            raise ValueError(f"window ends ({self.end}) before it starts ({self.start})")
        return self


class Rotation(Strict):
    """Rotation policy in the scenario's periods: longest tour, shortest dwell between tours."""

    max_tour: int = Field(gt=0, le=520)
    min_dwell: int = Field(ge=0, le=520)


class Caveat(Strict):
    """A national caveat: the text as stated and the tasks or locations it rules out."""

    text: str
    tasks: StrList = Field(default_factory=list)
    locations: list[Location] = Field(default_factory=list)


class StatusStep(Strict):
    """A dated lifecycle step."""

    status: Literal["announced", "offered", "confirmed", "deployed", "withdrawn"]
    date: date


class PledgeEntry(GradedEntry):
    """A nation's pledge of N units of one capability."""

    key: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,79}$")
    nation: NationCode
    capability: Capability
    domain: Domain | None = None
    quantity: QuantityField
    personnel_per_unit: int = Field(ge=0, le=MAX_COUNT)
    where: list[Location] = Field(min_length=1)
    window: Window
    rotation: Rotation
    caveats: list[Caveat] = Field(default_factory=list)
    conditions: StrList = Field(default_factory=list)
    status: Literal["announced", "offered", "confirmed", "deployed", "withdrawn"] = "announced"
    history: list[StatusStep] = Field(default_factory=list)
    probability: float = Field(default=1.0, ge=0, le=1)
    notice: int = Field(default=0, ge=0, le=520)  # notice to move, in the scenario's periods (docs/user-guide.md)
    notes: str = ""
    # Freshness and renewal (optional, docs/adr/0043): when the pledge was last known true, when it lapses, and
    # when (and what) must renew it.
    as_of: date | None = None
    valid_to: date | None = None
    renew_by: date | None = None
    renewal: str = Field(default="", max_length=200)

    @model_validator(mode="after")
    def _domain_follows_capability(self) -> Self:
        expected = domain_of(self.capability)
        if self.domain is None:
            self.domain = expected
        elif self.domain is not expected:
            raise ValueError(f"capability {self.capability} is {expected.value}, not {self.domain.value}")
        return self


class TaskEntry(Strict):
    """A requirement of the mandate."""

    key: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,79}$")
    name: str = Field(max_length=200)
    capability: Capability
    location: Location
    sector: str = Field(default="", max_length=80)
    demand: int | list[int]
    priority: int = Field(ge=1, le=10)
    requires_legal: list[Literal["SOFA", "MoU", "ROE"]] = Field(default_factory=list)
    multinational: bool = True
    nations: NationList | None = None
    lead_nation: NationCode | None = None
    min_nations: int | None = Field(default=None, ge=1, le=100)
    max_share: float | None = Field(default=None, gt=0, le=1)
    command: str | None = Field(default=None, max_length=80)
    legal_prerequisites: str = ""
    marking: Marking | None = None

    @model_validator(mode="after")
    def _component_keys(self) -> Self:
        if not self.multinational and (self.min_nations is not None or self.max_share is not None):
            raise ValueError("min_nations and max_share apply to a multinational task, and this one has "
                             "multinational: false (a bilateral component)")
        if self.lead_nation and self.nations and self.lead_nation not in self.nations:
            raise ValueError(f"lead_nation {self.lead_nation} is not one of the task's nations")
        return self

    @field_validator("demand")
    @classmethod
    def _non_negative(cls, value: int | list[int]) -> int | list[int]:
        values = value if isinstance(value, list) else [value]
        if any(v < 0 for v in values):
            raise ValueError("demand cannot be negative")
        if any(v > MAX_COUNT for v in values):
            raise ValueError(f"demand is at most {MAX_COUNT:,} units per period")
        return value


class CommandEntry(Strict):
    """A node of the command tree."""

    key: str = Field(min_length=1, max_length=80)
    name: str = Field(max_length=200)
    kind: Literal["coalition_hq", "component", "sector", "contingent", "cell"]
    parent: str | None = Field(default=None, max_length=80)
    lead_nation: NationCode | None = None
    relationship: Literal["national_command", "opcon", "tacon", "coordination"] | None = None
    multinational: bool = True
    location: str | None = Field(default=None, max_length=120)
    marking: Marking | None = None


class LegalEntry(GradedEntry):
    """A SOFA, MoU or ROE profile between a nation and a host."""

    key: str = Field(min_length=1, max_length=80)
    nation: NationCode
    host: NationCode = "UKR"
    kind: Literal["SOFA", "MoU", "ROE"]
    status: Literal["proposed", "negotiating", "signed", "in_force", "suspended", "expired"]
    signed_on: date | None = None
    in_force_from: date | None = None
    in_force_to: date | None = None
    # The chance that an instrument still being negotiated comes into force (docs/user-guide.md, planner rules).
    probability: float | None = Field(default=None, ge=0, le=1)
    terms: str = ""
    # Renewal (optional, docs/adr/0043): the day it must be renewed by and what that renewal is.
    renew_by: date | None = None
    renewal: str = Field(default="", max_length=200)

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        if self.in_force_from and self.in_force_to and self.in_force_to < self.in_force_from:
            raise ValueError(f"in_force_to {self.in_force_to} is before in_force_from {self.in_force_from}")
        if self.probability is not None and self.status not in ("proposed", "negotiating"):
            raise ValueError(f"probability is the chance that an instrument under negotiation comes into force; "
                             f"this one is {self.status} (use status proposed or negotiating)")
        return self


class PhaseDemandEntry(Strict):
    """A phase's demand on one task: `factor` × its base demand (rounded up) or a stated number of `units`; with
    `handover: true` the task passes to Ukrainian forces in the phase and `units` (default 0) stay on the coalition."""

    task: str = Field(min_length=1, max_length=80)
    factor: float | None = Field(default=None, ge=0, le=MAX_FACTOR)
    units: int | None = Field(default=None, ge=0, le=MAX_COUNT)
    handover: bool = False

    @model_validator(mode="after")
    def _one_measure(self) -> Self:
        if self.handover and self.factor is not None:
            raise ValueError("a task handed over to Ukrainian forces keeps a stated number of units on the "
                             "coalition (units, default 0), not a factor")
        if self.handover and self.units is None:
            self.units = 0
        if (self.factor is None) == (self.units is None):
            raise ValueError("give either factor (a multiplier of the task's demand) or units (a stated demand)")
        return self


class PhaseEntry(Strict):
    """A phase of the mission (docs/adr/0044): its periods (dates, or period numbers from 0), its demand per task,
    and its entry condition in words, optionally checked by a monitor rule (`rule`: the rule's id)."""

    key: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,79}$")
    name: str = Field(min_length=1, max_length=200)
    start: date | int = Field(alias="from")
    end: date | int = Field(alias="to")
    demand: list[PhaseDemandEntry] = Field(default_factory=list)
    entry: str = Field(default="", max_length=2000)
    rule: str | None = Field(default=None, pattern=r"^[A-Za-z0-9][A-Za-z0-9_.:-]{0,119}$")
    marking: Marking | None = None
    model_config = ConfigDict(extra="forbid", populate_by_name=True, str_strip_whitespace=True, allow_inf_nan=False)

    @field_validator("start", "end")
    @classmethod
    def _period(cls, value: date | int) -> date | int:
        if isinstance(value, int) and not 0 <= value < 520:
            raise ValueError("a period number is 0 (the horizon's first period) up to 519")
        return value

    @model_validator(mode="after")
    def _one_rule_per_task(self) -> Self:
        tasks = [d.task for d in self.demand]
        twice = sorted({t for t in tasks if tasks.count(t) > 1})
        if twice:
            raise ValueError(f"demand: more than one entry for task {', '.join(twice)}")
        if isinstance(self.start, int) != isinstance(self.end, int):
            raise ValueError("give from and to both as dates or both as period numbers")
        if self.end < self.start:  # type: ignore[operator]
            raise ValueError(f"the phase ends ({self.end}) before it starts ({self.start})")
        return self


class ChangeEntry(Strict):
    """A what-if change against the scenario."""

    kind: Literal["withdraw", "flag", "surge"]
    nation: NationCode | None = None
    from_period: int | None = Field(default=None, ge=0)
    to_period: int | None = Field(default=None, ge=0)
    flag: str | None = None
    value: bool | None = None
    task: str | None = Field(default=None, max_length=80)
    extra: int | None = Field(default=None, ge=-MAX_COUNT, le=MAX_COUNT)


class ScenarioDocument(Strict):
    """A whole file: a scenario with its registry, or facts only (sources, claims, nations, figures).

    Markings: every record has one, never PUBLIC by default. A record without its own takes its scenario's
    (for pledges, tasks, command nodes, legal instruments and changes), else the file's `marking`; a record
    with neither is an error. docs/adr/0007.
    """

    format: Literal["reassure-scenario/1"] = FORMAT
    marking: Marking | None = None
    scenario: ScenarioHeader | None = None
    sources: list[SourceEntry] = Field(default_factory=list)
    claims: list[ClaimEntry] = Field(default_factory=list)
    nations: list[NationEntry] = Field(default_factory=list)
    figures: list[FigureEntry] = Field(default_factory=list)
    pledges: list[PledgeEntry] = Field(default_factory=list)
    pledges_table: str | None = None
    tasks: list[TaskEntry] = Field(default_factory=list)
    command: list[CommandEntry] = Field(default_factory=list)
    legal: list[LegalEntry] = Field(default_factory=list)
    changes: list[ChangeEntry] = Field(default_factory=list)
    phases: list[PhaseEntry] = Field(default_factory=list)  # optional (docs/adr/0044)

    @model_validator(mode="after")
    def _phases_fit(self) -> Self:
        """Phases lie inside the scenario's horizon, do not overlap and name tasks of the file (when it has tasks)."""
        if not self.phases:
            return self
        if self.scenario is None:
            raise ValueError("phases belong to a scenario: give the scenario section in the same file")
        horizon = self.scenario.horizon
        spans = []
        for phase in self.phases:
            first, last = phase_periods(phase, horizon)
            if first > last or first >= horizon.periods or last < 0:
                raise ValueError(f"phase {phase.key!r} ({phase.start} to {phase.end}) lies outside the horizon "
                                 f"({horizon.periods} {horizon.period}s from {horizon.start})")
            spans.append((phase.key, first, last))
        problems = overlaps(spans)
        keys = [p.key for p in self.phases]
        problems += [f"phase {k!r} is listed twice" for k in sorted({k for k in keys if keys.count(k) > 1})]
        tasks = {t.key for t in self.tasks}
        if tasks:
            problems += [f"phase {p.key!r} names unknown task {d.task!r}" for p in self.phases for d in p.demand
                         if d.task not in tasks]
        if problems:
            raise ValueError("; ".join(problems))
        return self


def phase_periods(phase: PhaseEntry, horizon: Horizon) -> tuple[int, int]:
    """Return the first and last period of a phase, clipped to the horizon: a date starts at the first whole
    period from it and ends with the period containing it (period numbers are taken as they are)."""
    if isinstance(phase.start, int) and isinstance(phase.end, int):
        return phase.start, min(phase.end, horizon.periods - 1)
    assert isinstance(phase.start, date) and isinstance(phase.end, date)
    first = max(0, first_period_from(horizon.start, horizon.period, phase.start))
    last = min(horizon.periods - 1, period_containing(horizon.start, horizon.period, phase.end))
    return first, last

"""Results of rule evaluation and backtests: typed, JSON-ready, and renderable as tables."""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

import polars as pl
from pydantic import BaseModel, ConfigDict, Field

from reassure.core.coverage import SourceCoverage
from reassure.core.labels import condition_label
from reassure.rules.model import RuleKind

State = Literal["met", "not_met", "unknown"]


def state_of(value: bool | None) -> State:
    """Return the state word of a three-valued result (None: unknown)."""
    return "unknown" if value is None else "met" if value else "not_met"


class PeriodValue(BaseModel):
    """One period of a condition's evidence: the indicator value, the windowed aggregate and its state."""

    period_start: date
    value: float | None
    aggregate: float | None
    holds: bool | None  # None: unknown (the period is not covered, or only partly)
    met: bool | None
    n_incidents: int
    n_reporting: int
    coverage: str = "full"  # full, partial (covered_days of days) or none (no source of the kind covers it)
    covered_days: int | None = None
    days: int | None = None


class ConditionResult(BaseModel):
    """A condition's state at the last complete period before as_of, with the evidence behind it."""

    key: str
    label: str
    indicator: str
    params: dict[str, Any]
    period: str
    window: int
    aggregate: str
    comparator: str
    threshold: float
    release: float | None
    consecutive: int
    last_period: date | None = None
    value: float | None = None
    at_least: float | None = None  # a lower bound of the aggregate when it is not known exactly
    holds: bool | None = None
    streak: int = 0
    met: bool = False  # True only when met; see state
    state: State = "unknown"
    values: list[PeriodValue] = Field(default_factory=list)
    periods_uncovered: int = 0  # periods looked at that no source of the indicator's kind covers
    periods_partial: int = 0  # periods looked at that sources cover on some days only
    coverage: list[SourceCoverage] = Field(default_factory=list)  # sources of the indicator's kind, their days
    incident_ids: list[str] = Field(default_factory=list)
    incidents_considered: int = 0
    sources: dict[str, int] = Field(default_factory=dict)
    grades: dict[str, int] = Field(default_factory=dict)
    note: str | None = None

    @property
    def words(self) -> str:
        """The condition in words for people (the label catalogue), where `label` is its test in the rule's terms."""
        return condition_label(self.indicator, self.params, period=self.period, window=self.window,
                               aggregate=self.aggregate, comparator=self.comparator, threshold=self.threshold,
                               consecutive=self.consecutive)


class Evaluation(BaseModel):
    """A rule's state as of a date: met or not, per-condition results and a one-line summary."""

    rule_id: str
    rule_name: str
    kind: RuleKind
    action: str
    as_of: date
    met: bool  # True only when met; see state
    state: State = "not_met"
    logic: str
    min_grade: str | None
    rows_used: int
    rows_excluded: int
    conditions: list[ConditionResult]
    summary: str
    coverage: list[SourceCoverage] = Field(default_factory=list)  # every source's days, for every kind it reports
    # Markings (as stored) of records other than incidents the result rests on, set by the service that evaluated
    # it: the scenario whose ceasefire date it counted violations from. A stored evaluation is marked no wider.
    rests_on: list[str] = Field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-ready dict."""
        return self.model_dump(mode="json")

    def table(self) -> pl.DataFrame:
        """Return one row per condition: key, test, value, streak, met, incidents, sources."""
        return pl.DataFrame(
            [
                {
                    "condition": c.key,
                    "test": c.label,
                    "last_period": c.last_period,
                    "value": c.value,
                    "streak": c.streak,
                    "needed": c.consecutive,
                    "met": c.met,
                    "state": c.state,
                    "incidents": len(c.incident_ids),
                    "sources": ", ".join(c.sources),
                    "note": c.note or "",
                }
                for c in self.conditions
            ],
            schema={
                "condition": pl.Utf8,
                "test": pl.Utf8,
                "last_period": pl.Date,
                "value": pl.Float64,
                "streak": pl.Int64,
                "needed": pl.Int64,
                "met": pl.Boolean,
                "state": pl.Utf8,
                "incidents": pl.Int64,
                "sources": pl.Utf8,
                "note": pl.Utf8,
            },
        )


class StateChange(BaseModel):
    """A date on which a rule became met (fired) or stopped being met (released), with condition values."""

    at: date
    change: Literal["fired", "released"]
    values: dict[str, float | None]


class Span(BaseModel):
    """A stretch of dates over which a rule was met; `end` is None when still met at the backtest's end."""

    start: date
    end: date | None


class Timeline(BaseModel):
    """A backtest: the rule's state at each evaluation date, its state changes and met spans."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    rule_id: str
    rule_name: str
    kind: RuleKind
    start: date
    end: date
    step: str
    min_grade: str | None
    initially_met: bool
    events: list[StateChange]
    spans: list[Span]
    frame: pl.DataFrame = Field(exclude=True, repr=False)

    @property
    def fired(self) -> list[date]:
        """List the dates the rule fired."""
        return [e.at for e in self.events if e.change == "fired"]

    @property
    def released(self) -> list[date]:
        """List the dates the rule was released."""
        return [e.at for e in self.events if e.change == "released"]

    def to_dict(self, *, include_periods: bool = False) -> dict[str, Any]:
        """Return a JSON-ready dict, with every evaluation date if asked."""
        data = self.model_dump(mode="json")
        if include_periods:
            data["periods"] = [
                {k: (v.isoformat() if isinstance(v, date) else v) for k, v in row.items()}
                for row in self.frame.iter_rows(named=True)
            ]
        return data

    def table(self) -> pl.DataFrame:
        """Return the state changes as a table: date, change and each condition's value."""
        rows = [{"at": e.at, "change": e.change, **e.values} for e in self.events]
        if not rows:
            return pl.DataFrame(schema={"at": pl.Date, "change": pl.Utf8})
        return pl.DataFrame(rows)


Outcome = Literal["clear", "trigger_or_alert_met", "exit_condition_met", "unknown"]


def outcome(evaluations: list[Evaluation]) -> Outcome:
    """Return what a check found, the most pressing first: a trigger or alert met, else an exit condition met,
    else some state unknown, else clear (every rule known and not met)."""
    if any(e.met and e.kind in (RuleKind.TRIGGER, RuleKind.ALERT) for e in evaluations):
        return "trigger_or_alert_met"
    if any(e.met for e in evaluations):
        return "exit_condition_met"
    if any(e.state == "unknown" for e in evaluations):
        return "unknown"
    return "clear"

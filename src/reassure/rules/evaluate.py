"""Evaluate rules over incidents (pure): state as of a date with evidence, and backtests over history.

A period counts once it has ended on or before as_of (a date means the end of that day), so a weekly
condition checked on a Wednesday looks at weeks up to the previous Sunday and a backtest never looks ahead.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime, timedelta

import polars as pl

from reassure.core.grading import AdmiraltyGrade
from reassure.monitoring.indicators.coverage import SourceCoverage, coverage_from_frame, for_kinds
from reassure.monitoring.indicators.expiry import Expiry, expiring_series
from reassure.monitoring.indicators.frame import cutoff_for, filter_min_grade, grade_expr, to_lazy
from reassure.monitoring.indicators.series import (
    EXPIRING,
    INDICATORS,
    NO_CEASEFIRE,
    SERIES_SCHEMA,
    VIOLATIONS,
    indicator_kinds,
    indicator_series,
    violations_series,
)
from reassure.rules.model import PERIOD_EVERY, PERIOD_ORDER, Condition, Rule
from reassure.rules.results import (
    ConditionResult,
    Evaluation,
    PeriodValue,
    Span,
    StateChange,
    Timeline,
    state_of,
)
from reassure.rules.states import combine, combine_expr, condition_frame

Incidents = pl.DataFrame | pl.LazyFrame
GradeArg = str | AdmiraltyGrade | None
_RULE_GRADE = "rule"  # sentinel: use the rule's own min_grade


def condition_states(condition: Condition, incidents: Incidents, cutoff: datetime,
                     coverage: Sequence[SourceCoverage] | None = None,
                     ceasefire: date | None = None, expiries: Sequence[Expiry] | None = None) -> pl.DataFrame:
    """Return a condition's per-period states over complete periods ending by cutoff (null where unknown).

    A condition over violations counts only the periods from the ceasefire day on, and none without a ceasefire date
    (an empty frame: its result is then unknown and says why, see `_condition_result`). A condition over `expiring`
    counts the registry's `expiries` (none given: an empty frame, unknown)."""
    every = PERIOD_EVERY[condition.period]
    if condition.indicator == EXPIRING:
        series = (expiring_series(expiries, every, end=cutoff, **condition.params) if expiries is not None
                  else pl.DataFrame(schema=SERIES_SCHEMA))
    elif condition.indicator == VIOLATIONS:
        found = violations_series(incidents, every, ceasefire, end=cutoff, coverage=coverage, **condition.params)
        series = found if found is not None else pl.DataFrame(schema=SERIES_SCHEMA)
    else:
        series = indicator_series(incidents, condition.indicator, every, end=cutoff, coverage=coverage,
                                  **condition.params)
    return condition_frame(series.filter(pl.col("period_end") <= cutoff), condition,
                           monotone=INDICATORS[condition.indicator].monotone)


def _prepare(incidents: Incidents, min_grade: GradeArg) -> tuple[pl.DataFrame, int, date, date]:
    """Validate, drop rows below min_grade; return the rows kept, how many were excluded, first and last day.

    The first and last days come from all rows, so that excluding reports never moves the as-of date.
    """
    lf = to_lazy(incidents)
    bounds = lf.select(pl.len(), pl.col("start").min().alias("first"), pl.col("start").max().alias("last"))
    total, first, last = bounds.collect().row(0)
    kept = filter_min_grade(lf, min_grade).collect()
    today = date.today()
    first_day = first.date() if isinstance(first, datetime) else today
    last_day = last.date() if isinstance(last, datetime) else today
    return kept, total - kept.height, first_day, last_day


def _as_day(value: date | datetime) -> date:
    return value.date() if isinstance(value, datetime) else value


def _evidence(frame: pl.DataFrame, ids: list[str]) -> tuple[dict[str, int], dict[str, int]]:
    """Count the source labels and grades of the rows behind the given incidents."""
    if not ids:
        return {}, {}
    rows = frame.filter(pl.col("incident_id").is_in(ids))
    sources = rows.select(pl.col("sources").explode().drop_nulls().value_counts(sort=True)).unnest("sources")
    grades = rows.select(grade_expr().value_counts(sort=True)).unnest("grade")
    return (
        {str(k): int(v) for k, v in sources.iter_rows()},
        {str(k): int(v) for k, v in grades.sort("grade").iter_rows()},
    )


def _condition_result(
    key: str, condition: Condition, states: pl.DataFrame, frame: pl.DataFrame, coverage: Sequence[SourceCoverage],
    ceasefire: date | None = None, expiries: Sequence[Expiry] | None = None
) -> ConditionResult:
    """Summarise the last state of a condition with the periods, incidents and sources behind it."""
    result = ConditionResult(
        key=key,
        label=condition.describe(),
        indicator=condition.indicator,
        params=dict(condition.params),
        period=condition.period,
        window=condition.window,
        aggregate=condition.aggregate,
        comparator=condition.comparator,
        threshold=condition.threshold,
        release=condition.hysteresis.release if condition.hysteresis else None,
        consecutive=condition.consecutive,
        coverage=for_kinds(coverage, indicator_kinds(condition.indicator, condition.params)),
    )
    if condition.indicator == VIOLATIONS and ceasefire is None:
        result.note = f"unknown: {NO_CEASEFIRE}"  # state stays unknown: no data is never "not met"
        return result
    if condition.indicator == EXPIRING and expiries is None:
        result.note = "unknown: no registry was given to count expiring pledges and instruments from"
        return result
    if states.height == 0:
        result.note = "unknown: no complete period before as_of that any source covers" + (
            f" (violations count from the ceasefire, {ceasefire.isoformat()})"
            if condition.indicator == VIOLATIONS and ceasefire else "")
        return result
    last = states.row(-1, named=True)
    span = states.tail(condition.consecutive + condition.window - 1)
    ids = sorted(set(span["incident_ids"].explode().drop_nulls().to_list()))
    sources, grades = _evidence(frame, ids)
    result.last_period = last["period_start"].date()
    result.value = last["aggregate"]
    result.at_least = last["aggregate_low"] if last["aggregate"] is None else None
    result.holds = last["holds"]
    result.streak = int(last["streak"])
    result.met = last["met"] is True
    result.state = state_of(last["met"])
    result.values = [
        PeriodValue(
            period_start=row["period_start"].date(),
            value=row["value"],
            aggregate=row["aggregate"],
            holds=row["holds"],
            met=row["met"],
            n_incidents=row["n_incidents"],
            n_reporting=row["n_reporting"],
            coverage=row["coverage"],
            covered_days=row["covered_days"],
            days=row["days"],
        )
        for row in span.iter_rows(named=True)
    ]
    result.periods_uncovered = int((span["coverage"] == "none").sum())
    result.periods_partial = int((span["coverage"] == "partial").sum())
    result.incident_ids = ids
    result.incidents_considered = int(span["n_incidents"].sum())
    result.sources = sources
    result.grades = grades
    if result.state == "unknown":
        result.note = _unknown_note(condition, result, states)
    elif result.met and not result.holds:
        result.note = "held met by hysteresis"
    return result


def _unknown_note(condition: Condition, result: ConditionResult, states: pl.DataFrame) -> str:
    """Say why a condition is unknown: which periods no source covers, or too short a history."""
    plural = f"{condition.period}s"
    covering = ", ".join(c.describe() for c in result.coverage) or "none"
    if result.periods_uncovered or result.periods_partial:
        parts = []
        if result.periods_uncovered:
            parts.append(f"{result.periods_uncovered} of the {plural} looked at are covered by no source")
        if result.periods_partial:
            parts.append(f"{result.periods_partial} only partly")
        return "unknown: " + ", ".join(parts) + f" (sources: {covering})"
    needed = condition.consecutive + condition.window - 1
    if states.height < needed:
        return f"unknown: {states.height} {plural} of data, {needed} needed (sources: {covering})"
    return f"unknown: figures not reported in some {plural} looked at (sources: {covering})"


def _summary(rule: Rule, state: bool | None, as_of: date, results: Sequence[ConditionResult]) -> str:
    word = {True: "MET", False: "NOT MET", None: "UNKNOWN"}[state]
    parts = []
    for r in results:
        shown = "n/a" if r.value is None else f"{r.value:g}"
        if r.value is None and r.at_least is not None:
            shown = f">= {r.at_least:g}"
        flag = {"met": "ok", "not_met": "no", "unknown": "unknown"}[r.state]
        parts.append(f"{r.key} {flag} ({shown} {r.comparator} {r.threshold:g}, {r.streak}/{r.consecutive})")
    return f"{rule.id} [{rule.kind}] {word} as of {as_of.isoformat()}: " + "; ".join(parts)


def evaluate_rule(
    rule: Rule,
    incidents: Incidents,
    as_of: date | datetime | None = None,
    *,
    min_grade: GradeArg | str = _RULE_GRADE,
    coverage: Sequence[SourceCoverage] | None = None,
    ceasefire: date | None = None,
    expiries: Sequence[Expiry] | None = None,
) -> Evaluation:
    """Evaluate a rule as of a date (default: the latest incident's day): met, not met or unknown, with evidence.

    min_grade overrides the rule's own minimum grade; rows graded below it are excluded before any indicator
    is computed (and counted in rows_excluded). `coverage` is what each source covers (default: found in the rows
    kept); a period no source of a condition's kind covers is unknown, and so is a condition that rests on it.
    `ceasefire` is the day the scenario's ceasefire is in force from:
    only violations from then on count, and a condition over violations without one is unknown and says so.
    `expiries` are the registry's lapse and renewal dates a condition over `expiring` counts (None: unknown).
    """
    grade = rule.min_grade if min_grade == _RULE_GRADE else min_grade
    frame, excluded, _, last_day = _prepare(incidents, grade)
    as_of = as_of if as_of is not None else last_day
    cutoff = cutoff_for(as_of)
    if coverage is None:
        coverage = coverage_from_frame(frame.filter(pl.col("start") < cutoff))
    results = [
        _condition_result(key, cond, condition_states(cond, frame, cutoff, coverage, ceasefire, expiries), frame,
                          coverage, ceasefire, expiries)
        for key, cond in rule.leaves()
    ]
    state = combine(rule.logic, rule.conditions, {r.key: None if r.state == "unknown" else r.met for r in results})
    as_of_day = _as_day(as_of)
    return Evaluation(
        rule_id=rule.id,
        rule_name=rule.name,
        kind=rule.kind,
        action=rule.action,
        as_of=as_of_day,
        met=state is True,
        state=state_of(state),
        logic=rule.logic,
        min_grade=None if grade is None else str(grade),
        rows_used=frame.height,
        rows_excluded=excluded,
        conditions=results,
        summary=_summary(rule, state, as_of_day, results),
        coverage=list(coverage),
    )


def evaluate_rules(
    rules: Iterable[Rule], incidents: Incidents, as_of: date | datetime | None = None, *,
    ceasefire: date | None = None, expiries: Sequence[Expiry] | None = None,
) -> list[Evaluation]:
    """Evaluate several rules as of the same date (and the same ceasefire date and expiries, see evaluate_rule)."""
    frame = to_lazy(incidents).collect()
    if as_of is None:
        latest = frame["start"].max()
        as_of = latest.date() if isinstance(latest, datetime) else date.today()
    return [evaluate_rule(rule, frame, as_of, ceasefire=ceasefire, expiries=expiries) for rule in rules]


def evaluations_table(evaluations: Iterable[Evaluation]) -> pl.DataFrame:
    """Return one row per evaluation: rule, kind, as_of, met, action and summary."""
    rows = [
        {
            "rule": e.rule_id,
            "name": e.rule_name,
            "kind": str(e.kind),
            "as_of": e.as_of,
            "met": e.met,
            "action": e.action if e.met else "",
            "summary": e.summary,
        }
        for e in evaluations
    ]
    schema = {
        "rule": pl.Utf8,
        "name": pl.Utf8,
        "kind": pl.Utf8,
        "as_of": pl.Date,
        "met": pl.Boolean,
        "action": pl.Utf8,
        "summary": pl.Utf8,
    }
    return pl.DataFrame(rows, schema=schema)


def _eval_grid(start: date, end: date, step: str) -> pl.DataFrame:
    """Return the evaluation points: the end of every complete step period between start and end."""
    every = PERIOD_EVERY[step]
    first = pl.select(pl.lit(datetime.combine(start, datetime.min.time())).dt.truncate(every)).item()
    cutoff = cutoff_for(end)
    starts = pl.datetime_range(first, cutoff, every, eager=True, time_unit="us")
    grid = pl.DataFrame({"period_start": starts}).with_columns(
        pl.col("period_start").dt.offset_by(every).alias("eval_end")
    )
    grid = grid.filter((pl.col("eval_end") <= cutoff) & (pl.col("eval_end") > pl.lit(first)))
    grid = grid.filter(pl.col("eval_end") - timedelta(days=1) >= datetime.combine(start, datetime.min.time()))
    return grid.select("eval_end", (pl.col("eval_end") - timedelta(days=1)).dt.date().alias("at"))


def backtest(
    rule: Rule,
    incidents: Incidents,
    start: date | datetime | None = None,
    end: date | datetime | None = None,
    *,
    step: str | None = None,
    min_grade: GradeArg | str = _RULE_GRADE,
    ceasefire: date | None = None,
    expiries: Sequence[Expiry] | None = None,
) -> Timeline:
    """Evaluate a rule at the end of every step period (default: its finest period) and list state changes.

    `met` is True only where the rule is met; `state` says met, not_met or unknown at each evaluation date.
    The coverage is taken from all the rows kept, so a backtest reads each period as the data now covers it.
    Violations count from the ceasefire day on, and never without one (see evaluate_rule).
    """
    grade = rule.min_grade if min_grade == _RULE_GRADE else min_grade
    frame, _, first_day, last_day = _prepare(incidents, grade)
    coverage = coverage_from_frame(frame)
    start_day = _as_day(start) if start is not None else first_day
    end_day = _as_day(end) if end is not None else last_day
    leaves = rule.leaves()
    step = step or min((c.period for _, c in leaves), key=PERIOD_ORDER.__getitem__)
    if step not in PERIOD_EVERY:
        raise ValueError(f"step must be one of {list(PERIOD_EVERY)}, got {step!r}")
    cutoff = cutoff_for(end_day)
    timeline = _eval_grid(start_day, end_day, step)
    for key, cond in leaves:
        states = condition_states(cond, frame, cutoff, coverage, ceasefire, expiries).select(
            pl.col("period_end").alias("eval_end"),
            pl.col("aggregate").alias(key),
            pl.col("met").alias(f"{key}_met"),
            pl.lit(True).alias(f"{key}_seen"),
        )
        timeline = timeline.sort("eval_end").join_asof(states, on="eval_end", strategy="backward")
        timeline = timeline.drop(f"{key}_seen")  # before a condition's first period its state is unknown (null)
    state = combine_expr(rule.logic, rule.conditions)
    timeline = timeline.with_columns(
        state.fill_null(False).alias("met"),
        pl.when(state.is_null()).then(pl.lit("unknown")).when(state).then(pl.lit("met"))
        .otherwise(pl.lit("not_met")).alias("state"),
    ).drop("eval_end")
    columns = ["at", "met", "state", *[c for key, _ in leaves for c in (key, f"{key}_met")]]
    timeline = timeline.select(columns)
    events, spans = _changes(timeline, [key for key, _ in leaves])
    return Timeline(
        rule_id=rule.id,
        rule_name=rule.name,
        kind=rule.kind,
        start=start_day,
        end=end_day,
        step=step,
        min_grade=None if grade is None else str(grade),
        initially_met=bool(timeline["met"][0]) if timeline.height else False,
        events=events,
        spans=spans,
        frame=timeline,
    )


def _changes(timeline: pl.DataFrame, keys: list[str]) -> tuple[list[StateChange], list[Span]]:
    """List the fired/released changes and the met spans of a backtest frame."""
    events: list[StateChange] = []
    spans: list[Span] = []
    previous = False
    span_start: date | None = None
    last_at: date | None = None
    for i, row in enumerate(timeline.iter_rows(named=True)):
        met = bool(row["met"])
        if met and not previous:
            span_start = row["at"]
            if i > 0:
                events.append(StateChange(at=row["at"], change="fired", values={k: row[k] for k in keys}))
        elif previous and not met:
            events.append(StateChange(at=row["at"], change="released", values={k: row[k] for k in keys}))
            if span_start is not None and last_at is not None:
                spans.append(Span(start=span_start, end=last_at))
            span_start = None
        previous, last_at = met, row["at"]
    if previous and span_start is not None:
        spans.append(Span(start=span_start, end=None))
    return events, spans

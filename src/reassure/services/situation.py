"""The security picture: an attack's accounts side by side, the indicator table, and the rules' states."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any, NamedTuple

from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from reassure.core.coverage import Comparison, SourceCoverage, Staleness, compare_last
from reassure.core.expiry import EXPIRING, Expiry
from reassure.core.markings import Releasability
from reassure.domains.evaluations.service import incidents_marking
from reassure.domains.incidents.indicators import (
    STALE_AFTER_DAYS,
    IndicatorRow,
    indicator_rows,
    launched_figures,
    picture_staleness,
)
from reassure.domains.incidents.schemas import IncidentDetail
from reassure.domains.incidents.service import (
    attack_keys_on,
    get_incident,
    incident_frame,
    latest_attack_day,
    list_incidents,
)
from reassure.domains.movement.service import movement_frame, movements_marking
from reassure.domains.preferences.service import default_scenario
from reassure.domains.scenario_records.lookup import find_scenario
from reassure.monitoring.indicators.coverage import coverage_from_frame
from reassure.monitoring.indicators.series import MOVEMENT_INDICATOR
from reassure.rules import backtest, evaluate_rule, load_bundled_rules
from reassure.rules.model import Rule
from reassure.rules.results import Evaluation, Timeline
from reassure.services.renewals import registry_expiries

if TYPE_CHECKING:
    import polars as pl


class RuleState(BaseModel):
    """One rule's state over the viewer's incidents, and whether the rule is a bundled planning assumption."""

    rule_id: str
    rule_name: str
    kind: str
    met: bool  # True only when met
    state: str = "not_met"  # met, not_met or unknown (a condition rests on periods no source covers)
    as_of: date
    action: str
    bundled: bool
    evaluation: Evaluation


class SituationPicture(BaseModel):
    """What the viewer's incidents say: attacks in a window with every account, indicators, rule states.

    `marking` is the most restrictive marking of the incidents and reports the indicators and states rest on;
    `has_incidents` False means no data (never "quiet").
    """

    attacks: list[IncidentDetail] = Field(default_factory=list)
    attack_choice: str = ""  # how the attacks shown were chosen, in words
    every: str
    indicators: list[IndicatorRow] = Field(default_factory=list)
    rules: list[RuleState] = Field(default_factory=list)
    has_incidents: bool
    marking: str
    coverage: list[SourceCoverage] = Field(default_factory=list)  # which days each source covers, per kind
    staleness: Staleness | None = None  # whether the newest data is older than the stated age
    launches: Comparison | None = None  # launches, the last three periods against the three before, per day


def attack_accounts(*, db: Session, start: date, end: date, source: str | None = None,
                    kind: str = "air_attack") -> list[IncidentDetail]:
    """Return the visible incidents of a kind in a date window (those a source reported, if given), each with
    every visible account side by side, oldest first."""
    found = [i for i in list_incidents(db=db, kind=kind, start=start, end=end)
             if source is None or source in i.sources]
    return [get_incident(i.key, db=db) for i in reversed(found)]


def choose_attacks(*, db: Session, day: date | None = None, key: str | None = None) -> tuple[list[IncidentDetail], str]:
    """Return the attacks whose accounts a brief shows side by side, and how they were chosen: the incident `key`,
    else the attacks dated `day`, else those of the most recent attack night the reader sees accounts of from two or
    more sources (else the most recent attack night). Hidden incidents and reports count as absent."""
    if key is not None:
        return [get_incident(key, db=db)], f"incident {key}, as asked"
    if day is not None:
        return [get_incident(k, db=db) for k in attack_keys_on(day, db=db)], f"the attacks dated {day}, as asked"
    latest = latest_attack_day(db=db)
    if latest is None:
        return [], "no attack is released to this reader"
    attacks = [get_incident(k, db=db) for k in attack_keys_on(latest, db=db)]
    several = any(len(a.sources) >= 2 for a in attacks)
    return attacks, (f"the most recent attack night with accounts from two or more sources ({latest})" if several
                     else f"the most recent attack night ({latest}); no attack has accounts from two sources")


def ceasefire_of(*, db: Session, scenario: str | None = None) -> date | None:
    """Return the ceasefire day of the named scenario, else of the viewer's nation's default scenario; None when
    neither sets one (violations are then not counted: docs/adr/0019). An unknown name raises ScenarioNotFound."""
    return ceasefire_setting(db=db, scenario=scenario)[0]


def ceasefire_setting(*, db: Session, scenario: str | None = None) -> tuple[date | None, str | None]:
    """Return the ceasefire day (see ceasefire_of) and the marking of the scenario that sets it (None without one):
    whatever counts violations from that day rests on that scenario, and is marked no wider than it."""
    name = scenario or default_scenario(db=db)
    found = find_scenario(name, db=db) if name else None
    if found is None or found.ceasefire is None:
        return None, None
    return found.ceasefire, found.rel_to


def ceasefire_args(*, db: Session, scenario: str | None = None) -> dict[str, Any]:
    """Return indicator_table's ceasefire arguments for a scenario (see ceasefire_setting)."""
    day, marking = ceasefire_setting(db=db, scenario=scenario)
    return {"ceasefire": day, "ceasefire_marking": marking}


def rule_states(rules: list[Rule], *, db: Session, at: date | None = None, bundled: bool = False,
                scenario: str | None = None) -> list[RuleState]:
    """Evaluate rules over every incident the viewer sees (and, for a rule over the movement indicator, every
    restriction on the force's movement), as of a day (default: the latest incident's), with the ceasefire date of the
    scenario (default: the nation's default scenario); a rule over the `expiring` indicator also reads the
    registry's lapse and renewal dates of that scenario."""
    return _states(rules, rule_frames(db=db), at, bundled, *ceasefire_setting(db=db, scenario=scenario),
                   expiries=_expiries(rules, db=db, scenario=scenario))


def _expiries(rules: list[Rule], *, db: Session, scenario: str | None) -> tuple[list[Expiry], list[str]] | None:
    """The registry's lapse and renewal dates, read only when a rule counts them (the `expiring` indicator); None
    when none does or no scenario is chosen (a condition on them is then unknown)."""
    if not any(c.indicator == EXPIRING for rule in rules for _, c in rule.leaves()):
        return None
    return registry_expiries(db=db, scenario=scenario)


class RuleFrames(NamedTuple):
    """What the rules read: the incidents the viewer sees, the same with the restrictions on the force's movement
    appended as rows of kind "movement" (docs/adr/0045), and the marking of those restrictions (None without any)."""

    incidents: pl.DataFrame
    with_movements: pl.DataFrame
    movements_marking: str | None

    def for_rule(self, rule: Rule) -> tuple[pl.DataFrame, str | None]:
        """Return the frame a rule reads and the marking its state also rests on: a rule over the movement indicator
        reads the restrictions too; any other reads the incidents alone, so its state and as-of day are as they were
        before restrictions were recorded."""
        if any(c.indicator == MOVEMENT_INDICATOR for _, c in rule.leaves()):
            return self.with_movements, self.movements_marking
        return self.incidents, None


def rule_frames(*, db: Session) -> RuleFrames:
    """Return the frames the rules read (RuleFrames)."""
    import polars as pl

    incidents = incident_frame(db=db)
    movements = movement_frame(db=db)
    if not movements.height:
        return RuleFrames(incidents, incidents, None)
    return RuleFrames(incidents, pl.concat([incidents, movements], how="diagonal_relaxed"), movements_marking(db=db))


def _states(rules: list[Rule], frames: RuleFrames, at: date | None, bundled: bool,
            ceasefire: date | None, ceasefire_marking: str | None = None,
            expiries: tuple[list[Expiry], list[str]] | None = None) -> list[RuleState]:

    states = []
    for rule in rules:
        frame, movements = frames.for_rule(rule)
        counts_expiries = expiries is not None and any(c.indicator == EXPIRING for _, c in rule.leaves())
        # A rule over the registry's dates alone (the `expiring` indicator) is read as of today when no day is given:
        # the newest incident's day (the default of every other rule) may be months old, and an instrument lapsing
        # next month must not read as "not expiring" because the incident feed is stale.
        day = at if at is not None or not _registry_only(rule) else date.today()
        e = evaluate_rule(rule, frame, day, ceasefire=ceasefire, expiries=expiries[0] if expiries else None)
        if ceasefire_marking is not None:
            e.rests_on.append(ceasefire_marking)
        if movements is not None:
            e.rests_on.append(movements)
        if counts_expiries and expiries is not None:  # it rests on the records whose dates it counted
            e.rests_on.extend(expiries[1])
        states.append(RuleState(rule_id=rule.id, rule_name=rule.name, kind=str(rule.kind), met=e.met, state=e.state,
                                as_of=e.as_of, action=rule.action, bundled=bundled, evaluation=e))
    return states


def _registry_only(rule: Rule) -> bool:
    """Whether every condition of a rule counts the registry's lapse and renewal dates (none counts incidents)."""
    return all(c.indicator == EXPIRING for _, c in rule.leaves())


def backtest_rule(rule: Rule, *, db: Session, start: date | None = None, end: date | None = None,
                  scenario: str | None = None) -> Timeline | None:
    """Replay a rule over the viewer's incidents (default: from the first to the last), with the scenario's ceasefire
    date (see rule_states); None when there are none."""
    frame, _ = rule_frames(db=db).for_rule(rule)
    ceasefire = ceasefire_of(db=db, scenario=scenario)
    found = _expiries([rule], db=db, scenario=scenario)
    return backtest(rule, frame, start, end, ceasefire=ceasefire,
                    expiries=found[0] if found else None) if frame.height else None


def situation_picture(*, db: Session, attack_window: tuple[date, date] | None = None,
                      attack_source: str | None = None, every: str = "month", last: int = 6,
                      rules: list[Rule] | None = None, today: date | None = None,
                      stale_after_days: int = STALE_AFTER_DAYS, choose: bool = False, attack_date: date | None = None,
                      attack_incident: str | None = None, scenario: str | None = None) -> SituationPicture:
    """Return the picture a brief or the dashboard shows: attacks with their accounts (in a window, or with `choose`
    as choose_attacks picks them), the last `last` indicator periods, the given rules' states (the bundled rules when
    None), each source's days, whether the newest data is older than `stale_after_days` on `today`, and launches over
    the last three periods against the three before, per day of data; violations count from the ceasefire date of
    `scenario` (default: the nation's default scenario)."""
    choice = ""
    if choose:
        attacks, choice = choose_attacks(db=db, day=attack_date, key=attack_incident)
    else:
        attacks = attack_accounts(db=db, start=attack_window[0], end=attack_window[1], source=attack_source) \
            if attack_window else []
    frame = incident_frame(db=db)
    coverage = coverage_from_frame(frame) if frame.height else []
    ceasefire, ceasefire_marking = ceasefire_setting(db=db, scenario=scenario)
    rows = indicator_rows(frame, every, last=max(last + 1, 6) if last else 0, coverage=coverage,
                          ceasefire=ceasefire) if frame.height else []
    launches = compare_last(launched_figures(rows), 3)
    rows = rows[-last:] if last else rows
    bundled = rules is None
    chosen = load_bundled_rules() if rules is None else rules
    states = _states(chosen, rule_frames(db=db), None, bundled, ceasefire, ceasefire_marking,
                     _expiries(chosen, db=db, scenario=scenario))
    return SituationPicture(attacks=attacks, attack_choice=choice, every=every, indicators=rows, rules=states,
                            has_incidents=frame.height > 0,
                            marking=str(Releasability.from_column(incidents_marking(db=db))), coverage=coverage,
                            staleness=picture_staleness(coverage, today, stale_after_days), launches=launches)

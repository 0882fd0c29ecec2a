"""Build the planner problem (DESIGN §3 JSON) from a stored scenario, as the viewer may see it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from reassure.core.markings import most_restrictive
from reassure.core.periods import first_period_from, period_containing
from reassure.core.phases import phased_demand
from reassure.core.quantities import Estimate, NationSize, QuantityKind, nation_size
from reassure.db.keys import first_per_key
from reassure.db.mixins import Marked
from reassure.domains.command.models import CommandNode
from reassure.domains.legal.models import LegalInstrument
from reassure.domains.nations.models import NationFigure
from reassure.domains.phases.models import ScenarioPhase
from reassure.domains.phases.service import phase_specs, scenario_phases, visible_demand
from reassure.domains.pledges.models import Pledge
from reassure.domains.scenario_records.lookup import find_scenario
from reassure.domains.scenario_records.models import Scenario
from reassure.domains.tasks.models import Task
from reassure.domains.verifications.models import Verification
from reassure.domains.verifications.schemas import PledgeStanding as PledgeStanding  # re-exported: pledges read it
from reassure.domains.verifications.service import Checks, bearing, read_checks, standing_of, verifications_of
from reassure.planner.instance import Problem
from reassure.scenario_io.priors import prior_table

# A legal instrument with one of these statuses is not expected to come into force (a proposed one with a
# probability is: the plan assumes it comes into force and robustness samples it).
NOT_IN_FORCE = ("proposed", "suspended", "expired")
HQ_CAPABILITY = "hq_staff"
BACKSTOP_FLAG = "us_backstop"


def build_problem(name: str, *, db: Session) -> Problem:
    """Return the planner problem for a scenario: one planner unit per pledged unit, periods from dates."""
    return problem_and_marking(name, db=db)[0]


def problem_json(problem: Problem) -> dict[str, Any]:
    """Return a problem as DESIGN §3 JSON, with exactly the keys it was built with (no nulls added)."""
    return problem.model_dump(mode="json", exclude_unset=True)


def problem_and_marking(name: str, *, db: Session) -> tuple[Problem, str]:
    """Return the planner problem and the marking it derives: the most restrictive of every record it rests on."""
    sources = _sources(name, db=db)
    return _problem(sources), sources.marking()


def problem_marking(name: str, *, db: Session) -> str:
    """Return the marking a scenario's problem would derive (as problem_and_marking does), reading the records it
    rests on without building the problem: a job queued to solve it is marked so and builds it when it runs."""
    return _sources(name, db=db).marking()


@dataclass(frozen=True)
class _Sources:
    """The records a scenario's problem rests on, and what the choice of its nations needs of them."""

    scenario: Scenario
    pledges: list[Pledge]
    tasks: list[Task]
    legal: list[LegalInstrument]
    nodes: list[CommandNode]
    estimates: dict[str, tuple[Estimate, NationFigure | None]]
    windows: dict[str, list[tuple[int, int]]]  # per pledge key, the spans its units serve in
    nations: list[str]  # the nations with units
    shares: dict[str, float]
    figures: list[NationFigure]  # the GDP figures the fair shares came from
    standings: dict[str, PledgeStanding]  # per pledge key, what its verifications say (docs/adr/0042)
    verifications: list[Verification]  # the verifications those standings rest on
    phases: list[ScenarioPhase]  # the mission's phases (docs/adr/0044): they change the tasks' demand

    def marking(self) -> str:
        """Return the most restrictive marking of every record the problem rests on (column form)."""
        population = [f for _, f in self.estimates.values() if f is not None]
        inputs: list[Marked] = [self.scenario, *self.pledges, *self.tasks, *self.legal, *self.figures, *population,
                                *self.nodes, *self.verifications, *self.phases]
        return most_restrictive(*(record.releasability for record in inputs)).to_column()


def _sources(name: str, *, db: Session) -> _Sources:
    """Read the records a scenario's problem rests on (NotFound for a scenario the viewer cannot see)."""
    scenario = find_scenario(name, db=db)
    start, period, periods = scenario.horizon_start, scenario.period, scenario.periods
    # A part seen under two markings (a public one and a national variant) counts once, as db/keys keeps it.
    sid = scenario.id
    pledges = list(db.scalars(select(Pledge).where(Pledge.scenario_id == sid, first_per_key(db, Pledge, "scenario_id",
                                                                                            "key"))
                              .order_by(Pledge.key)))
    tasks = list(db.scalars(select(Task).where(Task.scenario_id == sid, first_per_key(db, Task, "scenario_id", "key"))
                            .order_by(Task.key)))
    legal = list(db.scalars(select(LegalInstrument).where(LegalInstrument.scenario_id == sid,
                                                          first_per_key(db, LegalInstrument, "scenario_id", "key"))
                            .order_by(LegalInstrument.key)))
    checked = read_checks(pledges, db=db)
    checks = checked.counted
    estimates = pledge_estimates(pledges, scenario.assumptions or {}, db=db, checks=checks)
    standings = pledge_standings(pledges, db=db, checks=checked)
    used = [v for p in pledges for v in bearing(checks[p.key])]
    nodes = list(db.scalars(select(CommandNode).where(CommandNode.scenario_id == sid,
                                                      first_per_key(db, CommandNode, "scenario_id", "key"))
                            .order_by(CommandNode.key)))
    windows = {p.key: service_windows(p, start, period, periods) for p in pledges}
    serving = [p for p in pledges if windows[p.key] and estimates[p.key][0].planned > 0]  # the pledges with units
    nations = sorted({p.nation_code for p in serving})
    # A nation whose every unit depends on the US backstop flag provides that backstop: it is outside the
    # burden-sharing base (its GDP would otherwise dominate everyone's fair share). docs/adr/0003.
    backstop = {n for n in nations if all(BACKSTOP_FLAG in p.conditions for p in serving if p.nation_code == n)}
    shares, figures = _gdp_shares([n for n in nations if n not in backstop], db=db)
    phases = scenario_phases(scenario, db=db)
    return _Sources(scenario, pledges, tasks, legal, nodes, estimates, windows, nations, shares, figures, standings,
                    used, phases)


def verified_units(standing: PledgeStanding, planned: int) -> int | None:
    """Return how many of a pledge's planned units its newest verification stands for (all of them when verified,
    those found when short, none when not verified), or None when it has none (docs/adr/0042)."""
    if standing.finding is None:
        return None
    if standing.finding == "verified":
        return planned
    if standing.finding == "shortfall":
        return min(planned, standing.found or 0)
    return 0


def estimates_and_standings(pledges: list[Pledge], assumptions: dict[str, Any], *, db: Session
                            ) -> tuple[dict[str, tuple[Estimate, NationFigure | None]], dict[str, PledgeStanding]]:
    """Return `pledge_estimates` and `pledge_standings` of some pledges of one scenario, reading their verifications
    once."""
    checks = read_checks(pledges, db=db)
    return (pledge_estimates(pledges, assumptions, db=db, checks=checks.counted),
            pledge_standings(pledges, db=db, checks=checks))


def pledge_standings(pledges: list[Pledge], *, db: Session,
                     checks: Checks | None = None) -> dict[str, PledgeStanding]:
    """Return, per pledge key, the standing and readiness its visible verifications give (docs/adr/0042). The
    pledges are of one scenario."""
    if not pledges:
        return {}
    found = checks if checks is not None else read_checks(pledges, db=db)
    return {p.key: standing_of(found.counted[p.key], pledged=str(p.quantity), notice=p.notice,
                               uncounted=found.uncounted[p.key]) for p in pledges}


def _problem(s: _Sources) -> Problem:
    """Build the planner problem from the records it rests on."""
    scenario, pledges, estimates = s.scenario, s.pledges, s.estimates
    start, period, periods = scenario.horizon_start, scenario.period, scenario.periods
    units = [u for p in pledges for u in _units(p, s.tasks, s.windows[p.key], estimates[p.key][0].planned,
                                                    s.standings[p.key].notice)]
    withdrawal = (scenario.assumptions or {}).get("nation_withdrawal")
    keeps = {"probability": round(1.0 - float(withdrawal), 6)} if withdrawal else {}
    task_rows = _tasks(s.tasks, s.nodes, s.phases)
    # Lead and partner nations are listed even without units here: their task then waits for them (a gap naming them).
    named = {n for row in task_rows for n in (row.get("lead"), *row.get("partners", [])) if n}
    shares = s.shares
    phases = {"phases": [_phase(p, {t.key for t in s.tasks}) for p in s.phases]} if s.phases else {}
    return Problem.model_validate({
        "horizon": {"start": start.isoformat(), "period": period, "periods": periods},
        "flags": dict(scenario.flags),
        "nations": [({"code": code, "fair_share": shares[code]} if code in shares else {"code": code}) | keeps
                    for code in sorted(set(s.nations) | named)],
        "legal": [_legal(lg, start, period) for lg in s.legal if _counts(lg, start, period, periods)],
        "tasks": task_rows,
        "units": units,
        "frozen": [],
        "pledges": [{"id": p.key, **estimates[p.key][0].model_dump(exclude_none=True),
                     **_verified(s.standings[p.key], estimates[p.key][0].planned)}
                    for p in pledges if any(u["pledge"] == p.key for u in units)],
        **phases,
    })


def _verified(standing: PledgeStanding, planned: int) -> dict[str, int]:
    units = verified_units(standing, planned)
    return {} if units is None else {"verified": units}


def _short(estimate: Estimate, rows: list[Verification]) -> Estimate:
    """Return the estimate a newest shortfall verification leaves: planned on the units found (docs/adr/0042)."""
    newest = rows[-1] if rows else None
    if newest is None or newest.finding != "shortfall" or newest.found is None or newest.found >= estimate.planned:
        return estimate
    n = newest.found
    return estimate.model_copy(update={
        "planned": n, "low": min(estimate.low, n), "high": n, "mode": None if estimate.mode is None else min(
            estimate.mode, n),
        "note": f"{estimate.note}; verified with shortfall {newest.on_date.isoformat()}: {n} units found"})


def _phase(p: ScenarioPhase, tasks: set[str]) -> dict[str, Any]:
    """Return a phase as the problem carries it for display (its demand is already in the tasks' demand)."""
    shown = visible_demand(p, tasks)
    return {"key": p.key, "name": p.name, "start": p.start_period, "end": p.end_period,
            **({"entry": p.entry} if p.entry else {}), **({"rule": p.rule_id} if p.rule_id else {}),
            **({"handover": [d["task"] for d in shown if d.get("handover")]}
               if any(d.get("handover") for d in shown) else {})}


def pledge_estimates(pledges: list[Pledge], assumptions: dict[str, Any], *, db: Session,
                     checks: dict[str, list[Verification]] | None = None
                     ) -> dict[str, tuple[Estimate, NationFigure | None]]:
    """Return, per pledge key, what a plan counts on (docs/adr/0023) and the population figure that chose its prior
    (an undisclosed size takes the scenario's prior, else the bundled one, for its capability and nation size; a
    nation without a population figure counts as medium, and the note says so). A pledge whose newest visible
    verification found a shortfall is planned on the units found (docs/adr/0042); `checks` are the pledges'
    verifications when the caller has read them (else they are read here)."""
    if checks is None:
        checks = {}
        for sid in {p.scenario_id for p in pledges}:
            checks.update(verifications_of([p for p in pledges if p.scenario_id == sid], db=db))
    out = _estimates(pledges, assumptions, db=db)
    return {key: (_short(estimate, checks.get(key, [])), figure) for key, (estimate, figure) in out.items()}


def _estimates(pledges: list[Pledge], assumptions: dict[str, Any], *,
               db: Session) -> dict[str, tuple[Estimate, NationFigure | None]]:
    table = prior_table(assumptions.get("priors", []))
    undisclosed = sorted({p.nation_code for p in pledges if p.quantity.kind is QuantityKind.UNDISCLOSED})
    people = _latest(undisclosed, "population", db=db)
    out: dict[str, tuple[Estimate, NationFigure | None]] = {}
    for p in pledges:
        if p.quantity.kind is not QuantityKind.UNDISCLOSED:
            out[p.key] = (p.quantity.estimate(), None)
            continue
        figure = people.get(p.nation_code)
        size = nation_size(figure.value if figure is not None else None)
        known = size is not None
        size = size or NationSize.MEDIUM
        label = (f"{size.value} nation ({figure.value / 1e6:.1f} million people, {figure.year})" if figure is not None
                 else "medium nation (its population is not on record)")
        out[p.key] = (p.quantity.estimate(table.get((p.capability, size)), nation_size=label),
                      figure if known else None)
    return out


def service_windows(p: Pledge, start: Any, period: str, periods: int) -> list[tuple[int, int]]:
    """Return the spans of periods (inclusive) in which a pledge's units may serve: its availability window, cut by
    its dated lifecycle (docs/adr/0023). A withdrawal removes the units from the period containing its date on (a
    unit leaving mid-month does not serve that month); a later step (offered, confirmed, …) brings them back from
    the first whole period after its date. A pledge marked withdrawn with no dated withdrawal serves nowhere."""
    steps = sorted(((h.on_date, h.id or 0, h.status) for h in p.history), key=lambda s: (s[0], s[1]))
    if p.status == "withdrawn" and not any(status == "withdrawn" for _, _, status in steps):
        return []
    first = max(0, first_period_from(start, period, p.available_from))
    last = min(periods - 1, period_containing(start, period, p.available_to))
    spans: list[tuple[int, int]] = []
    serving_from: int | None = first  # None while withdrawn
    for on, _, status in steps:
        if status == "withdrawn" and serving_from is not None:
            spans.append((serving_from, period_containing(start, period, on) - 1))
            serving_from = None
        elif status != "withdrawn" and serving_from is None:
            serving_from = max(first, first_period_from(start, period, on))
    if serving_from is not None:
        spans.append((serving_from, last))
    return [(max(a, first), min(b, last)) for a, b in spans if max(a, first) <= min(b, last)]


def _units(p: Pledge, tasks: list[Task], windows: list[tuple[int, int]], planned: int,
           confirmed_notice: int | None = None) -> list[dict[str, Any]]:
    """Return the planner units of a pledge: `planned` of them per span it serves in (`windows`, from
    service_windows; a span after a withdrawal and a return gets ids ending -r2, -r3, …). Their notice to move is
    the one a verification last confirmed, else the pledge's (docs/adr/0042)."""
    notice = confirmed_notice if confirmed_notice is not None else p.notice
    banned_places = {loc for c in p.caveats for loc in c.get("locations", [])}
    excluded = sorted({t for c in p.caveats for t in c.get("tasks", [])}
                      | {t.key for t in tasks if t.location in banned_places})
    return [{"id": f"{p.key}-{i}" if n == 0 else f"{p.key}-{i}-r{n + 1}", "nation": p.nation_code,
             "capability": p.capability, "personnel": p.personnel_per_unit, "available_from": first,
             "available_to": last, "max_tour": p.max_tour, "min_dwell": p.min_dwell,
             "locations": [loc for loc in p.locations if loc not in banned_places],
             "exclude_tasks": excluded, "conditions": list(p.conditions), "probability": p.probability,
             "pledge": p.key, "slot": i, **({"notice": notice} if notice else {})}
            for n, (first, last) in enumerate(windows) for i in range(1, planned + 1)]


def _tasks(tasks: list[Task], nodes: list[CommandNode], phases: list[ScenarioPhase]) -> list[dict[str, Any]]:
    """Return the problem's tasks with their component, lead nation and commanding headquarters (docs/adr/0022).

    A task with `multinational: false` is a bilateral component of its `nations` (else of its lead nation); a
    multinational one carries `min_nations` and `max_share` where set. A task's parent is the headquarters task
    (capability hq_staff) of the nearest command node above it that has one, and that headquarters' demand follows
    its components: nothing in a period in which none of them has demand. The phases' demand (docs/adr/0044) is
    applied first, so a headquarters follows its components through the phases too.
    """
    out = []
    for t in tasks:
        row: dict[str, Any] = {"id": t.key, "capability": t.capability, "location": t.location,
                               "demand": list(t.demand), "priority": t.priority,
                               "requires_legal": list(t.requires_legal), "nations": t.nations}
        if t.lead_nation:
            row["lead"] = t.lead_nation
        if not t.multinational:
            partners = list(t.nations or ([t.lead_nation] if t.lead_nation else []))
            if partners:  # a bilateral task with neither nations nor a lead names no partner: no restriction
                row["component"] = "bilateral"
                row["partners"] = partners
        elif t.min_nations is not None or t.max_share is not None:
            row["component"] = "multinational"
            if t.min_nations is not None:
                row["min_nations"] = t.min_nations
            if t.max_share is not None:
                row["max_share"] = t.max_share
        out.append(row)
    if phases:
        phased = phased_demand({row["id"]: row["demand"] for row in out},
                               phase_specs(phases, {t.key: t for t in tasks}))
        for row in out:
            row["demand"] = phased[row["id"]]
    _command_parents(tasks, nodes, out)
    return out


def _command_parents(tasks: list[Task], nodes: list[CommandNode], rows: list[dict[str, Any]]) -> None:
    """Set each task's parent headquarters task from the command tree and let HQ demand follow its components."""
    up = {n.key: n.parent_key for n in nodes}
    hq_at: dict[str, str] = {}
    for t in tasks:
        if t.capability == HQ_CAPABILITY and t.command_key and t.command_key not in hq_at:
            hq_at[t.command_key] = t.key
    for t, row in zip(tasks, rows, strict=True):
        node = up.get(t.command_key) if t.key in hq_at.values() and t.command_key else t.command_key
        seen: set[str] = set()
        while node is not None and node not in seen:
            seen.add(node)
            if node in hq_at and hq_at[node] != t.key:
                row["parent"] = hq_at[node]
                break
            node = up.get(node)
    by_id = {row["id"]: row for row in rows}
    for hq in hq_at.values():
        kids = [row for row in rows if row.get("parent") == hq]
        if kids:
            row = by_id[hq]
            row["demand"] = [d if any(k["demand"][i] > 0 for k in kids) else 0 for i, d in enumerate(row["demand"])]


def _counts(lg: LegalInstrument, start: Any, period: str, periods: int) -> bool:
    if lg.host_code != "UKR" or lg.in_force_from is None:
        return False
    if lg.in_force_to is not None and _last_period(lg.in_force_to, start, period) < max(
            0, first_period_from(start, period, lg.in_force_from)):
        return False  # lapsed before the horizon, or in force for no whole period
    if lg.status in NOT_IN_FORCE and not (lg.status == "proposed" and lg.probability is not None):
        return False
    return first_period_from(start, period, lg.in_force_from) < periods


def _legal(lg: LegalInstrument, start: Any, period: str) -> dict[str, Any]:
    out: dict[str, Any] = {"nation": lg.nation_code, "host": lg.host_code, "kind": lg.kind,
                           "in_force_from": max(0, first_period_from(start, period, lg.in_force_from))}  # type: ignore[arg-type]
    if lg.in_force_to is not None:
        out["in_force_to"] = _last_period(lg.in_force_to, start, period)
    if lg.probability is not None and lg.probability < 1:
        out["probability"] = lg.probability
    return out


def _last_period(day: Any, start: Any, period: str) -> int:
    """Return the last period an instrument ending on `day` covers whole (a mid-month lapse loses that month)."""
    return period_containing(start, period, day + timedelta(days=1)) - 1


def _gdp_shares(nations: list[str], *, db: Session) -> tuple[dict[str, float], list[NationFigure]]:
    """Return each nation's share of the group's GDP (latest year on record; nations without GDP get 0), and the
    figures used (their markings count towards the problem's)."""
    latest = _latest(nations, "gdp_usd", db=db)
    total = sum(f.value for f in latest.values())
    shares = {code: round(latest[code].value / total, 4) if code in latest and total else 0.0 for code in nations}
    return shares, list(latest.values())


def _latest(nations: list[str], indicator: str, *, db: Session) -> dict[str, NationFigure]:
    """Return each nation's latest visible figure of an indicator."""
    latest: dict[str, NationFigure] = {}
    for figure in db.scalars(select(NationFigure).where(NationFigure.indicator == indicator,
                                                        NationFigure.nation_code.in_(nations),
                                                        first_per_key(db, NationFigure, "nation_code", "indicator",
                                                                      "year"))):
        current = latest.get(figure.nation_code)
        if current is None or figure.year > current.year:
            latest[figure.nation_code] = figure
    return latest

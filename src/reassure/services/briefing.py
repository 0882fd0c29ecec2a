"""What a brief (printed or on screen) rests on, gathered once for one reader: the reported facts (verified,
unconfirmed, assumed), the scenario's pledged force, command and legal status, a stored plan with its no-backstop
what-if and robustness, the security picture with the rules' states and since when, the sources, and key takeaways
written from those figures, and the bottom line (services/decisions.py: the decisions needed, the shortfall, the
backstop, the rules, what changed since the previous brief); with the most restrictive marking of everything in it.
Two audiences read it: "staff" (the full brief, with annexes) and "minister" (two pages: the bottom line, the
situation).

`reassure brief`, the dashboard's download and `GET /api/v1/brief` render this object; none of them computes.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy.orm import Session

from reassure.core.errors import InputError, Problem
from reassure.core.labels import label
from reassure.core.map_period import ALL_DATES, MapPeriod, last_complete_month
from reassure.core.markings import Releasability, most_restrictive, parse_marking
from reassure.db.access import identity_of
from reassure.domains.audit.service import last_brief
from reassure.domains.command.schemas import CommandNodeRead
from reassure.domains.command.service import command_tree, flatten
from reassure.domains.evaluations.service import state_history
from reassure.domains.incidents.indicators import CategoryRow, attacks_by_category
from reassure.domains.incidents.service import region_counts
from reassure.domains.legal.schemas import LegalRead
from reassure.domains.legal.service import list_legal
from reassure.domains.movement.schemas import MovementRead
from reassure.domains.movement.service import list_movements
from reassure.domains.plans.schemas import PlanPicture
from reassure.domains.plans.service import default_plan, get_stored, plan_picture, verified_whatif_of, whatif_of
from reassure.domains.pledges.schemas import PledgeRead
from reassure.domains.pledges.service import list_pledges
from reassure.domains.preferences.service import default_scenario
from reassure.domains.requests.schemas import OpenAsks
from reassure.domains.requests.service import open_asks
from reassure.domains.scenarios.schemas import CoalitionSummary
from reassure.domains.scenarios.service import coalition_summary
from reassure.domains.sources.schemas import ClaimRead
from reassure.domains.sources.service import list_claims
from reassure.domains.tasks.service import list_tasks
from reassure.domains.verifications.service import standing_markings
from reassure.services.decisions import BottomLine, PreviousBrief, bottom_line
from reassure.services.phases import picture_with_rule_states
from reassure.services.renewals import STALE_DAYS, WINDOW_DAYS, RenewalsRead, renewals
from reassure.services.source_grades import CheckedSource, checked_sources

if TYPE_CHECKING:  # only annotations here: the CLI starts without the solver and polars
    from reassure.planner.analysis.robustness import RobustnessReport
    from reassure.services.situation import SituationPicture

STANDING_ORDER = {"verified": 0, "unconfirmed": 1, "assumption": 2}
AUDIENCES = ("staff", "minister")  # the full brief with its annexes; the two pages for a minister
SUMMIT_CLAIMS = "paris-2025-09-04"  # the key prefix of the seed articles' claims
POSITION_CLAIMS = "position."  # the key prefix of the reported national positions


@dataclass(frozen=True)
class FactsPicture:
    """Reported facts: an event's claims (verified, then unconfirmed, then assumptions) and each nation's reported
    positions, newest first. Every claim carries its sources and grade."""

    event: tuple[ClaimRead, ...]
    positions: dict[str, tuple[ClaimRead, ...]] = field(default_factory=dict)  # nation (or "ALL") → claims

    @property
    def markings(self) -> list[str]:
        """Return the markings of every claim shown."""
        return [c.marking for c in self.event] + [c.marking for cs in self.positions.values() for c in cs]


@dataclass(frozen=True)
class RuleSince:
    """A rule's state for the brief: met or not, since when (the start of its current span), or unknown."""

    rule_id: str
    rule_name: str
    kind: str
    met: bool | None  # None: unknown (no incident data, or the data does not cover the periods a condition needs)
    since: date | None
    as_of: date | None
    action: str
    evidence: int
    bundled: bool
    # Against the previous stored evaluations of this rule in the reader's nation's view (rules/compare.py): "met since
    # 3 Oct 2026 (unchanged)", "new this week: …", "changed since the last evaluation …"; and their markings.
    change: str = "no earlier evaluation stored"
    change_status: str = "first"
    compared_markings: tuple[str, ...] = ()
    conditions: tuple[str, ...] = ()  # each condition's state in words, with why it is unknown


@dataclass(frozen=True)
class BriefContext:
    """Everything a brief shows, for one reader; `marking` is the most restrictive marking of every part."""

    viewer: str
    audience: str  # whom every record in it is released to, in words: "FRA", "both DEU and FRA", "the public"
    preview: str | None  # an admin's preview of another nation, in words (None otherwise)
    public: bool  # only PUBLIC records (the reader's nation's REL TO records left out)
    generated_at: datetime
    as_of: date
    scenario: CoalitionSummary
    facts: FactsPicture
    claims: dict[str, list[ClaimRead]]  # by standing: verified, unconfirmed, assumption
    pledges: list[PledgeRead]
    legal: list[LegalRead]
    command: list[tuple[CommandNodeRead, int]]  # (node, depth), parents first
    plan: PlanPicture | None
    whatif: PlanPicture | None  # the stored no-backstop re-plan of `plan`, if any
    robustness: RobustnessReport | None
    situation: SituationPicture
    categories: list[CategoryRow]
    regions: dict[str, int]
    rules: list[RuleSince]
    sources: list[CheckedSource]
    takeaways: list[str]
    marking: str
    map_period: MapPeriod = ALL_DATES  # the days `regions` counts (core/map_period.py)
    audience_format: str = "staff"  # staff or minister (AUDIENCES)
    reader: str = ""  # whom the brief is read as, as its audit row names it: "FRA", "PUBLIC", a preview's line
    bottom: BottomLine | None = None  # the bottom line: page one of either audience
    previous: PreviousBrief | None = None  # the previous brief of this scenario for the same reader and audience
    renewals: RenewalsRead | None = None  # what lapses, must be renewed or is stale (docs/adr/0043)
    movements: list[MovementRead] = field(default_factory=list)  # restrictions on the force's movement, newest first
    movements_total: int = 0  # how many the reader sees (the annex lists the newest MOVEMENTS_SHOWN)
    asks: OpenAsks | None = None  # the open asks to nations, by nation and by gap (docs/adr/0046)
    verified: VerifiedOnlyPicture | None = None  # what counting only verified pledges costs (None: no plan)


@dataclass(frozen=True)
class VerifiedOnlyPicture:
    """The plan's pledges that a verification stands for, and the stored re-plan counting only them (docs/adr/0047):
    `whatif` None when none is stored; `period` the first period it counts only them from."""

    verified: int  # pledges of the plan's problem a verification stands for (some of their units)
    pledges: int  # pledges of the plan's problem
    whatif: PlanPicture | None
    period: int = 0


def verified_only_picture(plan: PlanPicture, *, db: Session) -> VerifiedOnlyPicture:
    """Return how many of the plan's pledges are verified (by the newest verification the plan was built on) and the
    newest stored re-plan of it counting only verified pledges, if the reader's nation stored one."""
    pledges = get_stored(plan.plan.id, db=db).problem.get("pledges") or []
    verified = sum(1 for p in pledges if (p.get("verified") or 0) > 0)
    found = verified_whatif_of(plan.plan.id, db=db)
    whatif = plan_picture(found[0], db=db, samples=0) if found is not None else None
    return VerifiedOnlyPicture(verified=verified, pledges=len(pledges), whatif=whatif,
                               period=found[1] if found is not None else 0)


def facts_picture(*, db: Session, event_prefix: str = SUMMIT_CLAIMS,
                  position_prefix: str = POSITION_CLAIMS) -> FactsPicture:
    """Return the claims of an event (by key prefix) and the reported national positions the viewer sees."""
    claims = list_claims(db=db)
    event = sorted((c for c in claims if c.key.startswith(event_prefix)),
                   key=lambda c: (STANDING_ORDER.get(c.standing, 9), c.key))
    by_nation: dict[str, list[ClaimRead]] = defaultdict(list)
    for c in claims:
        if c.key.startswith(position_prefix):
            by_nation[c.nation or "ALL"].append(c)
    positions = {n: tuple(sorted(cs, key=lambda c: (str(c.reported_on), c.key), reverse=True))
                 for n, cs in sorted(by_nation.items())}
    return FactsPicture(event=tuple(event), positions=positions)


def brief_context(scenario: str | None, *, db: Session, plan_id: str | None = None, as_of: date | None = None,
                  attack_date: date | None = None, incident: str | None = None,
                  now: datetime | None = None, stale_after_days: int = 14,
                  map_period: MapPeriod | None = None, audience: str = "staff",
                  expiry_window_days: int = WINDOW_DAYS, stale_record_days: int = STALE_DAYS) -> BriefContext:
    """Gather a brief for the session's reader: the scenario (the reader's nation's default when None; never a
    guess), the stored plan `plan_id` (a public id; else the newest plan of the scenario that is not a what-if and
    that the reader's nation made), the situation as of `as_of`, and the accounts side by side of the incident
    `incident` (a key), else of the attacks dated `attack_date`, else of the most recent attack night the reader
    sees accounts of from two or more sources (services/situation.choose_attacks). The incident map counts
    `map_period`, by default the most recent complete month before `as_of` (else the newest data, else today).
    `audience` is "staff" or "minister": what the previous brief compared with was written for (the bottom line is
    the same for both). The pledges and instruments that lapse or must be renewed within `expiry_window_days` of the
    situation's day, and the records last known true over `stale_record_days` before it, are its renewals annex."""
    if audience not in AUDIENCES:
        raise InputError([Problem("", "", "format", f"unknown brief format {audience!r}: minister or staff")])
    # Deferred: polars and the rules load only for a brief, the CLI starts without them (`python -X importtime`:
    # +214 modules, ~0.5 s wall, 0.17 s CPU on the 2-core build machine).
    from reassure.services.situation import situation_picture

    identity = identity_of(db)
    scenario = scenario or scenario_to_brief(db=db)
    summary = coalition_summary(scenario, db=db)
    claims = list_claims(db=db)
    by_standing: dict[str, list[ClaimRead]] = {"verified": [], "unconfirmed": [], "assumption": []}
    for claim in claims:
        by_standing.setdefault(claim.standing, []).append(claim)
    if plan_id is None:
        plan_id = default_plan(scenario, db=db)
    plan = plan_picture(plan_id, db=db) if plan_id is not None else None
    if plan is not None and plan.plan.scenario != scenario:
        raise InputError(f"plan {plan_id} is a plan of scenario {plan.plan.scenario!r}, not {scenario!r}")
    if plan is not None:  # the mission's phases with their entry rules' states (docs/adr/0044)
        plan = picture_with_rule_states(plan, db=db)
    whatif = None
    if plan is not None:
        backstop = plan.flags.get("us_backstop")  # its one comparison: the newest re-plan without the backstop
        child = whatif_of(plan.plan.id, db=db, flag="us_backstop", value=False) if backstop else None
        candidate = plan_picture(child, db=db, samples=0) if child is not None else None
        if candidate is not None and plan.flags.get("us_backstop") and not candidate.flags.get("us_backstop", True):
            whatif = candidate
    report = plan.robustness if plan is not None else None
    verified = verified_only_picture(plan, db=db) if plan is not None else None
    situation = situation_picture(db=db, choose=True, attack_date=attack_date, attack_incident=incident, last=12,
                                  today=(now or datetime.now(UTC)).date(), stale_after_days=stale_after_days,
                                  scenario=scenario)
    rules = _rules_since(situation, db=db, as_of=as_of, today=(now or datetime.now(UTC)).date(), scenario=scenario)
    legal = list_legal(scenario, db=db)
    command = flatten(command_tree(scenario, db=db))
    pledges = list_pledges(db=db, scenario=scenario)
    sources = checked_sources(db=db)
    movements = list_movements(db=db)
    categories = attacks_by_category(db=db, every="month", last=12)
    newest = situation.staleness.newest if situation.staleness else None
    shown = map_period or last_complete_month(as_of or newest or (now or datetime.now(UTC)).date())
    regions = region_counts(db=db, start=shown.start, end=shown.end)
    facts = facts_picture(db=db)
    tasks = list_tasks(scenario, db=db)
    due = renewals(db=db, scenario=scenario, today=as_of or (now or datetime.now(UTC)).date(),
                   window_days=expiry_window_days, stale_days=stale_record_days)
    asked = open_asks(db=db, scenario=scenario, today=as_of or (now or datetime.now(UTC)).date())
    reader = "PUBLIC" if identity.public_only else identity.preview or identity.audience
    found = last_brief(scenario, reader, audience, db=db)
    previous = PreviousBrief(at=found[0], figures=found[1]) if found is not None else None
    markings = [*facts.markings, *(t.marking for t in tasks),
                summary.scenario.marking, situation.marking, *(c.marking for c in claims),
                *(p.marking for p in pledges), *(lg.marking for lg in legal), *(n.marking for n, _ in command),
                *(s.marking for s in sources), *([due.marking] if due.marking else []),
                *(m.marking for m in movements), *([asked.marking] if asked.marking else [])]
    markings += [pic.plan.marking for pic in (plan, whatif, verified.whatif if verified else None) if pic is not None]
    markings += standing_markings(scenario, db=db)  # the verifications the pledges' standings rest on
    markings += [ph.rule_marking for ph in (plan.phases if plan is not None else []) if ph.rule_marking]
    markings += [str(Releasability.from_column(m)) for r in rules for m in r.compared_markings]
    marking = most_restrictive(*(parse_marking(m) for m in markings))
    context = BriefContext(
        viewer=str(identity), audience=identity.audience, preview=identity.preview, public=identity.public_only,
        generated_at=now or datetime.now(UTC), as_of=as_of or (situation.rules[0].as_of if situation.rules else
                                                               (now or datetime.now(UTC)).date()),
        scenario=summary, facts=facts, claims=by_standing, pledges=pledges, legal=legal, command=command, plan=plan,
        whatif=whatif, robustness=report, situation=situation, categories=categories, regions=regions, rules=rules,
        sources=sources, takeaways=[], marking=str(marking), map_period=shown, audience_format=audience,
        reader=reader, previous=previous, renewals=due, movements=movements[:MOVEMENTS_SHOWN],
        movements_total=len(movements), asks=asked, verified=verified)
    names = {t.key: t.name for t in tasks}
    return replace(context, takeaways=takeaways(context), bottom=bottom_line(context, previous, names))


MOVEMENTS_SHOWN = 20

NO_DEFAULT = ("no scenario named and your nation has no default scenario: name one (--scenario NAME, or `scenario` "
              "in the API), or ask your nation's admin to set a default (`reassure nation default-scenario NAME`)")


def scenario_to_brief(*, db: Session) -> str:
    """Return the reader's nation's default scenario, or raise InputError asking for one (never a guess by name)."""
    found = default_scenario(db=db)
    if found is None:
        raise InputError([Problem("", "", "scenario", NO_DEFAULT)])
    return found


def takeaways(brief: BriefContext) -> list[str]:
    """Write the key takeaways from the brief's own figures (each sentence rests on a figure shown below it)."""
    out = []
    if brief.plan is not None:
        p = brief.plan.plan
        line = (f"The stored plan (planning assumptions) covers {p.coverage:.1%} of the demanded unit-months; no "
                f"plan with these pledges can exceed {p.bound:.1%} (proven bound), so it is {p.distance}.")
        if brief.plan.gaps:
            worst = max(brief.plan.gaps, key=lambda g: g["missing"] * len(g["periods"]))
            reason = str(worst["reason"]).split(": ", 1)[-1]
            line += (f" The largest gap is {worst['task']}, {worst['missing']} unit(s) short from {worst['from']} to "
                     f"{worst['to']}: {reason[:200]}{'…' if len(reason) > 200 else ''}")
        out.append(line)
    for pic, whose in ((brief.plan, "the plan"), (brief.whatif, "the plan without the US backstop")):
        if pic is not None and pic.asks is not None and pic.asks.lines:
            out.append(f"Force generation ({whose}): {pic.asks.lines[0]}")
    if brief.whatif is not None and brief.plan is not None:
        out.append(f"Without the US backstop, coverage falls from {brief.plan.plan.coverage:.1%} to "
                   f"{brief.whatif.plan.coverage:.1%} ({brief.whatif.plan.gaps} gaps instead of "
                   f"{brief.plan.plan.gaps}); that re-plan is {brief.whatif.plan.distance}.")
    if brief.robustness is not None:
        r = brief.robustness
        out.append(f"If pledges fall short (each unit may fail to materialise, ranges and undisclosed sizes drawn "
                   f"across their spread, whole governments may withdraw: assumed probabilities), the plan keeps "
                   f"{r.p50:.1%} in the middle case and has a 5th percentile of {r.p5:.1%} over {r.samples:,} "
                   "samples.")
        if r.nations and r.nations[0].drop_if_lost > 0:
            out.append(f"The withdrawal that would cost most is {r.nations[0].name}'s: "
                       f"{r.nations[0].drop_if_lost:.1%} of coverage.")
    met = [r for r in brief.rules if r.met]
    for rule in met:
        since = f" since {rule.since}" if rule.since else ""
        out.append(f"{rule.rule_name} ({label('rule_kind', rule.kind)}) is met{since} as of {rule.as_of}: "
                   f"{rule.action}")
    if brief.rules and all(r.met is False for r in brief.rules):
        out.append("No exit condition, trigger or alert is met on the incidents released to this reader.")
    launches = launches_takeaway(brief.situation)
    if launches:
        out.append(launches)
    elif not brief.situation.has_incidents:
        out.append("No incident data is released to this reader: the security picture is unknown, not quiet.")
    unknown = [r for r in brief.rules if r.met is None and brief.situation.has_incidents]
    if unknown:
        out.append("Unknown, not met: " + "; ".join(f"{r.rule_name} ({label('rule_kind', r.kind)})" for r in unknown)
                   + " — the data does not cover the periods these rules need (see the rules' coverage).")
    stale = brief.situation.staleness
    if stale is not None and stale.stale and stale.newest is not None:
        out.append(f"The security picture is stale: its newest data is of {stale.newest:%-d %b %Y}, "
                   f"{stale.age_days} days before {stale.today:%-d %b %Y}.")
    return out


def launches_takeaway(situation: SituationPicture) -> str | None:
    """Say how launches over the last three periods compare with the three before, per day of data, naming any
    partly covered period (None when six periods of known figures are not at hand)."""
    c = situation.launches
    if c is None or c.change_per_day is None:
        return None
    unit = {"month": "months", "week": "weeks", "day": "days"}.get(situation.every, "periods")
    fmt = "%b %Y" if situation.every == "month" else "%-d %b %Y"
    text = (f"Reported launches per day, the last three {unit} ({c.recent.first:{fmt}}–{c.recent.last:{fmt}}) vs the "
            f"three before: {c.recent.per_day:,.1f} vs {c.before.per_day:,.1f} a day, {c.change_per_day:+.0%}")
    if c.partial:
        named = "; ".join(f"{_period_name(p.period_start, situation.every)} has data for {p.covered_days} of "
                          f"{p.days} days" for p in c.partial)
        total = f" (the raw totals, {c.change_total:+.0%}, would mislead)" if c.change_total is not None else ""
        text += f"; {named}{total}."
    else:
        text += "."
    return text


def _period_name(start: date, every: str) -> str:
    if every == "month":
        return f"{start:%B %Y}"
    return f"the {every} of {start:%-d %b %Y}"


def _streak_and_before(history: list[Any], current: str) -> list[Any]:
    """Return the stored evaluations a comparison rests on: those agreeing with the current state, newest first, and
    the one before them."""
    streak = 0
    while streak < len(history) and history[streak].state == current:
        streak += 1
    return history[:streak + 1]


def _rules_since(situation: SituationPicture, *, db: Session, as_of: date | None,
                 today: date | None = None, scenario: str | None = None) -> list[RuleSince]:
    # Deferred: polars and the rules, as in brief_context (the CLI starts without them; +214 modules, ~0.5 s).
    from reassure.rules import load_bundled_rules
    from reassure.rules.compare import compare_with_stored
    from reassure.services.situation import backtest_rule

    rules = {r.id: r for r in load_bundled_rules()}
    out = []
    for state in situation.rules:
        since = None
        known = situation.has_incidents
        if state.met and state.rule_id in rules:
            timeline = backtest_rule(rules[state.rule_id], db=db, scenario=scenario)
            if timeline is not None and timeline.spans and timeline.spans[-1].end is None:
                since = timeline.spans[-1].start
        evidence = sum(len(c.incident_ids) for c in state.evaluation.conditions)
        words = {"met": "met", "not_met": "not met", "unknown": "unknown"}
        conditions = tuple(f"{c.words}: {words[c.state]}" + (f" — {c.note.removeprefix('unknown: ')}"
                                                            if c.state == "unknown" and c.note else "")
                           for c in state.evaluation.conditions) if known else ()
        met = state.met if known and state.state != "unknown" else None
        history = state_history(state.rule_id, db=db)
        current = "unknown" if met is None else ("met" if met else "not met")
        compared = compare_with_stored(current, [(h.state, h.created_at.date()) for h in history],
                                       today or datetime.now(UTC).date())
        used = history[:1] if compared.status == "changed" else _streak_and_before(history, current)
        out.append(RuleSince(rule_id=state.rule_id, rule_name=state.rule_name, kind=state.kind,
                             met=met, since=since, as_of=state.as_of if known else None,
                             action=state.action, evidence=evidence, bundled=state.bundled, change=compared.text,
                             change_status=compared.status,
                             compared_markings=tuple(dict.fromkeys(h.rel_to for h in used)),
                             conditions=conditions))
    return out

"""What a brief (printed or on screen) rests on, gathered once for one reader: the reported facts (verified,
unconfirmed, assumed), the scenario's pledged force, command and legal status, a stored plan with its no-backstop
what-if and robustness, the security picture with the rules' states and since when, the sources, and key takeaways
written from those figures; with the most restrictive marking of everything in it.

`reassure brief`, the dashboard's download and `GET /api/v1/brief` render this object; none of them computes.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING

from sqlalchemy.orm import Session

from reassure.core.errors import InputError, Problem
from reassure.core.markings import most_restrictive, parse_marking
from reassure.db.access import identity_of
from reassure.domains.command.schemas import CommandNodeRead
from reassure.domains.incidents.indicators import CategoryRow
from reassure.domains.legal.schemas import LegalRead
from reassure.domains.plans.schemas import PlanPicture as StoredPlanPicture
from reassure.domains.pledges.schemas import PledgeRead
from reassure.domains.scenarios.schemas import CoalitionSummary
from reassure.domains.scenarios.service import coalition_summary
from reassure.domains.sources.schemas import ClaimRead, SourceRead
from reassure.domains.sources.service import list_claims

if TYPE_CHECKING:  # only annotations here: the CLI starts without the solver and polars
    from reassure.planner.analysis.robustness import RobustnessReport
    from reassure.services.situation import SituationPicture

STANDING_ORDER = {"verified": 0, "unconfirmed": 1, "assumption": 2}
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
    met: bool | None  # None: no incident data covers the period
    since: date | None
    as_of: date | None
    action: str
    evidence: int
    bundled: bool


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
    plan: StoredPlanPicture | None
    whatif: StoredPlanPicture | None  # the stored no-backstop re-plan of `plan`, if any
    robustness: RobustnessReport | None
    situation: SituationPicture
    categories: list[CategoryRow]
    regions: dict[str, int]
    rules: list[RuleSince]
    sources: list[SourceRead]
    takeaways: list[str]
    marking: str


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
                  attack_window: tuple[date, date] = (date(2025, 9, 3), date(2025, 9, 5)),
                  attack_source: str | None = "seed-000", now: datetime | None = None) -> BriefContext:
    """Gather a brief for the session's reader: the scenario (the reader's nation's default when None; never a
    guess), the stored plan `plan_id` (a public id; else the newest plan of the scenario that is not a what-if and
    that the reader's nation made), the situation as of `as_of`."""
    from reassure.domains.command.service import command_tree, flatten
    from reassure.domains.incidents.indicators import attacks_by_category
    from reassure.domains.incidents.service import region_counts
    from reassure.domains.legal.service import list_legal
    from reassure.domains.plans.service import default_plan, plan_picture, whatif_of
    from reassure.domains.pledges.service import list_pledges
    from reassure.domains.sources.service import list_sources
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
    whatif = None
    if plan is not None:
        child = whatif_of(plan.plan.id, db=db)
        candidate = plan_picture(child, db=db) if child is not None else None
        if candidate is not None and plan.flags.get("us_backstop") and not candidate.flags.get("us_backstop", True):
            whatif = candidate
    report = _robustness(plan_id, db=db) if plan_id is not None else None
    situation = situation_picture(db=db, attack_window=attack_window, attack_source=attack_source, last=12,
                                  scenario=scenario)
    rules = _rules_since(situation, db=db, as_of=as_of, scenario=scenario)
    legal = list_legal(scenario, db=db)
    command = flatten(command_tree(scenario, db=db))
    pledges = list_pledges(db=db, scenario=scenario)
    sources = list_sources(db=db)
    categories = attacks_by_category(db=db, every="month", last=12)
    regions = region_counts(db=db)
    facts = facts_picture(db=db)
    markings = [*facts.markings, summary.scenario.marking, situation.marking, *(c.marking for c in claims),
                *(p.marking for p in pledges), *(lg.marking for lg in legal), *(n.marking for n, _ in command),
                *(s.marking for s in sources)]
    markings += [pic.plan.marking for pic in (plan, whatif) if pic is not None]
    marking = most_restrictive(*(parse_marking(m) for m in markings))
    context = BriefContext(
        viewer=str(identity), audience=identity.audience, preview=identity.preview, public=identity.public_only,
        generated_at=now or datetime.now(UTC), as_of=as_of or (situation.rules[0].as_of if situation.rules else
                                                               (now or datetime.now(UTC)).date()),
        scenario=summary, facts=facts, claims=by_standing, pledges=pledges, legal=legal, command=command, plan=plan,
        whatif=whatif, robustness=report, situation=situation, categories=categories, regions=regions, rules=rules,
        sources=sources, takeaways=[], marking=str(marking))
    return replace(context, takeaways=takeaways(context))


NO_DEFAULT = ("no scenario named and your nation has no default scenario: name one (--scenario NAME, or `scenario` "
              "in the API), or ask your nation's admin to set a default (`reassure nation default-scenario NAME`)")


def scenario_to_brief(*, db: Session) -> str:
    """Return the reader's nation's default scenario, or raise InputError asking for one (never a guess by name)."""
    from reassure.domains.preferences.service import default_scenario

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
                f"plan with these pledges can exceed {p.bound:.1%} (proven bound).")
        if brief.plan.gaps:
            worst = max(brief.plan.gaps, key=lambda g: g["missing"] * len(g["periods"]))
            reason = str(worst["reason"]).split(": ", 1)[-1]
            line += (f" The largest gap is {worst['task']}, {worst['missing']} unit(s) short from {worst['from']} to "
                     f"{worst['to']}: {reason[:200]}{'…' if len(reason) > 200 else ''}")
        out.append(line)
    if brief.whatif is not None and brief.plan is not None:
        out.append(f"Without the US backstop, coverage falls from {brief.plan.plan.coverage:.1%} to "
                   f"{brief.whatif.plan.coverage:.1%} ({brief.whatif.plan.gaps} gaps instead of "
                   f"{brief.plan.plan.gaps}).")
    if brief.robustness is not None:
        out.append(f"If each pledged unit may fail to materialise (assumed probabilities), coverage has a 5th "
                   f"percentile of {brief.robustness.p5:.1%} over {brief.robustness.samples:,} samples.")
    met = [r for r in brief.rules if r.met]
    for rule in met:
        since = f" since {rule.since}" if rule.since else ""
        out.append(f"{rule.rule_name} ({rule.kind.replace('_', ' ')}) is met{since} as of {rule.as_of}: "
                   f"{rule.action}")
    if brief.rules and all(r.met is False for r in brief.rules):
        out.append("No exit condition, trigger or alert is met on the incidents released to this reader.")
    rows = [r for r in brief.situation.indicators if r.launched is not None]
    if len(rows) >= 6:
        recent, before = rows[-3:], rows[-6:-3]
        now_sum, then_sum = sum(r.launched or 0 for r in recent), sum(r.launched or 0 for r in before)
        if then_sum:
            change = (now_sum - then_sum) / then_sum
            out.append(f"Reported launches over the last three months ({recent[0].period_start:%b %Y}–"
                       f"{recent[-1].period_start:%b %Y}): {now_sum:,}, {change:+.0%} on the three before.")
    elif not brief.situation.has_incidents:
        out.append("No incident data is released to this reader: the security picture is unknown, not quiet.")
    return out


def _robustness(plan_id: str, *, db: Session) -> RobustnessReport | None:
    from reassure.domains.plans.service import get_plan
    from reassure.planner.analysis.robustness import robustness
    from reassure.planner.instance import Plan, Problem

    stored = get_plan(plan_id, db=db)
    return robustness(Problem.model_validate(stored.problem), Plan.model_validate(stored.plan).tours, samples=2000,
                      seed=1, top=5)


def _rules_since(situation: SituationPicture, *, db: Session, as_of: date | None,
                 scenario: str | None = None) -> list[RuleSince]:
    from reassure.rules import load_bundled_rules
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
        out.append(RuleSince(rule_id=state.rule_id, rule_name=state.rule_name, kind=state.kind,
                             met=state.met if known else None, since=since, as_of=state.as_of if known else None,
                             action=state.action, evidence=evidence, bundled=state.bundled))
    return out

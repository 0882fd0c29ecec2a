"""The bottom line of a brief (issue 25, docs/adr/0035): the decisions officials are asked to take, the force's
shortfall and what closes it, what the absence of the US backstop costs, the state of the exit conditions and
triggers, what changed since the previous brief, and the situation in a few backed sentences.

Every sentence is a `Backed`: its words, with the figure's basis (a source and grade, or "planning assumption").
Computed here from the brief's own plain data, never in a template; text for people goes through the label
catalogue (core/labels.py). Nothing here reads the database: `bottom_line` is a pure function of what the reader
was released, so a decision never names a record the reader cannot see.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from reassure.core.expiry import EXPIRING
from reassure.core.labels import capability_label, flag_label, label
from reassure.core.nations import nation_label

if TYPE_CHECKING:
    from reassure.domains.incidents.indicators import IndicatorRow
    from reassure.domains.plans.schemas import AskRow, AsksPicture, PlanRead
    from reassure.domains.pledges.schemas import PledgeRead
    from reassure.domains.sources.schemas import ClaimRead
    from reassure.services.briefing import BriefContext, RuleSince
    from reassure.services.renewals import RenewalsRead

ASSUMPTION = "planning assumption"
TOP_ASKS = 2  # asks named one by one on page one; the others are counted, and listed in the staff brief
TOP_FACTS = 6  # key facts on the situation page
DECIDING_KINDS = ("trigger", "exit_condition")  # a rule of these kinds met asks for a decision; alerts go to the watch
PREMISE = "ceasefire_in_force"  # no condition to secure: the force's premise
BACKSTOP = "us_backstop"  # confirmed, not secured: by the stored what-if when there is one, else by the units at stake


@dataclass(frozen=True)
class Backed:
    """A sentence for people and what its figure rests on: "source …, grade B2" or "planning assumption …"."""

    text: str
    basis: str


@dataclass(frozen=True)
class Decision:
    """A decision officials are asked to take ("Confirm the US backstop"), why, in figures, and their basis."""

    ask: str
    why: str
    basis: str


@dataclass(frozen=True)
class PreviousBrief:
    """The previous brief of the same scenario for the same reader and audience, from the audit log: when it was
    rendered and the figures it showed (None when that row stored none)."""

    at: datetime
    figures: Mapping[str, Any] | None


@dataclass(frozen=True)
class BottomLine:
    """Page one (decisions, force, backstop, rules, changes) and page two (facts, attacks) of a brief, and the
    figures to compare with at the next brief (kept in the audit row of this one)."""

    decisions: list[Decision]
    force: list[Backed]
    backstop: list[Backed]
    rules: list[Backed]
    changes: list[Backed]
    facts: list[Backed]
    attacks: list[Backed]
    figures: dict[str, Any] = field(default_factory=dict)
    verified: list[Backed] = field(default_factory=list)  # what counting only verified pledges costs (ADR 0047)


def day(d: date | datetime) -> str:
    """Return a day as people read it: "4 Dec 2026"."""
    return f"{d.day} {d:%b %Y}"


def plan_name(plan: PlanRead) -> str:
    """Name a stored plan for people, never by its id: "the baseline plan of 4 Dec 2026"."""
    kind = "baseline plan" if plan.base is None else "re-plan"
    named = f" “{plan.label}”" if plan.label else ""
    return f"the {kind}{named} of {day(plan.created_at)}"


def _and(items: Sequence[str]) -> str:
    items = list(dict.fromkeys(items))
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1] if items else ""


def _first_sentence(text: str) -> str:
    head = text.strip().split(". ", 1)[0].split("; ", 1)[0].rstrip(".")
    return head[:1].upper() + head[1:]


def rule_decisions(rules: Sequence[RuleSince], basis: str) -> list[Decision]:
    """Return a decision for each trigger or exit condition that is met: its action ("Convene a sanctions review
    …"), with since when and on how many incidents (alerts are the watch officer's, not a decision)."""
    out = []
    for r in sorted(rules, key=lambda r: DECIDING_KINDS.index(r.kind) if r.kind in DECIDING_KINDS else 9):
        if r.met and r.kind in DECIDING_KINDS:
            since = f" since {day(r.since)}" if r.since else ""
            as_of = f" as of {day(r.as_of)}" if r.as_of else ""
            out.append(Decision(
                ask=_first_sentence(r.action),
                why=f"the {label('rule_kind', r.kind)} “{r.rule_name}” is met{since}{as_of}, on {r.evidence} "
                    f"reported incident{'s' if r.evidence != 1 else ''}",
                basis=f"{basis}; its threshold is a {ASSUMPTION}" if r.bundled else basis))
    return out


NEXT_BRIEF_DAYS = 7  # briefs are weekly: what lapses or falls due within a week does so before the next one


def renewal_decisions(due: RenewalsRead | None, within: int = NEXT_BRIEF_DAYS) -> list[Decision]:
    """Return a decision to renew each pledge or legal instrument that lapses or must be renewed within `within` days
    (before the next brief), or has already and is still counted on (docs/adr/0043)."""
    if due is None:
        return []
    out = []
    for i in due.expiring:
        if i.days > within:
            continue
        when = (f"{'lapsed' if i.what == 'lapses' else 'fell due'} on {day(i.on)}" if i.days < 0 else
                f"{'lapses' if i.what == 'lapses' else 'must be renewed'} on {day(i.on)}, in {i.days} "
                f"day{'s' if i.days != 1 else ''}")
        subject = f"{label('follows', i.record)} {i.key} ({i.nation}, {i.subject})"
        out.append(Decision(ask=f"Renew the {subject}" + (f" by {i.renewal}" if i.renewal else ""),
                            why=f"it {when}, before the next brief", basis=f"the registry, {i.marking}"))
    return out


def backstop_decision(plan: PlanRead, whatif: PlanRead) -> Decision:
    """Return the decision to confirm the US backstop, with what its absence costs in the stored what-if."""
    return Decision(
        ask="Confirm the US backstop",
        why=f"without it, {plan_name(plan)} covers {whatif.coverage:.1%} of the demand instead of {plan.coverage:.1%} "
            f"({whatif.gaps} gaps instead of {plan.gaps})",
        basis=f"{ASSUMPTION}: {plan_name(plan)} and its re-plan without the backstop of {day(whatif.created_at)}")


def _ask_groups(rows: Sequence[AskRow]) -> list[tuple[str, list[AskRow]]]:
    groups: dict[str, list[AskRow]] = {}
    for row in rows:
        groups.setdefault(row.capability, []).append(row)
    return sorted(groups.items(), key=lambda kv: (-sum(r.adds for r in kv[1]), kv[0]))


def ask_decisions(asks: AsksPicture, tasks: Mapping[str, str], *, whose: PlanRead, failing_backstop: bool,
                  top: int = TOP_ASKS) -> list[Decision]:
    """Return the force-generation asks stored with a plan as decisions, by capability, the largest first: "Ask
    Australia and Poland for 2 engineer companies from Oct 2027"; the rest counted in one more decision."""
    groups = _ask_groups(asks.rows)
    basis = f"{ASSUMPTION}: the asks stored with {plan_name(whose)}, checked by re-solving"
    lead = "Failing the backstop, ask" if failing_backstop else "Ask"
    out = []
    for capability, rows in groups[:top]:
        count = sum(r.count for r in rows)
        first = min(rows, key=lambda r: r.start)
        closes = _and([tasks.get(t, t) for r in rows for t in r.close_tasks][:3])
        why = f"adds {sum(r.adds for r in rows):.1%} coverage" + (f"; closes gaps in {closes}" if closes else "")
        out.append(Decision(ask=f"{lead} {_and([r.nation for r in rows])} for {count} more "
                                f"{capability_label(capability, count)} from {first.start_label}",
                            why=why, basis=basis))
    rest = groups[top:]
    if rest:
        units = sum(r.count for _, rows in rest for r in rows)
        adds = sum(r.adds for _, rows in rest for r in rows)
        out.append(Decision(ask=f"{lead} for {units} further unit{'s' if units != 1 else ''} of "
                                f"{len(rest)} other capabilit{'ies' if len(rest) != 1 else 'y'}",
                            why=f"together they add {adds:.1%} coverage (listed in the staff brief)", basis=basis))
    return out


def condition_decisions(pledges: Sequence[PledgeRead], flags: Mapping[str, bool],
                        skip: Sequence[str] = (PREMISE,)) -> list[Decision]:
    """Return a decision for each condition the scenario assumes met that pledged units depend on ("Secure the UK
    parliamentary vote: 6 units of the United Kingdom depend on it"), counted on the pledges the reader sees."""
    out = []
    for flag, assumed in flags.items():
        if not assumed or flag in skip:
            continue
        held = [p for p in pledges if flag in p.conditions]
        if not held:
            continue
        units = sum(p.planned_units for p in held)
        personnel = sum(p.planned_units * p.personnel_per_unit for p in held)
        standing = "reported" if all(p.standing != "assumption" for p in held) else ASSUMPTION
        grades = sorted({p.grade for p in held if p.grade})
        out.append(Decision(
            ask=f"Confirm the {flag_label(flag)}" if flag == BACKSTOP else f"Secure the {flag_label(flag)}",
            why=f"{units} pledged unit{'s' if units != 1 else ''} ({personnel:,} personnel a rotation) of "
                f"{_and([nation_label(p.nation) for p in held])} depend on it; the planning assumes it",
            basis=f"pledges ({standing}{', grade ' + ', '.join(grades) if grades else ''})"))
    return out


def _gap_words(gap: Mapping[str, Any], tasks: Mapping[str, str]) -> str:
    start, end = date.fromisoformat(str(gap["from"])), date.fromisoformat(str(gap["to"]))
    return f"{tasks.get(str(gap['task']), str(gap['task']))}, {gap['missing']} unit(s) short {start:%b %Y}–{end:%b %Y}"


def force_lines(brief: BriefContext, tasks: Mapping[str, str]) -> list[Backed]:
    """Return the force's shortfall and what closes it, in backed sentences."""
    if brief.plan is None:
        return [Backed("No stored plan of this scenario is released to this reader: the shortfall is unknown.",
                       "no plan")]
    p = brief.plan.plan
    basis = f"{ASSUMPTION}: {plan_name(p)}"
    out = [Backed(f"The force covers {p.coverage:.1%} of the demand (priority-weighted unit-months) in {plan_name(p)}; "
                  f"no plan with these pledges can exceed {p.bound:.1%}. {p.gaps} gaps remain.", basis)]
    if brief.plan.gaps:
        worst = sorted(brief.plan.gaps, key=lambda g: -g["missing"] * len(g["periods"]))[:2]
        out.append(Backed("The largest: " + "; ".join(_gap_words(g, tasks) for g in worst) + ".", basis))
    if brief.plan.asks is not None and brief.plan.asks.units:
        a = brief.plan.asks
        out.append(Backed(f"What closes it: {a.units} more units as asked below lift the plan to {a.coverage:.1%} "
                          "(re-solved).", f"{ASSUMPTION}: the asks stored with {plan_name(p)}"))
    elif p.bound - p.coverage < 0.005 or not brief.plan.gaps:
        out.append(Backed("What closes it: only new pledges; the pledged force is used as fully as it can be.", basis))
    else:
        out.append(Backed(f"What closes it: a better plan may add up to {p.bound - p.coverage:.1%}; beyond that only "
                          "new pledges.", basis))
    if brief.robustness is not None:
        r = brief.robustness
        out.append(Backed(f"If pledges fall short, the plan keeps {r.p50:.1%} in the middle case and less than "
                          f"{r.p5:.1%} one time in twenty.",
                          f"{ASSUMPTION}: assumed probabilities of each pledge, {r.samples:,} samples"))
    return out


def backstop_lines(brief: BriefContext) -> list[Backed]:
    """Return what the absence of the US backstop costs (or that no stored what-if says so)."""
    if brief.plan is None:
        return []
    p = brief.plan.plan
    if brief.whatif is None:
        state = brief.plan.flags.get("us_backstop")
        if state is None:
            return []
        return [Backed("What the absence of the US backstop costs is unknown: no re-plan without it is stored"
                       + (" (this plan assumes the backstop)." if state else " (this plan assumes none)."),
                       f"{ASSUMPTION}: {plan_name(p)}")]
    w = brief.whatif.plan
    basis = f"{ASSUMPTION}: {plan_name(p)} and its re-plan without the backstop of {day(w.created_at)}"
    text = (f"Its absence costs {(p.coverage - w.coverage) * 100:.1f} points of coverage ({p.coverage:.1%} to "
            f"{w.coverage:.1%}) and {w.gaps - p.gaps} more gaps")
    a = brief.whatif.asks
    if a is not None and a.units:
        text += f"; {a.units} more units from the coalition would {'restore' if a.reached else 'lift'} it to " \
                f"{a.coverage:.1%} (re-solved, with the asks stored with the re-plan)"
    return [Backed(text + ".", basis)]


def verified_lines(brief: BriefContext) -> list[Backed]:
    """Return what counting only verified pledges costs, from the stored re-plan counting only them; or that no pledge
    is verified yet, or that no such re-plan is stored (never a figure that was not computed)."""
    if brief.plan is None or brief.verified is None:
        return []
    p, v = brief.plan.plan, brief.verified
    if v.verified == 0:
        return [Backed(f"No pledge of {plan_name(p)} is verified yet: what counting only verified pledges would cost "
                       "is not computed.", f"verifications: none on record for its {v.pledges} pledges")]
    share = f"{v.verified} of {v.pledges} pledges verified"
    if v.whatif is None:
        return [Backed(f"What counting only verified pledges costs is unknown: no re-plan counting only them is "
                       f"stored ({share}).", f"{ASSUMPTION}: {plan_name(p)}")]
    w = v.whatif.plan
    basis = (f"{ASSUMPTION}: {plan_name(p)} and its re-plan counting only verified pledges of {day(w.created_at)}; "
             "verifications as recorded")
    since = f" from period {v.period}" if v.period else ""
    if round(w.coverage, 3) == round(p.coverage, 3):
        text = f"Counting only verified pledges{since}, coverage stays at {p.coverage * 100:.1f} % ({share})."
    else:
        move = "falls" if w.coverage < p.coverage else "rises"
        text = (f"Counting only verified pledges{since}, coverage {move} from {p.coverage * 100:.1f} % to "
                f"{w.coverage * 100:.1f} % ({share}; {w.gaps - p.gaps:+d} gaps).")
    return [Backed(text, basis)]


def rule_lines(rules: Sequence[RuleSince], has_incidents: bool, basis: str) -> list[Backed]:
    """Return the exit conditions, triggers and alerts in backed sentences: each one met by itself (since when),
    then those not met in one sentence and those unknown in another (why)."""
    if any(r.bundled for r in rules):
        basis = f"{basis}; thresholds are {ASSUMPTION}s"
    as_of = max((r.as_of for r in rules if r.as_of), default=None)
    when = f" as of {day(as_of)}" if as_of else ""
    out = []
    for r in rules:
        if r.met:
            since = f" since {day(r.since)}" if r.since else ""
            out.append(Backed(f"{r.rule_name} ({label('rule_kind', r.kind)}): met{since}{when}.", basis))
    names = [f"{r.rule_name} ({label('rule_kind', r.kind)})" for r in rules if r.met is False]
    if names:
        out.append(Backed(f"Not met{when}: {'; '.join(names)}.", basis))
    names = [f"{r.rule_name} ({label('rule_kind', r.kind)})" for r in rules if r.met is None]
    if names:
        why = ("no incident data is released to this reader" if not has_incidents
               else "the data does not cover the periods they need")
        out.append(Backed(f"Unknown, not met ({why}): {'; '.join(names)}.", basis))
    return out


def figures_of(brief: BriefContext) -> dict[str, Any]:
    """Return the figures a later brief compares with (kept in this brief's audit row)."""
    out: dict[str, Any] = {"rules": {r.rule_name: _state(r.met) for r in brief.rules}}
    if brief.plan is not None:
        out |= {"coverage": round(brief.plan.plan.coverage, 4), "gaps": brief.plan.plan.gaps,
                "plan": plan_name(brief.plan.plan)}
    if brief.whatif is not None:
        out["without_backstop"] = round(brief.whatif.plan.coverage, 4)
    return out


def _state(met: bool | None) -> str:
    return "unknown" if met is None else "met" if met else "not met"


def what_changed(previous: PreviousBrief | None, figures: Mapping[str, Any]) -> list[Backed]:
    """Say what changed since the previous brief, figure by figure (or that this is the first one)."""
    if previous is None:
        return [Backed("First brief of this scenario for this reader: nothing earlier to compare with.", "audit log")]
    basis = f"the brief of {day(previous.at)} (audit log)"
    before = previous.figures
    if before is None:
        return [Backed(f"The previous brief, of {day(previous.at)}, kept no figures to compare with.", basis)]
    out = []
    if before.get("plan") != figures.get("plan") and figures.get("plan"):
        out.append(f"the plan is now {figures['plan']}" + (f" (was {before['plan']})" if before.get("plan") else ""))
    for key, words in (("coverage", "coverage"), ("without_backstop", "coverage without the US backstop")):
        old, new = before.get(key), figures.get(key)
        if isinstance(old, int | float) and isinstance(new, int | float) and abs(old - new) >= 0.0005:
            out.append(f"{words} {new:.1%} (was {old:.1%})")
    if isinstance(before.get("gaps"), int) and isinstance(figures.get("gaps"), int) and \
            before["gaps"] != figures["gaps"]:
        out.append(f"{figures['gaps']} gaps (was {before['gaps']})")
    old_rules = before.get("rules") or {}
    for name, state in (figures.get("rules") or {}).items():
        if name not in old_rules:
            out.append(f"{name}: {state} (not in the previous brief)")
        elif old_rules[name] != state:
            out.append(f"{name}: now {state} (was {old_rules[name]})")
    if not out:
        return [Backed(f"No change since the brief of {day(previous.at)} in the plan's figures or the rules' states.",
                       basis)]
    return [Backed(f"Since the brief of {day(previous.at)}: " + "; ".join(out) + ".", basis)]


def fact_lines(claims: Sequence[ClaimRead], top: int = TOP_FACTS) -> list[Backed]:
    """Return the key reported facts (verified first, newest first), each with nation, source and grade."""
    order = {"verified": 0, "unconfirmed": 1}
    chosen = sorted((c for c in claims if c.standing in order),
                    key=lambda c: (order[c.standing], -(c.reported_on.toordinal() if c.reported_on else 0), c.key))
    out = []
    for c in chosen[:top]:
        who = nation_label(c.nation) if c.nation else "coalition"
        when = f", {day(c.reported_on)}" if c.reported_on else ""
        out.append(Backed(f"{who}: {c.statement}",
                          f"{c.standing}{when}; {', '.join(c.sources) or 'no source'}, grade {c.grade or 'none'}"))
    return out


def attack_lines(rows: Sequence[IndicatorRow], every: str, basis: str) -> list[Backed]:
    """Return the attack picture of the most recent complete period, compared per day with the complete period
    before it only (a partial period is named, never compared as a whole one)."""
    unit = {"month": "month", "week": "week", "day": "day"}.get(every, "period")
    fmt = "%b %Y" if every == "month" else "%-d %b %Y"
    known = [r for r in rows if r.launched is not None and r.air_coverage != "none"]
    complete = [r for r in known if r.air_coverage == "full"]
    out = []
    newest = known[-1] if known else None
    if newest is not None and newest.air_coverage == "partial":
        out.append(Backed(f"{newest.period_start:{fmt}} has data for {newest.air_days} of {newest.days} days only: "
                          "it is not compared with whole periods.", basis))
    if not complete:
        out.append(Backed(f"No complete {unit} of attack data is released to this reader: the recent attack picture "
                          "is unknown, not quiet.", basis))
        return out
    last = complete[-1]
    rate = f"{last.launched_per_day:,.1f} a day" if last.launched_per_day is not None else "per day unknown"
    destroyed = f", {last.destroyed:,} destroyed" if last.destroyed is not None else ", destroyed not reported"
    text = (f"In {last.period_start:{fmt}}, the latest complete {unit}: {last.launched:,} weapons launched ({rate})"
            f"{destroyed}")
    index = list(rows).index(last)
    prev = rows[index - 1] if index > 0 else None  # the period just before, compared only when it is complete too
    if prev is not None and prev.air_coverage == "full" and prev.launched_per_day and \
            last.launched_per_day is not None:
        change = last.launched_per_day / prev.launched_per_day - 1
        text += f"; {change:+.0%} a day against {prev.period_start:{fmt}} ({prev.launched_per_day:,.1f} a day)"
    out.append(Backed(text + ".", basis))
    return out


def incident_basis(brief: BriefContext) -> str:
    """Return what the incident figures rest on: the sources covering air attacks, with their grades."""
    reliability = {s.id: s.reliability for s in brief.sources}
    names = sorted({c.source for c in brief.situation.coverage})
    if not names:
        return "no incident source is released to this reader"
    return "reported incidents: " + ", ".join(f"{n} (grade {reliability.get(n, 'none')})" for n in names)


def bottom_line(brief: BriefContext, previous: PreviousBrief | None, tasks: Mapping[str, str]) -> BottomLine:
    """Return the brief's bottom line from its own figures: decisions (triggers met, the US backstop, the asks,
    conditions), the force, the backstop, the rules, what changed, and the situation's facts and attacks."""
    incidents = incident_basis(brief)
    # a rule over the registry's expiry dates asks for each renewal by name instead (renewal_decisions)
    expiry_rules = {s.rule_id for s in brief.situation.rules
                    if any(c.indicator == EXPIRING for c in s.evaluation.conditions)}
    decisions = rule_decisions([r for r in brief.rules if r.rule_id not in expiry_rules], incidents)
    decisions += renewal_decisions(brief.renewals)
    skip: tuple[str, ...] = (PREMISE,)
    if brief.plan is not None:
        if brief.plan.asks is not None and brief.plan.asks.units:
            decisions += ask_decisions(brief.plan.asks, tasks, whose=brief.plan.plan, failing_backstop=False)
        if brief.whatif is not None:
            decisions.append(backstop_decision(brief.plan.plan, brief.whatif.plan))
            skip += (BACKSTOP,)
            if brief.whatif.asks is not None and brief.whatif.asks.units:
                decisions += ask_decisions(brief.whatif.asks, tasks, whose=brief.whatif.plan, failing_backstop=True)
    flags = brief.plan.flags if brief.plan is not None else brief.scenario.scenario.flags
    decisions += condition_decisions(brief.pledges, flags, skip)
    figures = figures_of(brief)
    attacks = attack_lines(brief.situation.indicators, brief.situation.every, incidents)
    stale = brief.situation.staleness
    if stale is not None and stale.stale and stale.newest is not None:
        attacks.append(Backed(f"The picture is stale: its newest data is of {day(stale.newest)}, {stale.age_days} "
                              f"days before {day(stale.today)}.", incidents))
    return BottomLine(decisions=decisions, force=force_lines(brief, tasks), backstop=backstop_lines(brief),
                      rules=rule_lines(brief.rules, brief.situation.has_incidents, incidents),
                      changes=what_changed(previous, figures),
                      facts=fact_lines([c for cs in brief.claims.values() for c in cs]), attacks=attacks,
                      figures=figures, verified=verified_lines(brief))

"""Labels for people, held in one place (issue 25, docs/adr/0032): every planner rule, gap reason, scenario flag,
capability, indicator, indicator parameter, comparator and solver stage has a label here, used by the web pages, the
brief and the CLI's tables alike. Text meant for people calls `label(kind, key)`; an unknown key still reads as words
(`fallback`), never as an identifier with underscores.

`catalogue()` lists every (kind, key, label) so tests can search rendered text for identifiers."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any, NamedTuple

from reassure.core.capabilities import CAPABILITIES

# The planner's hard rules (planner/hard_rules/*.py NAME), as a noun phrase.
RULES: dict[str, str] = {
    "tour_shape": "tour within the plan",
    "min_dwell": "minimum rest between tours",
    "unit_overlap": "one tour at a time",
    "max_tour": "maximum tour length",
    "personnel_cap": "nation's personnel cap",
    "frozen_kept": "agreed tours kept",
    "availability_window": "availability dates",
    "capability_match": "capability needed by the task",
    "location_allowed": "locations the nation allows",
    "task_excluded": "tasks the nation excludes (caveats)",
    "conditions_flags": "the nation's conditions",
    "nation_allowed": "nations allowed on the task",
    "bilateral_partners": "partners of a bilateral component",
    "notice_to_move": "notice to move",
    "legal_prerequisite": "legal basis in force at the start",
    "legal_in_force": "legal basis in force throughout",
    "lead_nation": "lead nation present",
    "min_nations": "minimum number of nations",
    "max_share": "largest share of one nation",
    "command_chain": "headquarters only with its components",
}

# Why a unit that could have served a task did not (planner/hard_rules/explain.py): one per rule, and one that is
# no rule (the unit was free and the plan did not use it).
REASONS: dict[str, str] = {
    "capability_match": "wrong capability",
    "location_allowed": "location not allowed",
    "task_excluded": "excluded by a caveat",
    "conditions_flags": "the nation's conditions are not met",
    "nation_allowed": "nation not allowed on the task",
    "bilateral_partners": "not a partner of the bilateral component",
    "notice_to_move": "not ready (notice to move)",
    "legal_in_force": "legal instrument lapsed",
    "lead_nation": "no unit of the lead nation to lead it",
    "min_nations": "too few nations for the multinational component",
    "max_share": "nation above its share of the multinational component",
    "command_chain": "its components are not manned",
    "personnel_cap": "nation at its personnel cap",
    "availability_window": "not available",
    "legal_prerequisite": "legal prerequisite not in force",
    "unit_overlap": "deployed elsewhere",
    "min_dwell": "resting between tours",
    "max_tour": "tour too long",
    "tour_shape": "not a tour of the plan",
    "frozen_kept": "an agreed tour",
    "not_assigned": "free but not assigned",
}

# Scenario flags (scenario.flags, units' conditions, what-if flag changes): the condition in words.
FLAGS: dict[str, str] = {
    "us_backstop": "US backstop",
    "ceasefire_in_force": "ceasefire in force",
    "gbr_parliament_vote": "UK parliamentary vote",
    "un_mandate": "UN mandate",
    "nato_consensus": "NATO consensus",
    "eu_mandate": "EU mandate",
}

# Capabilities: the catalogue's own names (core/capabilities.py), lower-case as they read inside a sentence.
ACRONYMS = {"isr": "ISR", "aew": "AEW", "hq": "HQ", "mpa": "MPA", "cis": "CIS", "eod": "EOD", "ukr": "UKR"}
_CAPABILITY_WORDS: dict[str, str] = {
    "infantry_battalion": "infantry battalion",
    "mechanised_battalion": "mechanised battalion",
    "armoured_squadron": "armoured squadron",
    "engineer_company": "engineer company",
    "training_team": "training team",
    "special_forces_group": "special forces group",
    "fighter_squadron": "fighter squadron",
    "air_defence_battery": "air defence battery",
    "tanker_aircraft": "tanker aircraft",
    "aew_aircraft": "AEW aircraft",
    "frigate": "frigate",
    "mine_countermeasures_group": "mine countermeasures group",
    "maritime_patrol_aircraft": "maritime patrol aircraft",
    "isr": "ISR",
    "airlift": "airlift",
    "logistics_battalion": "logistics battalion",
    "medical_unit": "medical unit",
    "hq_staff": "HQ staff",
    "signals_company": "signals company",
    "cyber_team": "cyber team",
}
SAME_PLURAL = ("aircraft", "staff", "ISR", "airlift")

# Monitoring indicators (monitoring/indicators/series.py INDICATORS): what is counted, in words.
INDICATORS: dict[str, str] = {
    "launched": "weapons launched",
    "destroyed": "weapons destroyed",
    "suppressed": "weapons suppressed",
    "neutralized": "weapons neutralized",
    "impacted": "weapons that hit",
    "fatalities": "reported fatalities",
    "attacks": "attacks",
    "attacks_over_threshold": "attacks above a size",
    "max_per_attack": "largest attack",
    "max_drones_per_attack": "drones in the largest attack",
    "interception_rate": "interception rate",
    "violations": "ceasefire violations",
    "surge_ratio": "launches against the recent mean",
    "days_since_attack": "days since the last large attack",
    "expiring": "pledges and legal instruments expiring",
    "movement_restrictions": "restrictions on the force's movement",
}

# Indicator parameters (a rule's `params`).
PARAMS: dict[str, str] = {
    "threshold": "more than",
    "category": "weapons",
    "measure": "counting",
    "window": "periods in the mean",
    "basis": "counted as intercepted",
    "confidence": "confidence",
    "kind": "kind",
    "event_type": "event type",
    "model": "weapon model",
    "within_days": "within days",
    "source": "source",
    "region": "region",
    "restriction": "restriction",
}

# Weapon categories (monitoring/report.py CATEGORIES) and incident kinds, as an indicator's parameters and a
# report's weapon lines show them.
VALUES: dict[str, str] = {
    "drone": "drones",
    "decoy_drone": "decoy drones",
    "cruise_missile": "cruise missiles",
    "ballistic_missile": "ballistic missiles",
    "guided_bomb": "guided bombs",
    "guided_air_missile": "air-launched guided missiles",
    "missile": "missiles",
    "ceasefire_violation": "ceasefire violation",
    "movement": "movement restriction",
}

# Kinds of restriction on the force's freedom of movement (domains/movement MOVEMENT_KINDS).
MOVEMENT: dict[str, str] = {
    "denied_access": "denied access",
    "checkpoint": "checkpoint",
    "airspace_closure": "airspace closure",
    "other": "other restriction",
}

COMPARATORS: dict[str, str] = {
    "<": "below",
    "<=": "at most",
    ">": "above",
    ">=": "at least",
    "==": "exactly",
}

AGGREGATES: dict[str, str] = {
    "sum": "total",
    "mean": "mean",
    "max": "highest",
    "min": "lowest",
    "count": "number",
    "last": "latest",
}

# What kind of rule of the monitor (rules/model.py kind).
RULE_KINDS: dict[str, str] = {
    "exit_condition": "exit condition",
    "trigger": "political trigger",
    "alert": "watch alert",
}

# The solver's stages, as a job's progress says them.
STAGES: dict[str, str] = {
    "coverage": "solving",
    "stability": "solving (keeping earlier tours)",
    "tours": "solving (fewer tours)",
    "fairness": "solving (sharing the burden)",
    "gathering": "gathering the figures",  # a brief's stages (brief/produce.py)
    "charts": "drawing the charts and the map",
    "pdf": "rendering the PDF",
}

# Where a task is (planner Location): the groups of the brief's Gantt.
LOCATIONS: dict[str, str] = {
    "inside": "Inside Ukraine",
    "adjacent": "In neighbouring countries",
    "sea": "At sea",
    "air": "In the air",
}

# A command node's relationship to its parent and its kind (the command tree, docs/adr/0039; the brief's table).
RELATIONSHIPS: dict[str, str] = {
    "opcon": "OPCON (operational control)",
    "tacon": "TACON (tactical control)",
    "coordination": "coordination only",
    "national_command": "national command",
}
NODE_KINDS: dict[str, str] = {
    "coalition_hq": "coalition HQ",
    "component": "component",
    "sector": "sector",
    "contingent": "national contingent",
}

# A pledge's fields (a pledge table's columns, the new-pledge form's fields), as problems with them name them.
FIELDS: dict[str, str] = {
    "personnel_per_unit": "personnel per unit",
    "available_from": "available from",
    "available_to": "available to",
    "available_from/available_to": "available from/to",
    "max_tour": "longest tour",
    "min_dwell": "shortest rest between tours",
    "caveat_tasks": "tasks the caveats rule out",
    "caveat_locations": "places the caveats rule out",
    "quantity": "units",
    "where": "where it may serve",
    "grade": "grade",
    "sources": "sources",
}

# The kinds of record an import writes (domains/scenarios/actions.py ImportReport), as its preview lists them.
RECORDS: dict[str, str] = {
    "Scenario": "scenario", "Source": "sources", "Claim": "claims", "Membership": "memberships",
    "NationFigure": "reference figures", "Pledge": "pledges", "Task": "tasks", "CommandNode": "command nodes",
    "LegalInstrument": "legal instruments", "ScenarioChange": "what-if changes",
}

# A pledge's verification (domains/verifications, docs/adr/0042): its kind, finding and the readiness it confirmed.
VERIFICATION: dict[str, str] = {
    "visit": "visit", "readiness_report": "readiness report", "exercise": "exercise",
    "verified": "verified", "shortfall": "verified with shortfall", "not_verified": "not verified",
    "very_high": "very high readiness", "high": "high readiness", "medium": "medium readiness",
    "low": "low readiness",
}
# What a follow-up follows (domains/followups FOLLOWS) and what a renewal lists (services/renewals), in words.
FOLLOWS: dict[str, str] = {
    "rule": "rule that fired",
    "legal": "legal instrument",
    "pledge": "pledge",
    "claim": "claim",
    "ask": "ask to a nation",
    "verification": "verification",
}
RENEWALS: dict[str, str] = {
    "lapses": "lapses",
    "renewal": "renewal due",
    "stale": "last known true",
    "open": "open",
    "done": "done",
    "dropped": "dropped",
    "unassigned": "unassigned",  # a follow-up nobody owns yet (no follow-up owner configured: docs/adr/0047)
}
# An ask to a nation's state and answer (domains/requests, docs/adr/0041 and 0046), and the asks page's "open" filter.
ASKS: dict[str, str] = {
    "open": "open (drafted or sent)", "drafted": "drafted", "sent": "sent, awaiting the answer",
    "answered": "answered", "pledged": "turned into a pledge", "full": "accepted in full",
    "part": "accepted in part", "declined": "declined",
}

KINDS: dict[str, Mapping[str, str]] = {
    "field": FIELDS,
    "record": RECORDS,
    "rule": RULES,
    "reason": REASONS,
    "flag": FLAGS,
    "capability": _CAPABILITY_WORDS,
    "indicator": INDICATORS,
    "param": PARAMS,
    "value": VALUES,
    "comparator": COMPARATORS,
    "aggregate": AGGREGATES,
    "stage": STAGES,
    "rule_kind": RULE_KINDS,
    "relationship": RELATIONSHIPS,
    "node_kind": NODE_KINDS,
    "location": LOCATIONS,
    "verification": VERIFICATION,
    "follows": FOLLOWS,
    "renewal": RENEWALS,
    "movement_kind": MOVEMENT,
    "ask": ASKS,
}


_KEY = re.compile(r"[A-Za-z0-9]+(?:_+[A-Za-z0-9]+)*")


class Label(NamedTuple):
    """One entry of the catalogue: what kind of thing, its key (the identifier) and its label for people."""

    kind: str
    key: str
    label: str


def fallback(key: str) -> str:
    """Turn an unknown key into words: "some_key" → "some key", "hq_staff" → "HQ staff"; never underscores. Text
    that is not shaped like a key (a stored value with spaces or punctuation) is shown as it is, character for
    character: a label never rewrites data."""
    if not _KEY.fullmatch(key):
        return key
    return " ".join(ACRONYMS.get(w.lower(), w) for w in key.split("_") if w)


def label(kind: str, key: str) -> str:
    """Return the label of a key of the given kind ("rule", "reason", "flag", "capability", "indicator", "param",
    "value", "comparator", "aggregate", "stage", "field", "record", "rule_kind", "relationship", "node_kind",
    "location", "verification", "follows", "renewal"); an unknown key reads as words (`fallback`)."""
    table = KINDS.get(kind)
    if table is None:
        raise KeyError(f"unknown kind of label {kind!r} (one of {', '.join(KINDS)})")
    return table.get(key) or fallback(key)


def labelled(key: str, kind: str) -> str:
    """Return `label(kind, key)`, the key first: the templates' filter (`{{ flag|label("flag") }}`)."""
    return label(kind, key)


def catalogue() -> list[Label]:
    """Return every (kind, key, label) of the catalogue."""
    return [Label(kind, key, text) for kind, table in KINDS.items() for key, text in table.items()]


def identifiers() -> set[str]:
    """Return every key of the catalogue that reads as an identifier (has an underscore): such a key must never show
    in text for people."""
    return {e.key for e in catalogue() if "_" in e.key}


def flag_label(flag: str) -> str:
    """Return a scenario flag's label ("us_backstop" → "US backstop")."""
    return label("flag", flag)


def flags_label(flags: Sequence[str]) -> str:
    """Return a list of flags (a pledge's conditions) in words, joined by commas."""
    return ", ".join(flag_label(f) for f in flags)


def rule_label(rule: str) -> str:
    """Return a planner hard rule's label ("min_dwell" → "minimum rest between tours")."""
    return label("rule", rule)


def reason_label(rule: str) -> str:
    """Return why a unit did not serve a task, by the rule that kept it away ("min_dwell" → "resting between tours")."""
    return label("reason", rule)


def capability_label(capability: str, count: int = 1) -> str:
    """Return a capability as people write it, in the plural for a count above one ("engineer companies")."""
    name = label("capability", capability)
    if count == 1 or name.endswith(SAME_PLURAL):
        return name if count == 1 or not name.endswith("ISR") else name + " units"
    if name.endswith("y") and not name.endswith(("ay", "ey")):
        return name[:-1] + "ies"
    return name if name.endswith("s") else name + "s"


def capability_title(capability: str) -> str:
    """Return a capability's full title from the capability catalogue ("Engineer company (incl. EOD)")."""
    entry = CAPABILITIES.get(capability)
    return entry[1] if entry is not None else fallback(capability).capitalize()


def stage_label(stage: str) -> str:
    """Return a solver stage in words ("coverage" → "solving")."""
    return label("stage", stage)


def _value_words(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, list | tuple):
        items = [_value_words(v) for v in value]
        return " or ".join(items) if len(items) <= 2 else ", ".join(items[:-1]) + " or " + items[-1]
    if isinstance(value, str):
        return label("value", value)
    return str(value)


def indicator_label(indicator: str, params: Mapping[str, Any] | None = None, period: str = "period") -> str:
    """Return an indicator with its parameters in words: ("attacks_over_threshold", {threshold: 10, category: [drone,
    decoy_drone]}) → "attacks of more than 10 drones or decoy drones"."""
    params = dict(params or {})
    if indicator in ("attacks_over_threshold", "days_since_attack") and "threshold" in params:
        what = _value_words(params.pop("category", None)) if "category" in params else "weapons"
        size = f"of more than {_value_words(params.pop('threshold'))} {what}"
        head = "attacks " + size if indicator == "attacks_over_threshold" else f"days since the last attack {size}"
    elif indicator == "surge_ratio" and "window" in params:
        head = f"launches against the mean of the previous {_value_words(params.pop('window'))} {period}s"
    else:
        head = label("indicator", indicator)
    rest = [f"{label('param', k)} {_value_words(v)}" for k, v in params.items()]
    return head + (f" ({'; '.join(rest)})" if rest else "")


def condition_label(indicator: str, params: Mapping[str, Any] | None, *, period: str, window: int = 1,
                    aggregate: str = "last", comparator: str, threshold: float, consecutive: int = 1) -> str:
    """Return a rule's condition in words: "attacks of more than 10 drones or decoy drones per day: exactly 0, for 90
    consecutive days"."""
    what = indicator_label(indicator, params, period)
    series = (f"{label('aggregate', aggregate)} of {what} over {window} {period}s" if window > 1
              else f"{what} per {period}")
    text = f"{series}: {label('comparator', comparator)} {_value_words(threshold)}"
    if consecutive > 1:
        text += f", for {consecutive} consecutive {period}s"
    return text

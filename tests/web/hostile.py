"""Hostile data for the no-script-from-data browser test: a script payload in every free-text field of every record
kind, loaded through the real importers and actions (a German planner's PUBLIC scenario import, incident feeds and a
text report, a rules file, a solve job's label through the API, an API token's label).

Every payload carries its field's id (e.g. ``[scn-title]``) so the test can tell where each field was shown, and
runs ``__pwned='<tag>';fetch('__beacon-<tag>')`` if a browser ever treats it as code (columns too short for that
set only the global): the test checks both the global and the beacon requests. Each loaded field (`Hostile.fields`)
says how it was loaded and where the dashboard or the brief shows it, and the test asserts it is shown there, and
only there, literally as text. COVERED and RESTRICTED together name every text column of the models: the columns
holding payloads (checked in the database) and, for the rest, why no markup can be stored there.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import yaml


def js(tag: str) -> str:
    """Return the script a payload runs: it sets a global and asks the test server for a beacon (no spaces, no
    slash, no comma: it survives region normalisation and file names)."""
    return f"__pwned='{tag}';fetch('__beacon-{tag}')"


SHAPES: dict[str, Callable[[str], str]] = {
    "quote": lambda t: f"\"'><img src=x onerror={js(t)}>",  # breaks out of a quoted attribute
    "img": lambda t: f"<img src=x onerror={js(t)}>",
    "svg": lambda t: f"<svg onload={js(t)}>",
    "script": lambda t: f"<script>{js(t)}</script>",
    "endscript": lambda t: f"</script><script>{js(t)}</script>",  # JSON inside a <script> element
    "template": lambda t: f"tmpl-{t}[{{{{7*7}}}}|${{7*7}}|#{{7*7}}]",  # Jinja, JS template literals, Ruby-ish
    "jsurl": lambda t: f"javascript:{js(t)}",  # an href or src
    "svgshort": lambda t: f"<svg onload=__pwned='{t}'>",  # for short columns: no beacon, the global only
    "imgshort": lambda t: f"<img src=x onerror=__pwned='{t}'>",
}
MAIN = ("quote", "img", "svg", "script", "endscript", "template", "jsurl")
NO_SLASH = ("img", "svg", "quote")  # shapes that fit in a file name


def payload(fid: str, limit: int = 20_000, shapes: tuple[str, ...] = MAIN, prefix: bool = True) -> str:
    """Return the payload of a field: its id, then as many shapes as fit in `limit` characters."""
    parts = [f"[{fid}]"] if prefix else []
    for shape in shapes:
        piece = SHAPES[shape](f"{fid}-{shape}")
        if len(" ".join([*parts, piece])) <= limit:
            parts.append(piece)
    if len(parts) == prefix:
        raise ValueError(f"no payload shape of {shapes} fits in {limit} characters for {fid}")
    return " ".join(parts)


@dataclass(frozen=True)
class Field:
    """A stored text column, how the test loads a payload into it, and the pages that show it."""

    fid: str
    column: str
    loader: str
    shown: tuple[str, ...]  # page names (see the test's walk); () when no page shows it (API/CLI only)
    value: str = ""


@dataclass
class Hostile:
    """What was loaded: the fields and the keys the walk visits."""

    fields: list[Field] = field(default_factory=list)
    pledges: list[str] = field(default_factory=list)
    incident_keys: list[str] = field(default_factory=list)

    def add(self, fid: str, column: str, loader: str, shown: tuple[str, ...], **kw: Any) -> str:
        """Register a field and return its payload."""
        value = payload(fid, **kw)
        self.fields.append(Field(fid, column, loader, shown, value))
        return value


SCENARIO = "hostile"
IMPORT = "scenario import (DEU planner, PUBLIC)"
# Every text column (String, Text, JSON) of every model, with the field ids whose payloads it holds, or why no script
# can be stored there. test_every_text_column_is_covered_or_restricted checks this against the models' metadata.
FLAGS = tuple(f"flag-{s}" for s in MAIN)
COVERED: dict[str, tuple[str, ...]] = {
    "scenarios.title": ("scn-title",), "scenarios.description": ("scn-description",), "scenarios.flags": FLAGS,
    "scenario_changes.params": ("flag-img",),  # a flag change names a flag
    "pledges.conditions": FLAGS, "pledges.caveats": ("pledge-caveat",), "pledges.notes": ("pledge-notes",),
    "sources.publisher": ("src-publisher", "report-publisher"), "sources.title": ("src-title", "report-file"),
    "sources.locator": ("src-locator", "report-file"), "sources.notes": ("src-notes",),
    "claims.key": ("claim-key",), "claims.topic": ("claim-topic",), "claims.statement": ("claim-statement",),
    "claims.unit": ("cunit",),
    "command_nodes.key": ("cmd-key",), "command_nodes.parent_key": ("cmd-key",), "command_nodes.name": ("cmd-name",),
    "command_nodes.location": ("cmd-location",),
    "tasks.name": ("task-name",), "tasks.sector": ("task-sector",), "tasks.legal_prerequisites": ("task-legal",),
    "tasks.command_key": ("cmd-key",),
    "legal_instruments.key": ("legal-key",), "legal_instruments.terms": ("legal-terms",),
    "incidents.region": ("region",), "incidents.attacker": ("ucdp-side_a",), "incidents.defender": ("ucdp-side_b",),
    "incidents.description": ("ucdp-dyad_name", "region"),
    "incident_reports.reported_by": ("report-by",), "incident_reports.external_ref": ("report-file",),
    "incident_links.external_ref": ("report-file",),  # a relink pins the report's own reference
    "incident_reports.raw_text": ("report-text", "weapon-ref", "ucdp-side_a"),
    "weapon_counts.external_ref": ("weapon-ref",),
    "jobs.params": ("job-label",), "plans.label": ("job-label",),
    "plans.problem": FLAGS,  # the problem as solved: keys and numbers, and the flags and conditions
    "rule_evaluations.rule_name": ("rule-name",), "rule_evaluations.evaluation": ("rule-name",),
    "api_tokens.label": ("token-label",),
    "audit_log.entity_key": ("feed-file", "report-file"),
    "audit_log.details": ("token-label", "job-label", "review-text"),
    "incident_reviews.text": ("review-text",),
    "pledge_verifications.source": ("verify-source",), "pledge_verifications.notes": ("verify-notes",),
    "pledges.renewal": ("pledge-renewal",), "legal_instruments.renewal": ("legal-renewal",),
    "followups.title": ("followup-title",), "followups.note": ("followup-note",),
    "followups.follows_key": ("legal-key",),  # an expiring instrument's follow-up names it by its key
    "scenario_phases.name": ("phase-name",), "scenario_phases.entry": ("phase-entry",),
    "force_asks.note": ("ask-note",), "force_asks.conditions": ("ask-conditions",),
    "movement_restrictions.place": ("mov-place",), "movement_restrictions.description": ("mov-description",),
    "sign_in_failures.name": ("signin",),
    "web_sessions.user_agent": ("session-ua",),
}
RESTRICTED: dict[str, str] = {
    # Sweeps (revision 0027, docs/adr/0053).
    "sweeps.name": "pattern [\\w][\\w .,:()+-]* (planner/analysis/sweep.SweepName)",
    "sweeps.scenario": "a stored scenario's name (pattern [a-z0-9][a-z0-9_.-]*)",
    "sweeps.spec": "the validated sweep file: its name and flag names by pattern, a stored scenario, task keys and "
                   "nation codes the problem has, numbers",
    "sweeps.comparison": "made by the sweep: run keys and labels (nation labels, flag names, task keys, dates), "
                         "numbers, the asks in words (ask_text) and plan public ids",
    "sweeps.settings": "where it ran (a scheduler address from the CLI option or the server's settings) and numbers",
    "sweeps.author": "user-name pattern (core.identity.check_user_name)",
    **dict.fromkeys(["sweeps.author_nation", "sweeps.owner_nation"], "ISO 3166 alpha-3 code"),
    "sweeps.rel_to": "a parsed marking (core.markings)",
    "sweeps.public_id": "made by the server (core.public_ids: a kind prefix and random base32)",
    **dict.fromkeys(["scenarios.name", "plans.scenario"], "pattern [a-z0-9][a-z0-9_.-]*"),
    **dict.fromkeys(["pledges.key", "tasks.key"], "pattern [A-Za-z0-9][A-Za-z0-9_.-]*"),
    **dict.fromkeys(["sources.id", "sources.key"], "pattern [A-Za-z0-9][A-Za-z0-9_.:-]*"),
    **dict.fromkeys(["rule_evaluations.rule_id"], "pattern [a-z0-9][a-z0-9_.-]*"),
    **dict.fromkeys(["users.name", "jobs.owner", "plans.author", "rule_evaluations.author", "audit_log.actor",
                     "incident_links.pinned_by"],
                    "user-name pattern (core.identity.check_user_name)"),
    **dict.fromkeys(["nations.code", "jobs.owner_nation", "plans.author_nation", "audit_log.actor_nation"],
                    "ISO 3166 alpha-3 code"),
    **dict.fromkeys([f"{t}.owner_nation" for t in (
        "audit_log", "claims", "command_nodes", "incidents", "incident_reports", "legal_instruments", "memberships",
        "nation_figures", "nation_preferences", "pledges", "pledge_status_events", "scenarios", "scenario_changes",
        "sources", "rule_evaluations", "plans", "tasks", "weapon_counts")],
        "the writer's nation, from the identity (db/access), never from input"),
    "nations.name": "reference data (pycountry), never imported",
    **dict.fromkeys([f"{t}.rel_to" for t in (
        "audit_log", "claims", "command_nodes", "incidents", "incident_reports", "jobs", "legal_instruments",
        "memberships", "nation_figures", "pledges", "pledge_status_events", "scenarios", "scenario_changes", "sources",
        "rule_evaluations", "plans", "tasks", "weapon_counts", "incident_links")], "a parsed marking (core.markings)"),
    **dict.fromkeys([f"{t}.owner_nation" for t in (
        "audit_log", "claims", "command_nodes", "incidents", "incident_reports", "legal_instruments", "memberships",
        "nation_figures", "pledges", "pledge_status_events", "scenarios", "scenario_changes", "sources",
        "rule_evaluations", "plans", "tasks", "weapon_counts", "nation_preferences", "incident_links")],
                    "the writer's nation, set by db/access from the identity (an ISO 3166 alpha-3 code)"),
    **dict.fromkeys(["scenarios.standing", "scenarios.period", "scenario_changes.kind", "pledges.domain",
                     "pledges.capability", "pledges.locations", "pledges.status", "pledges.standing",
                     "pledges.reliability", "pledges.qty_kind", "pledge_status_events.status", "claims.standing",
                     "claims.reliability", "claims.qty_kind", "sources.reliability", "command_nodes.kind",
                     "command_nodes.relationship_to_parent", "legal_instruments.kind", "legal_instruments.status",
                     "legal_instruments.standing", "legal_instruments.reliability", "tasks.domain", "tasks.capability",
                     "tasks.location", "tasks.requires_legal", "memberships.organisation", "memberships.role",
                     "nation_figures.indicator", "incidents.kind", "incident_reports.standing",
                     "incident_reports.reliability", "weapon_counts.category", "weapon_counts.launched_q",
                     "weapon_counts.destroyed_q", "weapon_counts.suppressed_q", "weapon_counts.neutralized_q",
                     "weapon_counts.impacted_q", "jobs.kind", "jobs.state", "plans.status", "rule_evaluations.kind",
                     "users.roles"], "an enumeration"),
    **dict.fromkeys(["tasks.demand", "tasks.nations"], "numbers; nation codes"),
    "scenarios.assumptions": "priors (a capability of the catalogue, a size enumeration, numbers) and a probability",
    "weapon_counts.model": "must name a weapon model of the catalogue",
    "incidents.key": "made by the importer (source and event id or time window)",
    "rule_evaluations.evidence": "incident keys (made by the importers)",
    **dict.fromkeys(["jobs.message", "jobs.result", "jobs.worker"], "written by the worker (figures, task keys)"),
    **dict.fromkeys(["plans.plan", "plans.settings"], "solver output and settings (numbers, keys)"),
    **dict.fromkeys(["audit_log.action", "audit_log.outcome", "audit_log.entity"], "written by the actions"),
    **dict.fromkeys(["api_tokens.prefix", "api_tokens.token_hash", "web_sessions.secret_hash", "web_sessions.csrf",
                     "users.password_hash", "incident_reports.digest"], "made by the server (random or a digest)"),
    **dict.fromkeys(["sign_in_failures.address", "web_sessions.address", "api_tokens.last_address"],
                    "the client's address as the server sees it"),
    **dict.fromkeys(["web_sessions.public_id", "api_tokens.public_id", "known_devices.secret_hash"],
                    "made by the server (a random public id, or a digest)"),
    **dict.fromkeys(["jobs.public_id", "plans.public_id", "rule_evaluations.public_id", "audit_log.public_id"],
                    "made by the server (core.public_ids: a kind prefix and random base32)"),
    "nation_preferences.set_by": "user-name pattern (core.identity.check_user_name)",
    "nation_preferences.rel_to": "a parsed marking (core.markings)",
    # Alerts (revision 0013). A channel's label and target are an admin's text shown on no page or brief (CLI as
    # literal text, API JSON); the secret is never shown; a change copies its evaluation's rule name (covered above).
    **dict.fromkeys(["alert_channels.label", "alert_channels.target"], "an admin's text shown on no page or brief "
                    "(CLI as literal text, API JSON)"),
    "alert_channels.secret": "never shown anywhere (signs webhook bodies)",
    "incident_reports.window_basis": "made by the extractor: stated or night (monitoring/report.py)",
    **dict.fromkeys(["alert_channels.public_id", "rule_state_changes.public_id", "alert_deliveries.public_id"],
                    "made by the server (core.public_ids: a kind prefix and random base32)"),
    **dict.fromkeys(["alert_channels.nation", "rule_state_changes.nation", "alert_channels.owner_nation",
                     "rule_state_changes.owner_nation", "alert_deliveries.owner_nation"], "ISO 3166 alpha-3 code"),
    **dict.fromkeys(["alert_channels.rel_to", "rule_state_changes.rel_to", "alert_deliveries.rel_to"],
                    "a parsed marking (core.markings)"),
    **dict.fromkeys(["alert_channels.kind", "rule_state_changes.kind", "rule_state_changes.from_state",
                     "rule_state_changes.to_state", "alert_deliveries.status"], "an enumeration"),
    "alert_channels.created_by": "user-name pattern (core.identity.check_user_name)",
    "rule_state_changes.rule_id": "pattern [a-z0-9][a-z0-9_.-]* (a copy of rule_evaluations.rule_id)",
    "rule_state_changes.rule_name": "a copy of rule_evaluations.rule_name (covered), shown by the same autoescaped "
                                    "templates",
    "alert_deliveries.error": "written by the alerts run (HTTP status and reason, connection or SMTP error)",
    "incident_regions.code": "an ISO 3166-2:UA code (core.regions.REGION_LABELS), never the text as written",
    "incident_regions.rel_to": "a parsed marking (core.markings)",
    **dict.fromkeys(["incidents.event_type", "incident_reports.region_count_q"], "an enumeration"),
    # Analysts' reviews (revision 0017): the text is covered; the rest is made by the action.
    "incident_reviews.incident_key": "an incident key the reviewer sees (made by the importers)",
    "incident_reviews.standing": "an enumeration",
    "incident_reviews.author": "user-name pattern (core.identity.check_user_name)",
    "incident_reviews.rel_to": "a parsed marking (core.markings)",
    "incident_reviews.owner_nation": "the writer's ISO 3166 alpha-3 code (set by db/access, never from input)",
    # Verifications of pledges (revision 0020, docs/adr/0042): source and notes are covered; the rest is checked.
    "pledge_verifications.pledge_key": "a pledge key the writer sees (pattern [A-Za-z0-9][A-Za-z0-9_.-]*)",
    **dict.fromkeys(["pledge_verifications.kind", "pledge_verifications.finding", "pledge_verifications.readiness",
                     "pledge_verifications.reliability"], "an enumeration"),
    "pledge_verifications.author": "user-name pattern (core.identity.check_user_name)",
    "pledge_verifications.rel_to": "a parsed marking (core.markings)",
    "pledge_verifications.owner_nation": "the writer's ISO 3166 alpha-3 code (set by db/access, never from input)",
    # Follow-ups (revision 0021, docs/adr/0043): title, note and what they follow are covered; the rest is made by
    # the actions.
    "followups.public_id": "made at insert (core/public_ids)",
    "followups.nation": "the writer's ISO 3166 alpha-3 code (from the identity)",
    "followups.owner": "user-name pattern (a stored user's name)",
    "followups.created_by": "user-name pattern (core.identity.check_user_name)",
    "followups.follows_kind": "an enumeration (domains/followups FOLLOWS)",
    "followups.state": "an enumeration",
    "followups.rel_to": "a parsed marking (core.markings)",
    "followups.owner_nation": "the writer's ISO 3166 alpha-3 code (set by db/access, never from input)",
    # A nation's follow-up owner (revision 0024, docs/adr/0047): a stored active user of that nation, chosen by name.
    **dict.fromkeys(["followup_owners.owner", "followup_owners.set_by"], "user-name pattern (a stored user's name)"),
    "followup_owners.rel_to": "a parsed marking (core.markings)",
    "followup_owners.owner_nation": "the writer's ISO 3166 alpha-3 code (set by db/access, never from input)",
    # A scenario's phases (revision 0022, docs/adr/0044): name and entry condition covered; the rest patterns.
    "scenario_phases.key": "pattern [A-Za-z0-9][A-Za-z0-9_.-]*",
    "scenario_phases.rule_id": "pattern [A-Za-z0-9][A-Za-z0-9_.:-]* (a monitor rule's id)",
    "scenario_phases.demand": "task keys (a pattern), numbers and true/false",
    "scenario_phases.rel_to": "a parsed marking (core.markings)",
    "scenario_phases.owner_nation": "the writer's ISO 3166 alpha-3 code (set by db/access, never from input)",
    # Movement restrictions (revision 0023): place and description are covered; the rest is checked by the action.
    **dict.fromkeys(["movement_restrictions.kind", "movement_restrictions.standing",
                     "movement_restrictions.reliability"], "an enumeration"),
    "movement_restrictions.public_id": "made by the server (core.public_ids: a kind prefix and random base32)",
    "movement_restrictions.region": "an ISO 3166-2:UA code (core.regions.REGION_LABELS), never the text as written",
    "movement_restrictions.scenario": "the name of a scenario the writer sees (pattern [a-z0-9][a-z0-9_.-]*)",
    "movement_restrictions.task_keys": "keys of tasks the writer sees (pattern [A-Za-z0-9][A-Za-z0-9_.-]*)",
    "movement_restrictions.recorded_by": "user-name pattern (core.identity.check_user_name)",
    "movement_restrictions.rel_to": "a parsed marking (core.markings)",
    "movement_restrictions.owner_nation": "the writer's ISO 3166 alpha-3 code (set by db/access, never from input)",
    "force_asks.public_id": "made by the server (core.public_ids: a kind prefix and random base32)",
    **dict.fromkeys(["force_asks.capability", "force_asks.locations", "force_asks.state", "force_asks.answer"],
                    "an enumeration"),
    "force_asks.closes": "task keys (a pattern), period numbers and the months in words the server writes",
    "force_asks.author": "user-name pattern (core.identity.check_user_name)",
    "force_asks.rel_to": "a parsed marking (core.markings)",
    **dict.fromkeys([f"{t}.owner_nation" for t in (
        "force_asks", "audit_log", "claims", "command_nodes", "incidents", "incident_reports", "incident_regions",
        "legal_instruments", "memberships", "nation_figures", "pledges", "pledge_status_events", "scenarios",
        "scenario_changes", "sources", "rule_evaluations", "plans", "tasks", "weapon_counts", "nation_preferences")],
        "the writer's ISO 3166 alpha-3 code (set by db/access, never from input)"),
}


def _flag_img(flags: dict[str, bool]) -> str:
    """Return the flag whose payload is the <img onerror> shape."""
    return next(f for f in flags if f.startswith("[flag-img]"))


def scenario_document(h: Hostile) -> dict[str, Any]:
    """Return the German planner's PUBLIC scenario, with a payload in every free-text field."""
    flags = {h.add(f"flag-{s}", "Scenario.flags (keys) / Pledge.conditions", IMPORT,
                   ("overview-map", "pledges", "pledges-partial", "pledge", "pledge-new", "brief"), shapes=(s,)): True
             for s in MAIN}
    flags["us_backstop"] = True
    conditions = sorted(k for k in flags if k != "us_backstop")
    source = {"id": "src-hostile", "reliability": "C",
              "publisher": h.add("src-publisher", "Source.publisher", IMPORT, ("pledge", "brief"), limit=200),
              "title": h.add("src-title", "Source.title", IMPORT, ("pledge", "brief"), limit=400),
              "locator": h.add("src-locator", "Source.locator", IMPORT, ("pledge",), limit=600, shapes=("jsurl",),
                               prefix=False),
              "notes": h.add("src-notes", "Source.notes", IMPORT, ())}
    claim = {"key": h.add("claim-key", "Claim.key", IMPORT, ("admin",), limit=120, shapes=("svg",)),
             "topic": h.add("claim-topic", "Claim.topic", IMPORT, (), limit=60, shapes=("svgshort",)),
             "standing": "unconfirmed", "grade": "C3",
             "sources": ["src-hostile"], "reported_on": date(2031, 1, 1).isoformat(), "quantity": 3,
             "statement": h.add("claim-statement", "Claim.statement", IMPORT, ("overview", "brief")),
             "unit": h.add("cunit", "Claim.unit", IMPORT, ("brief",), limit=40, shapes=("svgshort",), prefix=False)}
    hq = h.add("cmd-key", "CommandNode.key / parent_key, Task.command_key", IMPORT, ("admin",), limit=80,
               shapes=("svg",))
    command = [{"key": hq, "kind": "coalition_hq", "lead_nation": "FRA",
                "name": h.add("cmd-name", "CommandNode.name", IMPORT, ("command", "brief"), limit=200),
                "location": h.add("cmd-location", "CommandNode.location", IMPORT, ("command",), limit=120,
                                  shapes=("img", "template"))},
               {"key": "SEA", "kind": "component", "parent": hq, "name": "Maritime component"}]
    tasks = [{"key": "AIR-WEST", "capability": "fighter_squadron", "location": "air", "demand": 3, "priority": 3,
              "command": hq, "name": h.add("task-name", "Task.name", IMPORT, ("brief", "asks"), limit=200),
              "sector": h.add("task-sector", "Task.sector", IMPORT, ("map",), limit=80, shapes=("svgshort",)),
              "legal_prerequisites": h.add("task-legal", "Task.legal_prerequisites", IMPORT, ())}]
    legal = [{"key": h.add("legal-key", "LegalInstrument.key", IMPORT, ("admin",), limit=80, shapes=("imgshort",)),
              "nation": "FRA", "kind": "SOFA", "status": "in_force",
              "in_force_from": "2027-01-01", "terms": h.add("legal-terms", "LegalInstrument.terms", IMPORT, ()),
              # due years ahead: outside any expiry window, so no page lists it (docs/adr/0043)
              "renew_by": "2035-01-01",
              "renewal": h.add("legal-renewal", "LegalInstrument.renewal", IMPORT, (), limit=200, shapes=("svg",))}]
    pledge = {"capability": "fighter_squadron", "quantity": 2, "personnel_per_unit": 300, "where": ["air"],
              "window": {"from": "2027-01-01", "to": "2027-12-31"}, "rotation": {"max_tour": 4, "min_dwell": 2},
              "conditions": conditions, "status": "confirmed"}
    pledges = [{**pledge, "key": "FRA-HOSTILE", "nation": "FRA",
                "notes": h.add("pledge-notes", "Pledge.notes", IMPORT, ("pledge",)),
                "renewal": h.add("pledge-renewal", "Pledge.renewal", IMPORT, (), limit=200, shapes=("svg",)),
                "caveats": [{"text": h.add("pledge-caveat", "Pledge.caveats[].text", IMPORT,
                                           ("pledges", "pledges-partial", "pledge", "brief"))}]},
               {**pledge, "key": "DEU-HOSTILE", "nation": "DEU", "sources": ["src-hostile"], "grade": "C3",
                "standing": "unconfirmed", "status": "offered"}]
    h.pledges += [p["key"] for p in pledges]
    return {"format": "reassure-scenario/1", "marking": "PUBLIC",
            "scenario": {"name": SCENARIO, "horizon": {"start": "2027-01-01", "period": "month", "periods": 6},
                         "title": h.add("scn-title", "Scenario.title", IMPORT, (
                             "choose", "overview", "admin", "pledge-new", "imports", "brief", "asks"), limit=200),
                         "description": h.add("scn-description", "Scenario.description", IMPORT, ("brief",)),
                         "flags": flags},
            "sources": [source], "claims": [claim], "command": command, "tasks": tasks, "legal": legal,
            "pledges": pledges, "changes": [{"kind": "flag", "flag": _flag_img(flags), "value": False}],
            "phases": [{"key": "entry", "from": 0, "to": 2, "demand": [{"task": "AIR-WEST", "factor": 1}],
                        "name": h.add("phase-name", "ScenarioPhase.name", IMPORT, ("plan", "brief"),
                                      limit=200),
                        "entry": h.add("phase-entry", "ScenarioPhase.entry", IMPORT, ("plan", "brief"),
                                       limit=2000)}]}


def load_scenario(h: Hostile, folder: Path, settings: Any) -> None:
    """Import the scenario file as a German planner, through the scenario importer."""
    from reassure.db.uow import unit_of_work
    from reassure.domains.scenarios.importing import import_document
    from reassure.scenario_io.load import load_document
    from tests.conftest import who

    path = folder / "hostile.yaml"
    path.write_text(yaml.safe_dump(scenario_document(h), allow_unicode=True, sort_keys=False), encoding="utf-8")
    with unit_of_work(settings, identity=who("DEU")) as db:
        import_document(load_document(path), db=db, origin=str(path))
    from reassure.domains.verifications.actions import add_verification

    with unit_of_work(settings, identity=who("DEU")) as db:  # a German analyst verifies the French pledge
        add_verification(SCENARIO, "FRA-HOSTILE", db=db, on_date=date(2026, 11, 2), kind="visit", finding="shortfall",
                         found=1, grade="B2", notice=1,
                         source=h.add("verify-source", "Verification.source", "verification", ("pledge",), limit=200),
                         notes=h.add("verify-notes", "Verification.notes", "verification", ("pledge",), limit=2000))


def load_incidents(h: Hostile, folder: Path, settings: Any, *, map_in_brief: bool = False) -> None:
    """Ingest an air-attack feed, a UCDP extract and a text report, each with payloads, as a German analyst.

    `map_in_brief`: the server has oblast boundaries, so the brief draws its map, whose text alternative names the
    regions no boundary matches (the hostile one among them)."""
    from reassure.core.regions import normalise_region
    from reassure.db.uow import unit_of_work
    from reassure.domains.incidents.actions import (
        import_air_attacks,
        import_ucdp,
        ingest_report,
        relink_report,
        review_incident,
    )
    from reassure.domains.incidents.service import get_incident
    from tests.conftest import who

    feed = "air attacks feed (CSV)"
    region = h.add("region", "Incident.region (from the feed's target)", feed,
                   ("security", "incident", *(("brief",) if map_in_brief else ())), limit=120, shapes=("img",))
    target = region.replace(",", "")
    h.fields[-1] = Field("region", h.fields[-1].column, feed, h.fields[-1].shown, normalise_region(target) or "")
    raw = ("incident",)  # the incident page shows each report as received: every cell of its rows
    post = h.add("weapon-ref", "WeaponCount.external_ref (the feed's source column)", feed, raw, limit=400,
                 shapes=("svg",))
    rows = [("2025-03-01 18:00", "2025-03-02 06:00", "Odesa oblast", "https://t.me/kpszsu/1"),
            ("2025-03-03 18:00", "2025-03-04 06:00", target, post.replace(",", ""))]
    csv = "time_start,time_end,model,launched,destroyed,target,source\n" + "".join(
        f'{a},{b},Shahed-136/131,120,100,"{t.replace(chr(34), chr(34) * 2)}","{s.replace(chr(34), chr(34) * 2)}"\n'
        for a, b, t, s in rows)
    csv_name = payload("feed-file", shapes=NO_SLASH[:1]) + ".csv"
    h.fields.append(Field("feed-file", "AuditEntry.entity_key / IncidentReport.external_ref (file name)", feed,
                          ("admin",), csv_name))
    (folder / csv_name).write_text(csv, encoding="utf-8")
    ucdp_cols = ("id,type_of_violence,date_start,date_end,best,low,high,where_prec,event_clarity,number_of_sources,"
                 "side_a,side_b,dyad_name,where_description,adm_1,adm_2")
    texts = [h.add(f"ucdp-{c}", f"Incident.{what} (UCDP {c})", "UCDP feed (CSV)", raw, limit=120,
                   shapes=("svg", "img"))
             for c, what in (("side_a", "attacker"), ("side_b", "defender"), ("dyad_name", "description"))]
    ucdp_row = ",".join(['900001', "1", "2025-04-01", "2025-04-01", "2", "1", "3", "1", "1", "2",
                         *(f'"{t.replace(",", "")}"' for t in texts), '"somewhere"', '"Odesa"', '""'])
    (folder / "ucdp.csv").write_text(f"{ucdp_cols}\n{ucdp_row}\n", encoding="utf-8")
    report_name = payload("report-file", shapes=("svg",))
    h.fields.append(Field("report-file", "IncidentReport.external_ref / Source.title (report file name)",
                          "text report", ("admin", "brief", "incident"), report_name))
    text = ("On 2025-05-02 Russia launched 90 drones at Ukraine overnight; 80 of them were destroyed. "
            + h.add("report-text", "IncidentReport.raw_text", "text report", ("incident",)))
    publisher = h.add("report-publisher", "Source.publisher (a report's)", "text report", ("incident", "brief"),
                      limit=200)
    reported_by = h.add("report-by", "IncidentReport.reported_by", "text report", (), limit=200)
    with unit_of_work(settings, identity=who("DEU")) as db:
        import_air_attacks(folder / csv_name, db=db, rel_to="PUBLIC")
        import_ucdp(folder / "ucdp.csv", db=db, rel_to="PUBLIC")
        ingested = ingest_report(text, db=db, name=report_name, rel_to="PUBLIC", publisher=publisher,
                                 on_date=date(2025, 5, 2), reported_by=reported_by)
        # pin the report where it is (`reassure incidents relink`): the link stores the report's own reference
        key = ingested.summary.incident_keys[0]
        (report,) = [a.id for a in get_incident(key, db=db).accounts if a.source == ingested.summary.source]
        relink_report(report, db=db, to=key)
        review_incident(key, db=db, standing="unconfirmed", rel_to="PUBLIC",
                        text=h.add("review-text", "IncidentReview.text", "incident review", ("incident",), limit=2000))


def load_movement(h: Hostile, settings: Any) -> None:
    """Record a movement restriction whose place and description carry payloads, as a German analyst (PUBLIC)."""
    from datetime import datetime

    from reassure.db.uow import unit_of_work
    from reassure.domains.movement.actions import record_movement
    from tests.conftest import who

    with unit_of_work(settings, identity=who("DEU")) as db:
        record_movement(db=db, kind="checkpoint", start=datetime(2025, 5, 3, 8), region="UA-51", source="src-hostile",
                        grade="C3", rel_to="PUBLIC",
                        place=h.add("mov-place", "MovementRestriction.place", "movement record", ("security", "brief"),
                                    limit=200, shapes=("img", "svg")),
                        description=h.add("mov-description", "MovementRestriction.description", "movement record",
                                          ("security", "brief"), limit=2000))


def load_rules(h: Hostile, folder: Path, settings: Any) -> None:
    """Evaluate a rules file whose texts carry payloads and store the evaluations (as `rules check --store`)."""
    from reassure.db.uow import unit_of_work
    from reassure.domains.evaluations.actions import store_evaluations
    from reassure.rules.load import load_rule_file
    from reassure.services.situation import rule_states
    from tests.conftest import who

    rule = {"id": "hostile-rule", "kind": "alert",
            "name": h.add("rule-name", "StoredEvaluation.rule_name", "rules file, `rules check --store`",
                          ("security",), limit=200),  # the security page's stored evaluations, by rule name
            "description": payload("rule-description"), "action": payload("rule-action"),
            "conditions": [{"id": "weekly", "indicator": "surge_ratio", "params": {"window": 8}, "period": "week",
                            "comparator": ">", "threshold": 2}]}
    path = folder / "rules.yaml"
    path.write_text(yaml.safe_dump({"rules": [rule]}, allow_unicode=True), encoding="utf-8")
    with unit_of_work(settings, identity=who("DEU")) as db:
        states = rule_states(load_rule_file(path), db=db)
        store_evaluations([s.evaluation for s in states], db=db)


def load_followups(h: Hostile, settings: Any, user: str) -> None:
    """Open two follow-ups of France (owned by `user`, its only user) through the follow-up actions: one overdue
    whose title carries a payload, following the hostile instrument by its key; one closed with a note."""
    from reassure.core.identity import Role
    from reassure.db.uow import unit_of_work
    from reassure.domains.followups.actions import close_followup, open_followup
    from tests.conftest import who

    legal_key = next(f.value for f in h.fields if f.fid == "legal-key")
    title = h.add("followup-title", "Followup.title", "a follow-up opened by the actions", ("overview", "followups"),
                  limit=300, shapes=("img", "svg"))
    note = h.add("followup-note", "Followup.note", "`reassure followups done --note`", ("followups",), limit=2000)
    with unit_of_work(settings, identity=who("FRA", Role.PLANNER, user=user)) as db:
        open_followup(db=db, title=title, follows_kind="legal", follows_key=f"{SCENARIO}/{legal_key}/renewal",
                      due_on=date(2025, 1, 1), rests_on="PUBLIC")
        closed = open_followup(db=db, title="Check the renewal", follows_kind="rule", follows_key="hostile-rule",
                               due_on=date(2025, 1, 1), rests_on="PUBLIC")
        assert closed is not None
        close_followup(closed.id, db=db, note=note)


def load_asks(h: Hostile, settings: Any) -> None:
    """Draft an ask to Germany for the hostile task (its note a payload), send it and record an answer in part whose
    conditions carry a payload, as a German planner (PUBLIC, like the scenario): the asks page and the brief's annex."""
    from reassure.core.identity import Role
    from reassure.db.uow import unit_of_work
    from reassure.domains.requests.actions import answer_ask, create_ask, send_ask
    from tests.conftest import who

    note = h.add("ask-note", "ForceAsk.note", "`reassure asks create --note`", ("asks",), limit=2000)
    conditions = h.add("ask-conditions", "ForceAsk.conditions", "the asks page's answer form", ("asks", "brief"),
                       limit=2000)
    with unit_of_work(settings, identity=who("DEU", Role.PLANNER)) as db:
        ask = create_ask(SCENARIO, db=db, nation="DEU", capability="fighter_squadron", quantity=3,
                         available_from=date(2027, 1, 1), available_to=date(2027, 3, 31), on_date=date(2026, 11, 1),
                         personnel_per_unit=100, where=["air"], max_tour=3, min_dwell=3, tasks=["AIR-WEST"],
                         note=note)
        send_ask(ask.id, db=db, on_date=date(2026, 11, 2))
        answer_ask(ask.id, db=db, answer="part", accepted=1, on_date=date(2026, 11, 3), conditions=conditions)


def load_token(h: Hostile, settings: Any, user: str) -> None:
    """Make an API token whose label carries a payload (as `reassure users token`)."""
    from reassure.db.uow import lookup_session, unit_of_work
    from reassure.domains.users.actions import create_token
    from reassure.domains.users.service import identity_for

    label = h.add("token-label", "ApiToken.label", "users token", ("admin", "sessions"), limit=80,
                  shapes=("imgshort",))
    with lookup_session(settings) as db:
        identity = identity_for(db, user)
    with unit_of_work(settings, identity=identity) as db:
        create_token(identity, label, db=db)


def session_user_agent(h: Hostile) -> str:
    """Return a browser's User-Agent header: the session it signs in to stores it, and the sessions page shows it."""
    return h.add("session-ua", "WebSession.user_agent", "sign-in (the browser's User-Agent header)", ("sessions",),
                 limit=120, shapes=("imgshort", "svgshort"))


def sign_in_name(h: Hostile) -> str:
    """Return a user name to sign in with (and fail): the sign-in throttle stores it (POST /sign-in)."""
    return h.add("signin", "SignInFailure.name", "POST /sign-in (a failed attempt)", (), limit=64,
                 shapes=("svg",), prefix=False)


def text_columns() -> set[str]:
    """Return every text column (String, Text, JSON; foreign keys aside: they hold keys of other tables) of the
    models, as 'table.column'."""
    from sqlalchemy import JSON, String, Text

    from reassure.domains.metadata import Base

    return {f"{table.name}.{column.name}" for table in Base.metadata.tables.values() for column in table.columns
            if isinstance(column.type, String | Text | JSON) and not column.foreign_keys}


def job_label(h: Hostile) -> str:
    """Return a solve job's label (POST /api/v1/jobs); the stored plan takes it."""
    return h.add("job-label", "Job.params.label / StoredPlan.label", "POST /api/v1/jobs (solve)",
                 ("plan", "brief", "map"), limit=200, shapes=("quote", "svg"))

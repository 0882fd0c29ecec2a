"""Produce a brief for a reader: gather the context in one unit of work as the reader (their nation, another nation
an admin previews, or PUBLIC only), render it, and record the rendering in the audit log as the acting user."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from reassure.brief.render import render_html, render_pdf
from reassure.core.errors import InputError
from reassure.core.identity import Identity
from reassure.core.map_period import MapPeriod
from reassure.core.markings import Releasability, most_restrictive, parse_marking
from reassure.db.uow import retrying, unit_of_work
from reassure.domains.audit.actions import brief_rendered
from reassure.services.briefing import BriefContext, brief_context, scenario_to_brief
from reassure.settings import Settings


@dataclass(frozen=True)
class Produced:
    """A rendered brief and what it was made of."""

    context: BriefContext
    html: str
    pdf: bytes | None


def reader_identity(identity: Identity, *, public: bool = False) -> Identity:
    """Return whom the brief is read as: the user, PUBLIC only, or (an admin's preview, via the identity's view_as)
    what the admin's nation and the previewed one both see."""
    if public:
        return Identity(user=identity.user, nation=identity.nation, roles=identity.roles, public_only=True)
    return identity


def produce(settings: Settings, identity: Identity, *, scenario: str | None = None, plan_id: str | None = None,
            as_of: date | None = None, public: bool = False, pdf: bool = True, attack_date: date | None = None,
            incident: str | None = None, map_period: MapPeriod | None = None, audience: str = "staff",
            on_stage: Callable[[str], None] | None = None) -> Produced:
    """Gather, render (HTML, and PDF when asked) and audit one brief: of `scenario`, else of the reader's nation's
    default scenario (an error asks for one when the nation has none); of the stored plan `plan_id` (a public id);
    for `audience` "staff" (the full brief) or "minister" (two pages: the bottom line and the situation); its
    incident map over `map_period` (default: the most recent complete month). `on_stage` hears each stage begin
    ("gathering", "charts", "pdf": labels of kind "stage"), for a job's progress."""
    stage = on_stage or (lambda _name: None)
    stage("gathering")
    reader = reader_identity(identity, public=public)
    if scenario is None and public:  # the default is the nation's own setting, which PUBLIC-only reads cannot see
        with unit_of_work(settings, identity=identity) as db:
            scenario = scenario_to_brief(db=db)
    with unit_of_work(settings, identity=reader) as db:
        context = brief_context(scenario, db=db, plan_id=plan_id, as_of=as_of, attack_date=attack_date,
                                incident=incident, stale_after_days=settings.stale_after_days,
                                map_period=map_period, audience=audience,
                                expiry_window_days=settings.expiry_window_days,
                                stale_record_days=settings.stale_record_days)
    # The data layer returns only rows the reader sees, so the marking (the narrowest of every part) names every
    # reader; this is the backstop that the brief is never marked wider than what its content is released to.
    if not reader.sees(parse_marking(context.marking)):
        raise InputError(f"a brief for {reader.audience} cannot be marked {context.marking}")
    stage("charts")
    html = render_html(context, boundaries=settings.boundaries)
    if pdf:
        stage("pdf")
    document = render_pdf(html) if pdf else None
    plan = context.plan.plan.id if context.plan else None
    actor = identity.acting()  # the user, not a preview
    # A preview's row is for the admin's nation only, like the preview row itself (docs/adr/0007).
    rel_to = (most_restrictive(parse_marking(context.marking), Releasability.to(actor.nation)).to_column()
              if reader.preview else None)
    retrying(settings, actor, lambda db: brief_rendered(
        db, scenario=context.scenario.scenario.name, reader="PUBLIC" if public else reader.preview or reader.audience,
        marking=context.marking, plan_id=plan, fmt="pdf" if pdf else "html", rel_to=rel_to, audience=audience,
        figures=context.bottom.figures if context.bottom is not None else None))
    return Produced(context, html, document)


def write(produced: Produced, out: Path) -> Path:
    """Write the brief as PDF or HTML, by the file's suffix."""
    out.parent.mkdir(parents=True, exist_ok=True)
    if out.suffix.lower() == ".pdf":
        assert produced.pdf is not None
        out.write_bytes(produced.pdf)
    else:
        out.write_text(produced.html, encoding="utf-8")
    return out

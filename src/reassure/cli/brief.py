"""`reassure brief`: the printable situation and planning brief (PDF or HTML) for your nation, PUBLIC only, or (admins,
`--nation`) another nation; the full staff brief, or the minister's two pages (`--format minister`)."""

from __future__ import annotations

import time
from datetime import datetime
from enum import StrEnum
from pathlib import Path

import typer

from reassure.cli.context import console, identity, require_schema, state


class Audience(StrEnum):
    """Whom the brief is written for."""

    STAFF = "staff"
    MINISTER = "minister"


def brief_command(
    ctx: typer.Context,
    out: Path | None = typer.Option(None, "--out", help="brief.pdf or brief.html (default: "
                                    "reassure-brief-<scenario>-<today, UTC>.pdf here)"),
    audience: Audience = typer.Option(Audience.STAFF, "--format", help="staff: the full brief, its bottom line first "
                                      "and annexes after; minister: two pages, the decisions needed and the "
                                      "situation"),
    scenario: str | None = typer.Option(None, "--scenario", help="scenario (default: your nation's default scenario, "
                                        "`reassure nation default-scenario`)"),
    plan_id: str | None = typer.Option(None, "--plan", help="stored plan id, plan_… (default: the scenario's newest "
                                       "plan your nation made)"),
    on: datetime | None = typer.Option(None, "--date", formats=["%Y-%m-%d"], help="situation as of this day"),
    public: bool = typer.Option(False, "--public", help="only PUBLIC records (for release outside the coalition)"),
    attack_date: datetime | None = typer.Option(None, "--attack-date", formats=["%Y-%m-%d"],
                                                help="show side by side the accounts of the attacks dated this day "
                                                "(a night by the morning it ends); default: the most recent attack "
                                                "night you see accounts of from two or more sources"),
    incident: str | None = typer.Option(None, "--incident", help="show side by side the accounts of this incident "
                                        "(its key, as `reassure incidents` lists it)"),
    for_nation: str | None = typer.Option(None, "--for", help="admins: a preview of this nation, holding only what "
                                          "is released to both it and yours (the same as the global --nation)"),
    map_period: str | None = typer.Option(None, "--map-period", help="the incident map's period: a month (2026-11), "
                                          "a year, two days (2026-10-01..2026-11-15) or all; default: the most "
                                          "recent complete month"),
) -> None:
    """Write the brief: the bottom line (decisions needed, shortfall, US backstop, exit conditions and triggers, what
    changed since the previous brief), then key takeaways, verified facts, unconfirmed, planning assumptions, force,
    plan, security, exit conditions and triggers, sources; or, with --format minister, two pages: the bottom line and
    the situation. The releasability banner and page numbers on every page."""
    from reassure.brief.files import brief_file_name
    from reassure.brief.produce import produce, write
    from reassure.core.map_period import parse_map_period

    if out is not None and out.suffix.lower() not in (".pdf", ".html"):
        raise typer.BadParameter("--out must end in .pdf or .html")
    period = parse_map_period(map_period) if map_period is not None else None
    require_schema(ctx)
    if for_nation:
        current = state(ctx)
        current.settings = current.settings.model_copy(update={"nation": for_nation.upper()})
        current.identity = None  # resolved again, as a preview of that nation (admins only)
    started = time.perf_counter()
    with console.status("gathering and rendering the brief"):
        produced = produce(state(ctx).settings, identity(ctx), scenario=scenario, plan_id=plan_id,
                           as_of=on.date() if on else None, public=public,
                           pdf=out is None or out.suffix.lower() == ".pdf", map_period=period,
                           attack_date=attack_date.date() if attack_date else None, incident=incident,
                           audience=audience.value)
    # named by the day it was prepared
    out = out or Path(brief_file_name(produced.context.scenario.scenario.name, audience=audience.value))
    write(produced, out)
    b = produced.context
    console.print(f"{audience.value} brief written to {out} ({out.stat().st_size:,} bytes) in "
                  f"{time.perf_counter() - started:.1f} s: "
                  f"scenario {b.scenario.scenario.name}, plan {b.plan.plan.id if b.plan else 'none'}, marked "
                  f"{b.marking}, {b.preview or 'for ' + b.audience}", highlight=False)

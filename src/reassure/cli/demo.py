"""`reassure demo`: build the embedded database from the bundled data and print the coalition summary."""

from __future__ import annotations

import time
from pathlib import Path

import typer
from rich.panel import Panel
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from reassure import migrations as migrate
from reassure.cli.context import console, identity, plain, run, session, state
from reassure.cli.demo_monitor import find_data, ingest_demo_incidents, print_monitoring, situation_for_demo
from reassure.cli.demo_plan import plan_demo
from reassure.cli.registry import STANDING_STYLE
from reassure.core.identity import Identity, Role
from reassure.core.markings import Releasability
from reassure.db.uow import engine_for, lookup_session, unit_of_work
from reassure.domains.planning.problem import problem_and_marking
from reassure.domains.scenarios.importing import load_bundled
from reassure.domains.scenarios.schemas import CoalitionSummary
from reassure.domains.scenarios.service import coalition_summary
from reassure.domains.sources.schemas import ClaimRead
from reassure.domains.users.actions import first_admin
from reassure.domains.users.service import any_users
from reassure.planner.instance import Problem
from reassure.scenario_io.bundled import BUNDLED
from reassure.services.briefing import facts_picture
from reassure.services.planning import PlanReview
from reassure.settings import Settings

SCENARIO = "illustrative"
DEMO_ADMIN = "demo-admin"


def demo_command(
    ctx: typer.Context,
    data: Path | None = typer.Option(
        None, "--data", help="public data folder (default: $REASSURE_SHARED_DATA, else ../shared/data if present)"),
    plan_seconds: float = typer.Option(4.0, "--plan-seconds", help="solver time per plan (two plans are made)"),
    admin_nation: str = typer.Option("FRA", "--admin-nation",
                                     help="nation of the first admin the demo creates on a database with no users"),
    serve_after: bool = typer.Option(False, "--serve", help="then serve the dashboard: gives the demo admin and a "
                                     "German demo viewer new passwords (printed once) and serves until Ctrl-C"),
    port: int = typer.Option(8000, "--port", min=1, max=65535, help="port for --serve (loopback only)"),
    brief_dir: Path = typer.Option(Path("out"), "--brief-dir", help="where the demo writes brief.html and brief.pdf"),
) -> None:
    """Build the database from the bundled data, then print the coalition, the security situation and the rules."""
    started = time.perf_counter()
    engine = engine_for(state(ctx).settings)
    console.rule("[bold]reassure[/bold] — coalition registry demo")
    console.print(f"database: {engine.url.render_as_string(hide_password=True)}")
    migrate.upgrade(engine)
    _act_as_demo_admin(ctx, admin_nation)
    with Progress(TextColumn("{task.description}"), BarColumn(), TextColumn("{task.completed}/{task.total}"),
                  TimeElapsedColumn(), console=console, transient=False) as progress:
        task = progress.add_task("schema", total=len(BUNDLED) + 1)
        progress.advance(task)
        with session(ctx) as db:
            reports = load_bundled(db=db, on_file=lambda name: progress.update(task, description=name))
            progress.update(task, completed=len(BUNDLED) + 1, description="bundled data loaded")
    changed = sum(r.changes for r in reports)
    console.print(f"{changed} record(s) written ({'first build' if changed else 'already up to date'})")
    landing_page(state(ctx).settings, identity(ctx))
    with session(ctx) as db:
        facts = facts_picture(db=db)
        summary = coalition_summary(SCENARIO, db=db)
        problem, marking = problem_and_marking(SCENARIO, db=db)
    print_seed_facts(facts.event)
    print_positions(facts.positions)
    print_summary(summary)
    picture = plan_demo(problem, marking=str(Releasability.from_column(marking)), seconds=plan_seconds)
    plan_id = store_demo_plans(ctx, problem, marking, picture, plan_seconds)
    with session(ctx) as db:
        origin = ingest_demo_incidents(find_data(data or state(ctx).settings.shared_data), db=db)
    with session(ctx) as db:
        print_monitoring(origin, situation_for_demo(db=db, stale_after_days=state(ctx).settings.stale_after_days))
    write_demo_brief(ctx, plan_id, brief_dir, data)
    console.print(f"[dim]demo finished in {time.perf_counter() - started:.1f} s[/dim]")
    who = identity(ctx).user
    console.print(f"next: export REASSURE_USER={who}, then try\n"
                  "  reassure pledges --scenario illustrative --domain sea\n"
                  "  reassure plan build --scenario illustrative --out p.json && reassure plan solve p.json\n"
                  "  reassure incidents --limit 10; reassure rules check; reassure audit\n"
                  "  reassure users add NAME --nation FRA --role planner\n"
                  "  reassure demo --serve   (the dashboard on http://127.0.0.1:8000/)\n"
                  "  reassure brief --out brief.pdf --public",
                  highlight=False, soft_wrap=True)
    if serve_after:
        from reassure.cli.serve import serve

        for name, password in demo_passwords(ctx).items():
            console.print(f"sign in as [bold]{name}[/bold] with password [bold]{password}[/bold] (shown once)")
        settings = with_oblasts(state(ctx).settings, data)
        if settings.boundaries is not None:
            console.print(f"oblast boundaries for the maps: {settings.boundaries}", highlight=False)
        serve(settings, host="127.0.0.1", port=port, workers=1)


DEMO_VIEWER, DEMO_DEU_ADMIN = "demo-viewer-deu", "demo-admin-deu"


def store_demo_plans(ctx: typer.Context, problem: Problem, marking: str, picture: PlanReview,
                     seconds: float) -> str:
    """Keep the demo's plan and its no-backstop re-plan (linked to it), so the dashboard and the brief show them."""
    from reassure.cli.demo_plan import ask_demo
    from reassure.domains.planning.problem import problem_json
    from reassure.domains.plans.actions import attach_asks, store_plan

    settings = {"method": "cp-sat", "time_limit": seconds, "seed": 1, "via": "demo"}
    base = run(ctx, lambda db: store_plan(db=db, scenario=SCENARIO, problem=problem_json(problem), plan=picture.plan,
                                          rel_to=marking, settings=settings, label="demo"))
    if picture.whatif is not None:
        whatif = picture.whatif
        stored = run(ctx, lambda db: store_plan(db=db, scenario=SCENARIO, problem=problem_json(whatif.problem),
                                                plan=whatif.plan, rel_to=marking, base=base.id,
                                                label="demo: no US backstop",
                                                settings={**settings, "method": "what-if",
                                                          "changes": ["us_backstop=false"]}))
        # What to ask nations for so the force without the US backstop covers what it covers with it (issue 23):
        # stored with the what-if, so the plan page and the brief list the asks.
        asks = ask_demo(whatif, picture.plan.coverage, seconds=min(seconds, 3.0))
        run(ctx, lambda db: attach_asks(stored.id, asks, db=db,
                                        settings={"target": picture.plan.coverage, "via": "demo"}))
    return base.id


OBLASTS = ("boundaries", "geoBoundaries-UKR-ADM1_simplified.geojson")


def with_oblasts(settings: Settings, data: Path | None) -> Settings:
    """Return the settings with the public data folder's oblast boundaries, unless some are set or none are found."""
    folder = find_data(data or settings.shared_data)
    oblasts = folder.joinpath(*OBLASTS) if folder else None
    if settings.boundaries is None and oblasts is not None and oblasts.is_file():
        return settings.model_copy(update={"boundaries": oblasts})
    return settings


def write_demo_brief(ctx: typer.Context, plan_id: str, folder: Path, data: Path | None) -> None:
    """Write the demo's brief as HTML and PDF and say where."""
    from reassure.brief.produce import produce, write

    settings = with_oblasts(state(ctx).settings, data)
    with console.status("writing the brief"):
        produced = produce(settings, identity(ctx), scenario=SCENARIO, plan_id=plan_id)
        html, pdf = write(produced, folder / "brief.html"), write(produced, folder / "brief.pdf")
    console.print(f"brief: {html} and {pdf} ({produced.context.marking}, for {produced.context.audience})",
                  highlight=False)


def landing_page(settings: Settings, admin: Identity) -> None:
    """Make the bundled scenario the admin's nation's default (its landing page and default brief), unless the
    nation has chosen one already or the user is no admin; say which."""
    from reassure.domains.preferences.actions import set_default_scenario
    from reassure.domains.preferences.service import get_default_scenario

    if not admin.has(Role.ADMIN) or admin.view_as is not None:
        return
    with unit_of_work(settings, identity=admin) as db:
        current = get_default_scenario(db=db)
        if current.scenario is None:
            current = set_default_scenario(SCENARIO, db=db)
    console.print(f"{current.nation}'s pages and briefs open on scenario {current.scenario} "
                  f"(`reassure nation default-scenario` shows or changes it)", highlight=False)


def demo_passwords(ctx: typer.Context) -> dict[str, str]:
    """Give the demo admin and a German viewer (made on first use, through a German admin) fresh passwords."""
    import secrets

    from reassure.domains.users.actions import add_user, set_password
    from reassure.domains.users.service import find_user, identity_for

    settings = state(ctx).settings
    admin = identity(ctx)
    passwords = {admin.user: secrets.token_urlsafe(12), DEMO_VIEWER: secrets.token_urlsafe(12)}
    with lookup_session(settings) as db:
        have_deu_admin = find_user(db, DEMO_DEU_ADMIN) is not None
        have_viewer = find_user(db, DEMO_VIEWER) is not None
    with unit_of_work(settings, identity=admin) as db:
        set_password(admin, admin.user, passwords[admin.user], db=db)
        if not have_deu_admin:  # onboarding: an admin may create a nation's first account, as its admin
            add_user(admin, DEMO_DEU_ADMIN, "DEU", ["admin"], db=db)
    with lookup_session(settings) as db:
        deu_admin = identity_for(db, DEMO_DEU_ADMIN)
    with unit_of_work(settings, identity=deu_admin) as db:
        if not have_viewer:
            add_user(deu_admin, DEMO_VIEWER, "DEU", ["viewer", "analyst"], db=db)
        set_password(deu_admin, DEMO_VIEWER, passwords[DEMO_VIEWER], db=db)
    if deu_admin.has(Role.ADMIN):  # Germany's landing page, chosen by Germany's own admin (never by France's)
        landing_page(settings, deu_admin)
    return passwords


def _act_as_demo_admin(ctx: typer.Context, nation: str) -> None:
    """Act as the stored user named by --user; on a database with no users, create the first admin and say so."""
    current = state(ctx)
    with lookup_session(current.settings) as db:
        empty = not any_users(db)
    if empty:
        name = current.settings.user or DEMO_ADMIN
        founder = Identity(user=name, nation=nation.upper(), roles=frozenset({Role.ADMIN}))
        with unit_of_work(current.settings, identity=founder) as db:
            current.identity = first_admin(name, nation, db=db)
        console.print(f"created the first admin [bold]{name}[/bold] ({nation.upper()}), with no password: act as "
                      f"them with --user {name} (or REASSURE_USER={name}); add users with `reassure users add`")
        return
    if current.settings.user is None and current.settings.token is None:
        current.settings = current.settings.model_copy(update={"user": DEMO_ADMIN})
    console.print(f"acting as {identity(ctx)}")


def print_seed_facts(claims: tuple[ClaimRead, ...]) -> None:
    """Print the Paris summit facts split into verified and unconfirmed, with grades and sources."""
    table = Table(title="Paris, 4 Sep 2025 — what the reports say", show_lines=False)
    for column in ("standing", "claim", "figure", "grade", "sources"):
        table.add_column(column, overflow="fold")
    for c in claims:
        figure = f"{c.quantity} {c.unit or ''}".strip() if c.quantity else "—"
        table.add_row(f"[{STANDING_STYLE[c.standing]}]{c.standing}[/]", *plain(c.statement, figure), c.grade or "—",
                      *plain(", ".join(c.sources)))
    console.print(table)


def print_positions(positions: dict[str, tuple[ClaimRead, ...]]) -> None:
    """Print each nation's reported positions (news digest), newest first."""
    table = Table(title="Reported national positions, 2025–2026 (news digest; unconfirmed unless marked)")
    table.add_column("nation")
    table.add_column("positions (report date, grade)", overflow="fold")
    for nation, rows in positions.items():
        text = "; ".join(f"{c.topic.replace('_', ' ')}"
                         f"{' ' + c.quantity if c.quantity else ''} ({c.reported_on}, {c.grade})" for c in rows)
        table.add_row(nation, *plain(text))
    console.print(table)


def print_summary(summary: CoalitionSummary) -> None:
    """Print the scenario's pledged force by domain and nation under an assumption banner."""
    s = summary.scenario
    console.print(Panel(f"[bold]{s.title}[/bold]\n{s.description}\nhorizon {s.horizon_start}, {s.periods} "
                        f"{s.period}s · flags: " + ", ".join(f"{k}={'on' if v else 'off'}" for k, v in s.flags.items()),
                        title="[cyan]PLANNING ASSUMPTIONS[/cyan] — not reported figures", border_style="cyan"))
    table = Table(title="Pledged force by domain (assumed)")
    for column in ("domain", "nations", "pledges", "units", "personnel/rotation", "units with conditions"):
        table.add_column(column, justify="left" if column == "domain" else "right")
    for d in summary.domains:
        table.add_row(d.domain, str(d.nations), str(d.pledges), str(d.units), f"{d.personnel:,}",
                      str(d.conditional_units))
    total = [sum(getattr(d, f) for d in summary.domains) for f in ("pledges", "units", "personnel")]
    table.add_row("[bold]all[/bold]", str(len(summary.nations)), str(total[0]), str(total[1]), f"{total[2]:,}", "")
    console.print(table)
    nations = Table(title="Pledged units by nation (assumed)")
    for column in ("nation", "land", "sea", "air", "enabler", "personnel", "conditions", "caveats"):
        nations.add_column(column, overflow="fold")
    for n in summary.nations:
        u = n.units_by_domain
        nations.add_row(f"{n.nation} {n.name}", *(str(u.get(d, 0) or "·") for d in ("land", "sea", "air", "enabler")),
                        f"{n.personnel:,}", ", ".join(n.conditions) or "—", "; ".join(n.caveats) or "—")
    console.print(nations)
    claims = summary.claim_standing
    console.print(f"Claims on record: {claims.get('verified', 0)} verified, {claims.get('unconfirmed', 0)} "
                  f"unconfirmed, {claims.get('assumption', 0)} assumptions, from {summary.sources} sources. "
                  f"Pledges in this scenario: {summary.pledge_standing.get('assumption', 0)} assumed, "
                  f"{summary.pledge_standing.get('verified', 0) + summary.pledge_standing.get('unconfirmed', 0)} "
                  "reported.")

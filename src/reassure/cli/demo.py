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
from reassure.cli.demo_monitor import ingest_with_progress, print_monitoring
from reassure.cli.demo_plan import ask_demo, plan_demo
from reassure.cli.output import STANDING_STYLE
from reassure.core.labels import flag_label, flags_label
from reassure.core.nations import nation_label
from reassure.db.uow import engine_for
from reassure.domains.preferences.schemas import DefaultScenarioRead
from reassure.domains.scenarios.schemas import CoalitionSummary
from reassure.domains.sources.schemas import ClaimRead
from reassure.scenario_io.bundled import BUNDLED
from reassure.services import demo


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
            changed = demo.load_registry(db=db, on_file=lambda name: progress.update(task, description=name))
            progress.update(task, completed=len(BUNDLED) + 1, description="bundled data loaded")
    console.print(f"{changed} record(s) written ({'first build' if changed else 'already up to date'})")
    print_landing_page(demo.landing_page(state(ctx).settings, identity(ctx)))
    with session(ctx) as db:
        facts = demo.demo_facts(db=db)
    print_seed_facts(facts.facts.event)
    print_positions(facts.facts.positions)
    print_summary(facts.summary)
    picture = plan_demo(facts.problem, marking=facts.marking_label, seconds=plan_seconds)
    # What to ask nations for so the force without the US backstop covers what it covers with it (issue 23).
    asks = None if picture.whatif is None else ask_demo(picture.whatif, picture.plan.coverage,
                                                        seconds=min(plan_seconds, 3.0))
    replaced = demo.replace_demo_plans(write=lambda work: run(ctx, work))
    plan_id = demo.store_demo_plans(facts.problem, facts.marking, picture, plan_seconds, asks=asks,
                                    write=lambda work: run(ctx, work))
    console.print(f"stored the plan and its no-backstop re-plan ({facts.marking_label})"
                  + (f", replacing the {replaced} plan(s) of the demo's earlier run" if replaced else ""),
                  highlight=False)
    second_nation(ctx, plan_seconds)
    with session(ctx) as db:
        origin = ingest_with_progress(demo.find_data(data or state(ctx).settings.shared_data), db=db)
    with session(ctx) as db:
        print_monitoring(origin, demo.situation_for_demo(db=db, stale_after_days=state(ctx).settings.stale_after_days))
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

        accounts = demo.demo_passwords(state(ctx).settings, identity(ctx))
        print_landing_page(accounts.deu_landing)
        for name, password in accounts.passwords.items():
            console.print(f"sign in as [bold]{name}[/bold] with password [bold]{password}[/bold] (shown once)")
        settings = demo.with_oblasts(state(ctx).settings, data)
        if settings.boundaries is not None:
            console.print(f"oblast boundaries for the maps: {settings.boundaries}", highlight=False)
        serve(settings, host="127.0.0.1", port=port, workers=1)


def second_nation(ctx: typer.Context, seconds: float) -> None:
    """Say how much less the German demo viewer reads than the demo admin, and store Germany's own plan from the
    records released to it (the admin's plan, built from pledges released to FRA and GBR only, is hidden from it)."""
    settings, admin = state(ctx).settings, identity(ctx)
    difference = demo.release_difference(settings, admin)
    if difference is not None:
        withheld = "; ".join(f"{count} {'is' if count == 1 else 'are'} released only to "
                             f"{marking.removeprefix('REL TO ')}" for marking, count in difference.withheld.items())
        console.print(f"releasability: the demo viewer of {nation_label(difference.nation)} ({demo.DEMO_VIEWER}) sees "
                      f"{difference.seen} of the {difference.total} pledges you see" + (f": {withheld}" if withheld
                                                                                         else "")
                      + f" (counted as your preview of {difference.nation}, audited)", highlight=False)
    deu_admin = demo.demo_accounts(settings, admin)
    if deu_admin is None:
        return
    with console.status(f"solving the plan {deu_admin.nation} reads (the records released to it)"):
        nation_plan = demo.store_nation_plan(settings, deu_admin, seconds)
    name = nation_label(deu_admin.nation)
    console.print(f"stored {name}'s own plan as {deu_admin.user}, from the {nation_plan.units} units released to "
                  f"{deu_admin.nation} (coverage {nation_plan.coverage:.1%}, marked {nation_plan.marking}): "
                  f"{name}'s plan page and brief open on it, since your plan rests on pledges not released to "
                  f"{deu_admin.nation} and is marked so" + (f"; it replaces the {nation_plan.replaced} of the earlier "
                                                            "run" if nation_plan.replaced else ""), highlight=False)


def write_demo_brief(ctx: typer.Context, plan_id: str, folder: Path, data: Path | None) -> None:
    """Write the demo's brief as HTML and PDF, through the brief's own entry (as `reassure brief` does), and say
    where."""
    from reassure.brief.produce import produce, write

    settings = demo.with_oblasts(state(ctx).settings, data)
    with console.status("writing the brief"):
        produced = produce(settings, identity(ctx), scenario=demo.SCENARIO, plan_id=plan_id)
        html, pdf = write(produced, folder / "brief.html"), write(produced, folder / "brief.pdf")
    console.print(f"brief: {html} and {pdf} ({produced.context.marking}, for {produced.context.audience})",
                  highlight=False)


def print_landing_page(current: DefaultScenarioRead | None) -> None:
    """Say which scenario a nation's pages and briefs open on (nothing when the demo set none)."""
    if current is None:
        return
    console.print(f"{current.nation}'s pages and briefs open on scenario {current.scenario} "
                  f"(`reassure nation default-scenario` shows or changes it)", highlight=False)


def _act_as_demo_admin(ctx: typer.Context, nation: str) -> None:
    """Act as the stored user named by --user; on a database with no users, create the first admin and say so."""
    current = state(ctx)
    user = demo.demo_user(current.settings, nation)
    current.settings = user.settings
    if user.founder is not None:
        current.identity = user.founder
        name = user.founder.user
        console.print(f"created the first admin [bold]{name}[/bold] ({nation.upper()}), with no password: act as "
                      f"them with --user {name} (or REASSURE_USER={name}); add users with `reassure users add`")
        return
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
    flags = ", ".join(f"{flag_label(k)} {'assumed present' if v else 'assumed absent'}" for k, v in s.flags.items())
    console.print(Panel(f"[bold]{s.title}[/bold]\n{s.description}\nhorizon {s.horizon_start}, {s.periods} "
                        f"{s.period}s · flags: {flags}",
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
                        f"{n.personnel:,}", flags_label(n.conditions) or "—", "; ".join(n.caveats) or "—")
    console.print(nations)
    claims = summary.claim_standing
    console.print(f"Claims on record: {claims.get('verified', 0)} verified, {claims.get('unconfirmed', 0)} "
                  f"unconfirmed, {claims.get('assumption', 0)} assumptions, from {summary.sources} sources. "
                  f"Pledges in this scenario: {summary.pledge_standing.get('assumption', 0)} assumed, "
                  f"{summary.pledge_standing.get('verified', 0) + summary.pledge_standing.get('unconfirmed', 0)} "
                  "reported.")

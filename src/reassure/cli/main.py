"""The `reassure` command: global options, then one sub-command per job."""

from __future__ import annotations

import typer

from reassure.cli import (
    alerts,
    asks,
    audit,
    db,
    followups,
    monitor,
    movement,
    nation,
    plan,
    plans,
    registry,
    scenario_parts,
    sweep,
    users,
    verify,
)
from reassure.cli.brief import brief_command
from reassure.cli.context import ReassureGroup, State
from reassure.cli.demo import demo_command
from reassure.cli.extract import extract_command
from reassure.cli.plan_db import build_command
from reassure.cli.serve import serve_command
from reassure.settings import get_settings

app = typer.Typer(
    name="reassure",
    help="Plan, run and monitor a multinational reassurance force.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    cls=ReassureGroup,
)


@app.callback()
def main(
    ctx: typer.Context,
    database: str | None = typer.Option(None, "--db", envvar="REASSURE_DATABASE_URL",
                                        help="SQLAlchemy URL (default: SQLite in ~/.local/share/reassure/)"),
    user: str | None = typer.Option(None, "--user", envvar="REASSURE_USER",
                                    help="the stored user who acts; their nation and roles come from the database"),
    token: str | None = typer.Option(None, "--token", envvar="REASSURE_TOKEN",
                                     help="an API token instead of --user (from `reassure users token`)"),
    nation: str | None = typer.Option(None, "--nation", envvar="REASSURE_NATION",
                                      help="admins only: preview what this nation sees (read-only)"),
) -> None:
    """Plan, run and monitor a multinational reassurance force."""
    ctx.obj = State(settings=get_settings(database_url=database, user=user, token=token, nation=nation))


app.add_typer(db.app, name="db")
app.add_typer(users.app, name="users")
app.add_typer(nation.app, name="nation")
app.command("audit")(audit.audit_command)
app.command("import")(registry.import_command)
app.command("export")(registry.export_command)
app.command("pledges")(registry.pledges_command)
app.command("sources")(registry.sources_command)
app.command("claims")(registry.claims_command)
app.command("scenarios")(registry.scenarios_command)
app.command("tasks")(scenario_parts.tasks_command)
app.command("phases")(scenario_parts.phases_command)
app.command("command")(scenario_parts.command_command)
app.command("legal")(scenario_parts.legal_command)
app.add_typer(scenario_parts.pledge_app, name="pledge")
app.command("demo")(demo_command)
app.command("serve")(serve_command)
app.command("brief")(brief_command)
app.command("extract")(extract_command)
plan.app.command("build")(build_command)
app.add_typer(plan.app, name="plan")
app.add_typer(plans.app, name="plans")
app.add_typer(asks.app, name="asks")
app.add_typer(monitor.ingest_app, name="ingest")
app.add_typer(monitor.incidents_app, name="incidents")
app.command("indicators")(monitor.indicators_command)
app.add_typer(monitor.rules_app, name="rules")
app.add_typer(alerts.app, name="alerts")
app.add_typer(verify.app, name="verify")
app.add_typer(followups.app, name="followups")
app.command("renewals")(followups.renewals_command)
app.add_typer(movement.app, name="movement")
app.command("sweep")(sweep.sweep_command)
app.add_typer(sweep.app, name="sweeps")


def run() -> None:
    """Entry point of the console script."""
    app()

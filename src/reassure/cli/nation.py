"""`reassure nation …`: your nation's own settings, e.g. the default scenario its pages and briefs open on."""

from __future__ import annotations

import typer

from reassure.cli.context import JSON_OPTION, console, print_json, require_schema, run, session
from reassure.core.errors import InputError
from reassure.domains.preferences.schemas import DefaultScenarioRead

app = typer.Typer(help="Your nation's settings: the default scenario of its pages and briefs (admins set it).",
                  no_args_is_help=True)


@app.command("default-scenario")
def default_scenario_command(
    ctx: typer.Context,
    name: str | None = typer.Argument(None, help="make this scenario the default (admins); without it, show it"),
    clear: bool = typer.Option(False, "--clear", help="remove the default (admins): pages then ask each reader"),
    as_json: bool = JSON_OPTION,
) -> None:
    """Show, set (NAME) or clear (--clear) the scenario your nation's pages and briefs open on."""
    from reassure.domains.preferences.actions import clear_default_scenario, set_default_scenario
    from reassure.domains.preferences.service import get_default_scenario

    require_schema(ctx)
    if name is not None and clear:
        raise InputError("default-scenario: give a scenario NAME or --clear, not both")
    if name is not None:
        found = run(ctx, lambda db: set_default_scenario(name, db=db))
    elif clear:
        found = run(ctx, lambda db: clear_default_scenario(db=db))
    else:
        with session(ctx) as db:
            found = get_default_scenario(db=db)
    if as_json:
        print_json([found])
        return
    console.print(describe(found), highlight=False, markup=False)


def describe(found: DefaultScenarioRead) -> str:
    """Say what a nation's pages and briefs open on."""
    if found.scenario is None:
        return (f"{found.nation} has no default scenario: its pages ask each reader to choose, and `reassure brief` "
                "needs --scenario (an admin sets one with `reassure nation default-scenario NAME`)")
    when = f" on {found.set_at:%Y-%m-%d %H:%M}" if found.set_at else ""
    return (f"{found.nation} opens on scenario {found.scenario} ({found.title}), set by {found.set_by}{when}; "
            f"this setting is {found.marking}")

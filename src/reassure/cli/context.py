"""Shared CLI state: settings from global options, the acting user (a services/caller.py Caller), the console, the
schema check, and error exits."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import date
from pathlib import PurePath
from typing import Any, TypeVar

import typer
from pydantic import BaseModel
from rich.markup import escape
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session
from typer.core import TyperGroup

from reassure.cli.output import FittingConsole
from reassure.core.bounds import day_problem, number_problem, text_problem
from reassure.core.errors import InputError, ReassureError
from reassure.core.identity import Identity
from reassure.db.failures import database_error
from reassure.migrations import schema_problem
from reassure.services.caller import Caller, settings_caller
from reassure.settings import Settings

T = TypeVar("T")
console = FittingConsole()
err_console = FittingConsole(stderr=True)
EXIT_INPUT = 2


@dataclass
class State:
    """What the global options set, and the identity once resolved."""

    settings: Settings
    identity: Identity | None = None
    session_id: str | None = None  # the public id of the API token the command came with (--token), if any


def state(ctx: typer.Context) -> State:
    """Return the state the main callback stored."""
    found = ctx.find_root().obj
    assert isinstance(found, State), "main callback did not run"
    return found


def caller(ctx: typer.Context) -> Caller:
    """Return who acts (services/caller.py): the stored user named by --user, or the one a --token stands for,
    resolved from the database once per command.

    An admin's preview (--nation) says so on stderr and leaves one audit row naming the command."""
    current = state(ctx)
    if current.identity is None:
        found = settings_caller(current.settings)
        if found.identity.preview is not None:
            err_console.print(f"{found.identity.preview} (read-only)", highlight=False, soft_wrap=True, markup=False)
            found.record_preview(" ".join(["reassure", *ctx.command_path.split()[1:]]))
        current.identity, current.session_id = found.identity, found.session_id
    return Caller(current.identity, current.settings, current.session_id)


def identity(ctx: typer.Context) -> Identity:
    """Return the identity the command acts as (`caller`)."""
    return caller(ctx).identity


def session(ctx: typer.Context) -> AbstractContextManager[Session]:
    """Open a unit of work for the command's user (committed when the command succeeds)."""
    return caller(ctx).session()


def run(ctx: typer.Context, work: Callable[[Session], T]) -> T:
    """Run a write for the command's user, re-run whole if a concurrent writer won a race (Caller.write)."""
    return caller(ctx).write(work)


def require_schema(ctx: typer.Context) -> None:
    """Stop with advice when there is no database, or it is not at the newest schema revision."""
    problem = schema_problem(state(ctx).settings)
    if problem is not None:
        fail(problem)


JSON_OPTION = typer.Option(False, "--json", help="print JSON (a list of objects with stable keys) for scripts")


def print_json(rows: Sequence[BaseModel]) -> None:
    """Print rows as one JSON list, keys as the read models name them (no Rich: plain text for pipes)."""
    print(json.dumps([r.model_dump(mode="json") for r in rows], ensure_ascii=False, indent=1))


def plain(*values: str) -> tuple[str, ...]:
    """Return data for a Rich cell as literal text: '[1]' in a statement is text, never markup."""
    return tuple(escape(v) for v in values)


def show_error(error: ReassureError) -> int:
    """Print a user-facing error (every problem of a rejected input) and return its exit code."""
    if isinstance(error, InputError):
        for problem in error.problems:
            err_console.print(f"[red]error[/red] {escape(str(problem))}", highlight=False, soft_wrap=True)
        err_console.print(f"{len(error.problems)} problem(s); nothing was written.", highlight=False)
    else:
        err_console.print(f"[red]error[/red] {escape(error.message)}", highlight=False, soft_wrap=True)
    return error.exit_code


def value_problem(value: Any) -> str | None:
    """Return why a parsed option value is outside the supported range (core/bounds.py), or None."""
    if isinstance(value, list | tuple):
        return next((why for item in value if (why := value_problem(item))), None)
    if isinstance(value, str):
        return text_problem(value, identifier=True)  # names, keys, filters, labels: no control character
    if isinstance(value, PurePath):
        return "contains a NUL character" if "\x00" in str(value) else None
    if isinstance(value, date):
        return day_problem(value)
    if isinstance(value, int | float):
        return number_problem(value)
    return None


def bound_parameters(command: Any) -> None:
    """Make every option and argument of a command tree refuse values outside the supported range (exit code 2,
    naming the option) as they are parsed, before any command runs: a new command is covered when it is added."""
    for param in getattr(command, "params", []):
        if not getattr(param, "_reassure_bounded", False):
            param.process_value = _bounded(param, param.process_value)
            param._reassure_bounded = True
    for sub in (getattr(command, "commands", None) or {}).values():
        bound_parameters(sub)


def _bounded(param: Any, process: Callable[[Any, Any], Any]) -> Callable[[Any, Any], Any]:
    def checked(ctx: Any, value: Any) -> Any:
        result = process(ctx, value)
        if (why := value_problem(result)) is not None:
            raise typer.BadParameter(why, ctx=ctx, param=param)
        return result

    return checked


class ReassureGroup(TyperGroup):
    """The command group: every parameter bounded (bound_parameters); any ReassureError a command raises is shown
    as a message with its exit code."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        bound_parameters(self)

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except ReassureError as error:
            raise typer.Exit(show_error(error)) from None
        except DBAPIError as error:  # outside a unit of work (a schema check, a migration): what it means
            known = database_error(error)
            if known is None:
                raise
            raise typer.Exit(show_error(known)) from None


def fail_input(error: InputError) -> None:
    """Print every problem of a rejected file and exit with the input-error code."""
    raise typer.Exit(show_error(error))


def fail(message: str, code: int = EXIT_INPUT) -> None:
    """Print an error and exit non-zero."""
    err_console.print(f"[red]error[/red] {escape(message)}", highlight=False, soft_wrap=True)
    raise typer.Exit(code)

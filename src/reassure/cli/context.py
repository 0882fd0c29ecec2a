"""Shared CLI state: settings from global options, the acting user, the console, and error exits."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
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
from reassure.db.uow import identify, retrying, unit_of_work
from reassure.domains.audit.actions import preview_read
from reassure.domains.users.service import identity_for, token_session
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


def identity(ctx: typer.Context) -> Identity:
    """Return who acts: the stored user named by --user (or the one a --token stands for), from the database.

    An admin's preview (--nation) says so on stderr and leaves one audit row naming the command."""
    current = state(ctx)
    if current.identity is None:
        settings = current.settings
        if settings.token:
            found, current.session_id = identify(settings, lambda db: token_session(db, settings.token,
                                                                                    view_as=settings.nation))
        else:
            found = identify(settings, lambda db: identity_for(db, settings.user, view_as=settings.nation))
        if found.preview is not None:
            err_console.print(f"{found.preview} (read-only)", highlight=False, soft_wrap=True, markup=False)
            command = " ".join(["reassure", *ctx.command_path.split()[1:]])
            retrying(settings, found.acting(), lambda db: preview_read(db, preview=found, read=command))
        current.identity = found
    return current.identity


@contextmanager
def session(ctx: typer.Context) -> Iterator[Session]:
    """Open a unit of work for the command's user (committed when the command succeeds)."""
    with unit_of_work(state(ctx).settings, identity=identity(ctx)) as db:
        yield db


def run(ctx: typer.Context, work: Callable[[Session], T]) -> T:
    """Run a write for the command's user, re-run whole if a concurrent writer won a race (db/uow.retrying)."""
    return retrying(state(ctx).settings, identity(ctx), work)


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

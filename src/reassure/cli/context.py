"""Shared CLI state: settings from global options, the console, and error exits."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace

import typer
from rich.console import Console
from sqlalchemy.orm import Session

from reassure.core.markings import Viewer
from reassure.db.uow import unit_of_work, viewer_for
from reassure.scenario_io.errors import ScenarioFileError
from reassure.settings import Settings

console = Console()
err_console = Console(stderr=True)
EXIT_INPUT = 2


@dataclass
class State:
    """What the global options set."""

    settings: Settings


def state(ctx: typer.Context) -> State:
    """Return the state the main callback stored."""
    found = ctx.find_root().obj
    assert isinstance(found, State), "main callback did not run"
    return found


@contextmanager
def session(ctx: typer.Context, *, sees_all: bool = False) -> Iterator[Session]:
    """Open a unit of work for the command's user (committed when the command succeeds)."""
    settings = state(ctx).settings
    viewer: Viewer = viewer_for(settings)
    if sees_all:
        viewer = replace(viewer, sees_all=True)
    with unit_of_work(settings, viewer=viewer) as db:
        yield db


def fail_input(error: ScenarioFileError) -> None:
    """Print every problem of a rejected file and exit with the input-error code."""
    for problem in error.problems:
        err_console.print(f"[red]error[/red] {problem}", highlight=False, soft_wrap=True)
    err_console.print(f"{len(error.problems)} problem(s); nothing was written.")
    raise typer.Exit(EXIT_INPUT)


def fail(message: str, code: int = EXIT_INPUT) -> None:
    """Print an error and exit non-zero."""
    err_console.print(f"[red]error[/red] {message}", highlight=False, soft_wrap=True)
    raise typer.Exit(code)

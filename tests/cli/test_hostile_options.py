"""Every CLI option and argument refuses a value outside the supported range with exit code 2 naming it, before the
command runs (issue 21, item 8): `reassure incidents --until 9999-12-31` printed an OverflowError traceback.

The cases are generated from the command tree, so a new command or option is covered when it is added: a day outside
1900-01-01 … 2199-12-31, a whole number outside ±2,147,483,647, a number that is not finite or beyond ±10^15, a NUL,
a lone surrogate (argv bytes that are not UTF-8) or a control character in a text, a NUL in a path.
"""

from __future__ import annotations

import contextlib
import io
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, get_args, get_origin

import pytest
import typer
from typer.testing import CliRunner

from reassure.cli.main import app
from tests.conftest import Cli

HOSTILE: dict[Any, list[str]] = {
    int: ["99999999999999999999", "-99999999999999999999", "2147483648"],
    float: ["1e308", "nan", "inf", "-1e16"],
    datetime: ["9999-12-31", "0001-01-01", "1899-12-31", "2200-01-01"],
    str: ["a\x00b", "a\udcffb", "a\x01b", "a\x7fb"],
    Path: ["a\x00b"],
}
DUMMY: dict[Any, str] = {int: "1", float: "1", datetime: "2025-01-01", str: "x", Path: "README.md"}


@dataclass(frozen=True)
class Case:
    """One command line with one hostile value, and the name the refusal must show."""

    argv: tuple[str, ...]
    shown: str

    def __str__(self) -> str:
        return " ".join(self.argv)


def _kind(param: Any) -> Any:
    annotation = param.type_descriptor.annotation
    if get_origin(annotation) is list:
        annotation = get_args(annotation)[0]
    return annotation if annotation in HOSTILE else None


def _commands(command: Any, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], Any]]:
    subs = getattr(command, "commands", None)
    if subs:
        if path and any(_kind(p) is not None for p in command.params):
            yield path, command  # a group that also runs alone, with options of its own (`reassure incidents`)
        for name, sub in subs.items():
            yield from _commands(sub, (*path, name))
    else:
        yield path, command


def _fill(param: Any, value: str) -> list[str]:
    if param.param_type_name == "argument":
        return [value]
    return [param.opts[0], value]


def cases() -> Iterator[Case]:
    """Hostile values for every typed option and argument of every command."""
    root = typer.main.get_command(app)
    for path, command in _commands(root):
        params = [p for p in command.params if _kind(p) is not None]
        for target in params:
            for value in HOSTILE[_kind(target)]:
                options = _fill(target, value) if target.param_type_name == "option" else []
                arguments = [value if p is target else DUMMY[_kind(p) or str] for p in command.params
                             if p.param_type_name == "argument"]
                required = [x for p in command.params if p.param_type_name == "option" and p.required
                            and p is not target for x in _fill(p, DUMMY[_kind(p) or str])]
                shown = target.opts[0] if target.param_type_name == "option" else target.name.upper()
                yield Case((*path, *options, *required, *arguments), shown)


CASES = list(cases())


def test_the_cases_cover_every_command_with_typed_input() -> None:
    assert len(CASES) > 250
    assert Case(("incidents", "--until", "9999-12-31"), "--until") in CASES


def _run(command: Any, argv: list[str]) -> tuple[int, str]:
    """Run the built command tree in-process (CliRunner would rebuild it for each of the hundreds of cases)."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
        try:
            command.main(args=argv, prog_name="reassure")
        except SystemExit as exit_:
            return int(exit_.code or 0), out.getvalue()
    return 0, out.getvalue()


def test_every_hostile_option_is_refused_naming_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Parsing refuses the value: no database is opened (the one named does not even exist)."""
    for name in ("REASSURE_USER", "REASSURE_TOKEN", "REASSURE_NATION"):
        monkeypatch.delenv(name, raising=False)
    command = typer.main.get_command(app)
    database = f"sqlite:///{tmp_path / 'never-created.sqlite'}"
    failures = []
    for case in CASES:
        try:
            code, output = _run(command, ["--db", database, "--user", "nobody", *case.argv])
        except Exception as error:  # a traceback: the value reached the command
            failures.append(f"{case}: traceback {type(error).__name__}: {error}")
            continue
        if code != 2 or case.shown.lower() not in output.lower():
            failures.append(f"{case}: exit {code}: {output[-200:]!r}")
    assert failures == [], f"{len(failures)} of {len(CASES)}:\n" + "\n".join(failures[:40])
    assert not (tmp_path / "never-created.sqlite").exists()


@pytest.mark.parametrize("option", ["--db", "--user", "--token", "--nation"])
def test_the_global_options_refuse_unstorable_text(option: str, tmp_path: Path) -> None:
    database = ["--db", f"sqlite:///{tmp_path / 'absent.sqlite'}"] if option != "--db" else []
    result = CliRunner().invoke(app, [*database, option, "a\x00b", "scenarios"], env={"REASSURE_USER": None})
    assert result.exit_code == 2 and option in result.output and "NUL" in result.output, result.output


def test_incidents_until_far_future_is_exit_2_not_a_traceback(cli: Cli) -> None:
    code, _, err = cli("incidents", "--until", "9999-12-31")
    assert code == 2 and "--until" in err and "2199-12-31" in err, err


def test_a_date_given_as_text_is_bounded_too(tmp_path: Path) -> None:
    """`extract --date` is a text option read as a day: it answered with a report dated 9999-12-31."""
    report = tmp_path / "report.txt"
    report.write_text("Russia launched 40 drones overnight; 35 were shot down.", encoding="utf-8")
    result = CliRunner().invoke(app, ["extract", str(report), "--date", "9999-12-31"])
    assert result.exit_code == 2 and "--date" in result.output and "2199-12-31" in result.output, result.output

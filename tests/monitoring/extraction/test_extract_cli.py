"""The `extract` command function, run through a throw-away Typer app (main.py registers it)."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from typer.testing import CliRunner

from reassure.cli.extract import extract_command, format_count
from reassure.monitoring.report import Count

app = typer.Typer()
app.command("extract")(extract_command)
app.command("noop")(lambda: None)  # two commands, so "extract" stays a sub-command
runner = CliRunner()

TEXT = "On Sept. 4, 2025, Russia launched over 100 drones; 84 were intercepted or jammed, the air force said.\n"


def test_json_output(tmp_path: Path) -> None:
    path = tmp_path / "report.txt"
    path.write_text(TEXT, encoding="utf-8")
    result = runner.invoke(app, ["extract", str(path), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["date"] == "2025-09-04"
    assert data["weapons"][0]["launched"] == {"value": 100, "qualifier": "at_least"}
    assert data["weapons"][0]["neutralized"] == {"value": 84, "qualifier": "exact"}


def test_table_output_and_options(tmp_path: Path) -> None:
    path = tmp_path / "report.txt"
    path.write_text("Russia launched 12 drones overnight.", encoding="utf-8")
    result = runner.invoke(app, ["extract", str(path), "--date", "2025-01-02", "--reported-by", "Governor"])
    assert result.exit_code == 0, result.output
    assert "2025-01-02" in result.output and "Governor" in result.output and "drone" in result.output


def test_missing_file_exits_2(tmp_path: Path) -> None:
    result = runner.invoke(app, ["extract", str(tmp_path / "absent.txt")])
    assert result.exit_code == 2
    assert "no such file" in result.output


def test_unreadable_file_and_bad_date_exit_2(tmp_path: Path) -> None:
    binary = tmp_path / "report.bin"
    binary.write_bytes(b"\xff\xfe\x00\x80 not text")
    assert runner.invoke(app, ["extract", str(binary)]).exit_code == 2
    assert runner.invoke(app, ["extract", str(tmp_path)]).exit_code == 2  # a directory
    text = tmp_path / "report.txt"
    text.write_text(TEXT, encoding="utf-8")
    assert runner.invoke(app, ["extract", str(text), "--date", "4 Sept"]).exit_code == 2


def test_format_count() -> None:
    assert [format_count(c) for c in (None, Count(value=3), Count(value=100, qualifier="at_least"))] == [
        "—",
        "3",
        "≥100",
    ]

"""The user guide's monitoring walk-through runs as written: every command of its `sh` blocks, in order, on a temporary
SQLite database, through the real `reassure` command (a subprocess per command, as a user types them)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

GUIDE = Path(__file__).resolve().parents[2] / "docs" / "user-guide.md"
BLOCK = re.compile(r"^```sh\n(.*?)^```$", re.MULTILINE | re.DOTALL)


MIGRATIONS = Path(__file__).resolve().parents[2] / "src" / "reassure" / "migrations" / "versions"


def walkthrough() -> str:
    """Return the walk-through's shell commands: its `sh` blocks between the markers, in order."""
    text = GUIDE.read_text(encoding="utf-8")
    start, end = text.index("<!-- walkthrough:start -->"), text.index("<!-- walkthrough:end -->")
    blocks = BLOCK.findall(text[start:end])
    assert len(blocks) >= 8, "the walk-through lost its steps"
    return "\n".join(blocks)


def test_the_walkthrough_runs_as_written(tmp_path: Path) -> None:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    wrapper = bin_dir / "reassure"
    wrapper.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m reassure "$@"\n', encoding="utf-8")
    wrapper.chmod(0o755)
    work = tmp_path / "work"
    work.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith("REASSURE_")}
    env.update(PATH=f"{bin_dir}{os.pathsep}{env.get('PATH', '/usr/bin:/bin')}", HOME=str(tmp_path),
               XDG_DATA_HOME=str(tmp_path / "data"), COLUMNS="80", NO_COLOR="1",
               PYTHONPATH=os.pathsep.join(p for p in sys.path if p))
    script = "set -eu\n" + walkthrough()
    done = subprocess.run(["bash", "-c", script], cwd=work, env=env, capture_output=True, text=True, timeout=900,
                          check=False)
    out = done.stdout + done.stderr
    assert done.returncode == 0, out[-4000:]
    for expected in (
        '"basis": "stated"', '"UA-63"', '"spans"',  # the §4 JSON's window, regions and spans
        "verified: independent", "conflicting: the sources disagree on drones launched",
        "to a new incident", "pinned there, so a re-import keeps it",
        "partial: 2 of 30 days", "stale: the newest data is of 2025-09-14",
        "exit code 10", "trigger_or_alert_met 10 [('big-night', 'met'), ('calm', 'unknown')]",
        "1 state change(s) in FRA's view", "unknown → met", "no SMTP server configured", "Connection refused",
        "not delivered:", "exit code 1",
    ):
        assert expected in out, f"{expected!r} not in the walk-through's output:\n{out[-4000:]}"
    newest = sorted(p.name[:4] for p in MIGRATIONS.glob("0*.py"))[-1]
    assert re.search(rf"empty → {newest}\b", out), out[-4000:]  # `reassure db upgrade` went to the newest revision
    assert (work / "walkthrough.sqlite").is_file() and not (tmp_path / "data" / "reassure").exists()

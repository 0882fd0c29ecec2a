"""Each fuzz target (tests/fuzz/targets.py) runs for a bounded time under libFuzzer with no input breaking its contract:
a result or the project's input error naming the file, never another exception, never a hang (docs/adr/0054).

REASSURE_FUZZ_SECONDS sets the seconds per target (default 3: about 20 s for all five in CI); a longer local run:
`REASSURE_FUZZ_SECONDS=600 pytest tests/fuzz`, or one target with `python tests/fuzz/targets.py NAME` (docs/fuzzing.md).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
SRC = HERE.parents[1] / "src"
TARGETS = ("extract", "scenario_yaml", "pledge_csv", "air_attack_csv", "ucdp_csv")
SECONDS = float(os.environ.get("REASSURE_FUZZ_SECONDS", "3"))


def fuzz(target: str, work: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run one target in its own process (libFuzzer exits the process it runs in), its files under `work`."""
    env = {**os.environ, "PYTHONPATH": str(SRC), "TMPDIR": str(work)}
    return subprocess.run([sys.executable, str(HERE / "targets.py"), target, *args], env=env, cwd=work,
                          capture_output=True, text=True, timeout=SECONDS * 3 + 120, check=False)


@pytest.mark.slow
def test_no_input_breaks_a_readers_contract(tmp_path: Path) -> None:
    done = fuzz("all", tmp_path, f"-max_total_time={SECONDS:g}", "-timeout=10", "-rss_limit_mb=2048",
                f"-artifact_prefix={tmp_path}/")
    kept = sorted(p.name for p in tmp_path.glob("*") if "-crash-" in p.name or "-timeout-" in p.name
                  or "-oom-" in p.name)
    assert done.returncode == 0 and not kept, f"{kept}\n{done.stderr[-6000:]}"
    runs = [int(n) for n in re.findall(r"Done (\d+) runs", done.stderr)]
    assert len(runs) == len(TARGETS) and min(runs) > 0, done.stderr[-3000:]

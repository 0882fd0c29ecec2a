"""Attack (issue 22, alerts): an ingest from the CLI runs every nation's alerts in the user's own process, and the
alerts job's log lines about *other* nations' channels go to that user's terminal.

`reassure ingest ...` calls `jobs.alerts.after_ingest`, which evaluates and sends for every nation with an active
channel. Failures are logged with `logging.warning("alert to %s (%s) not delivered: %s", label, kind, error)` and
"alerts for <NATION> not evaluated: ..."; the CLI configures no logging, so Python's last-resort handler prints them
on the stderr of whoever ran the ingest. A French analyst ingesting a public feed thus reads the label of a British
channel (marked REL TO GBR), its kind, and its delivery error (connection refused, the receiver's HTTP status and
reason phrase, an SMTP server's answer), and learns that Britain's view of a rule just changed state. The CLI says
it "says only what concerns the user's nation"; its stderr must say no more.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from reassure.core.identity import Role
from tests.conftest import Cli, free_port, stored_user
from tests.jobs.test_alerts import MASS, QUIET

LABEL = "GBR-ONLY ops desk"


def test_an_ingest_does_not_print_another_nations_channel_or_its_delivery_errors(cli: Cli, tmp_path: Path) -> None:
    gbr_admin = stored_user(cli.url, "GBR", Role.ADMIN, name="gbr-admin")
    dead = f"http://127.0.0.1:{free_port()}/hook"  # nothing listens: every delivery fails
    code, _, err = cli("alerts", "add", "webhook", LABEL, dead, "--secret-stdin", user=gbr_admin,
                         stdin="gbr-shared-secret-0123456789\n")
    assert code == 0, err
    quiet, mass = tmp_path / "quiet.csv", tmp_path / "mass.csv"
    quiet.write_text(QUIET, encoding="utf-8")
    mass.write_text(MASS, encoding="utf-8")
    assert cli("ingest", "air-attacks", str(quiet), "--marking", "PUBLIC", nation="FRA")[0] == 0  # GBR's baseline
    french = stored_user(cli.url, "FRA")
    env = {**os.environ, "REASSURE_ALERTS_ATTEMPTS": "1", "COLUMNS": "200"}
    for name in ("REASSURE_USER", "REASSURE_NATION", "REASSURE_TOKEN"):
        env.pop(name, None)
    done = subprocess.run([sys.executable, "-m", "reassure", "--db", cli.url, "--user", french, "ingest",
                           "air-attacks", str(mass), "--marking", "PUBLIC"],
                          capture_output=True, text=True, env=env, timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    shown = done.stdout + done.stderr
    assert LABEL not in shown and "GBR" not in shown, f"the French analyst's terminal shows:\n{done.stderr}"

"""`reassure alerts`: an admin adds, lists, tests and removes channels (the secret read from stdin, never shown); an
ingest evaluates the rules of every nation with a channel and sends its state changes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from reassure.core.identity import Role
from tests.conftest import Cli, stored_user
from tests.jobs.receivers import webhook_receiver
from tests.jobs.test_alerts import MASS, QUIET

SECRET = "cli-shared-secret-0123456789"


@pytest.fixture
def admin(cli: Cli) -> str:
    return stored_user(cli.url, "FRA", Role.ADMIN, name="fra-admin")


def test_an_admin_manages_channels_and_the_secret_is_never_shown(cli: Cli, admin: str) -> None:
    with webhook_receiver() as receiver:
        code, out, err = cli("alerts", "add", "webhook", "ops room", receiver.url, "--secret-stdin", user=admin,
                             stdin=SECRET + "\n")
        assert code == 0 and "added webhook channel chan_" in out, err
        channel = out.split("channel ")[1].split()[0]
        code, out, _ = cli("alerts", "list", user=admin)
        assert code == 0 and "ops room" in out and "set" in out and SECRET not in out
        listed = json.loads(cli("alerts", "list", "--json", user=admin)[1])
        assert listed[0]["secret_set"] is True and SECRET not in json.dumps(listed)
        code, out, err = cli("alerts", "test", channel, user=admin)
        assert code == 0 and "delivered (HTTP 200)" in out, err
        assert len(receiver.received) == 1
    code, out, _ = cli("alerts", "log", user=admin)
    assert code == 0 and "ops room" in out and "delivered" in out and "test" in out
    code, out, _ = cli("audit", user=admin)
    assert SECRET not in out
    assert cli("alerts", "remove", channel, nation="FRA")[0] == 4  # not an admin
    assert cli("alerts", "remove", channel, user=stored_user(cli.url, "DEU", Role.ADMIN, name="deu-admin"))[0] == 3
    code, out, _ = cli("alerts", "remove", channel, user=admin)
    assert code == 0 and "removed channel" in out
    assert "no alert channels" in cli("alerts", "list", user=admin)[1]


def test_a_webhook_without_a_secret_or_with_a_bad_url_is_refused(cli: Cli, admin: str) -> None:
    code, _, err = cli("alerts", "add", "webhook", "ops", "https://hooks.example.test/x", user=admin)
    assert code == 2 and "secret" in err
    code, _, err = cli("alerts", "add", "webhook", "ops", "file:///etc/passwd", "--secret-stdin", user=admin,
                       stdin=SECRET + "\n")
    assert code == 2 and "http:// or https://" in err
    code, _, err = cli("alerts", "add", "email", "duty", "nobody", user=admin)
    assert code == 2 and "not an e-mail address" in err
    assert "no alert channels" in cli("alerts", "list", user=admin)[1]


def test_an_ingest_evaluates_and_sends_each_change_once(cli: Cli, admin: str, tmp_path: Path) -> None:
    quiet, mass = tmp_path / "quiet.csv", tmp_path / "mass.csv"
    quiet.write_text(QUIET, encoding="utf-8")
    mass.write_text(MASS, encoding="utf-8")
    with webhook_receiver() as receiver:
        assert cli("alerts", "add", "webhook", "ops", receiver.url, "--secret-stdin", user=admin,
                   stdin=SECRET + "\n")[0] == 0
        code, out, err = cli("ingest", "air-attacks", str(quiet), "--marking", "REL TO FRA", nation="FRA")
        assert code == 0 and "rules evaluated and stored after the ingest: 0 state change(s) in FRA's view" in out, err
        code, out, err = cli("ingest", "air-attacks", str(mass), "--marking", "REL TO FRA", nation="FRA")
        assert code == 0 and "state change(s) in FRA's view" in out and "0 state change(s)" not in out, err
        sent = len(receiver.received)
        assert sent >= 1 and any(json.loads(r.body)["rule"]["id"] == "sanctions-review-mass-attacks"
                                 for r in receiver.received)
        code, out, _ = cli("alerts", "run", user=admin)
        assert code == 0 and "0 state change(s)" in out and len(receiver.received) == sent
        code, out, _ = cli("ingest", "air-attacks", str(mass), "--marking", "REL TO DEU", nation="DEU")
        # Germany has a user and no channel: its view is kept (its first evaluation is the baseline), nothing is sent
        assert code == 0 and "0 state change(s) in DEU's view" in out, out
        assert len(receiver.received) == sent
    changes = json.loads(cli("alerts", "changes", "--json", nation="FRA")[1])
    assert len(changes) == sent and all(c["nation"] == "FRA" for c in changes)
    assert json.loads(cli("alerts", "changes", "--json", nation="DEU")[1]) == []

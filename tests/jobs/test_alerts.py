"""Alerts end to end with real components: a local HTTP receiver and a local SMTP server (aiosmtpd).

A state change in a nation's view reaches that nation's webhook and e-mail once (not again while the state holds),
never a channel of a nation from whose view the records are hidden; a receiver's 500 is retried and both attempts are
in the delivery log; the signature verifies with the shared secret.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest

from reassure.core.identity import Role
from reassure.db.uow import unit_of_work
from reassure.domains.alerts.actions import add_channel
from reassure.domains.alerts.schemas import ChannelCreate
from reassure.domains.alerts.service import deliveries, recent_changes
from reassure.domains.incidents.actions import import_air_attacks
from reassure.jobs.alerts import evaluate_and_notify
from reassure.services.notify import SIGNATURE_HEADER, TIMESTAMP_HEADER, verify
from reassure.settings import Settings
from tests.conftest import who
from tests.core.test_labels import identifiers_in
from tests.jobs.receivers import Mailbox, WebhookReceiver, smtp_server, webhook_receiver

SECRET = {"FRA": "fra-shared-secret-0123456789", "DEU": "deu-shared-secret-9876543210"}


def _feed(first: date, days: int, launched: int) -> str:
    nights = [first + timedelta(days=n) for n in range(days)]
    return "time_start,time_end,model,launched,destroyed\n" + "".join(
        f"{d} 18:00,{d + timedelta(days=1)} 08:00,Shahed-136/131,{launched + n},{launched // 2}\n"
        for n, d in enumerate(nights))


QUIET = _feed(date(2024, 12, 1), 40, 5)  # small attacks: no trigger met
MASS = _feed(date(2025, 1, 10), 6, 120)  # six nights of 120+ drones: the sanctions trigger is met
SANCTIONS = "sanctions-review-mass-attacks"


@pytest.fixture
def receivers() -> Iterator[tuple[dict[str, WebhookReceiver], Mailbox]]:
    with webhook_receiver() as fra, webhook_receiver() as deu, smtp_server() as mailbox:
        yield {"FRA": fra, "DEU": deu}, mailbox


def _settings(db_url: str, mailbox: Mailbox) -> Settings:
    return Settings(database_url=db_url, smtp_host="127.0.0.1", smtp_port=mailbox.port, smtp_starttls=False,
                    smtp_from="alerts@reassure.test", alerts_backoff_seconds=0.01, alerts_timeout_seconds=5)


def _ingest(settings: Settings, tmp: Path, csv: str, nation: str, marking: str) -> None:
    path = tmp / f"{nation}-{abs(hash(csv))}.csv"
    path.write_text(csv, encoding="utf-8")
    with unit_of_work(settings, identity=who(nation)) as db:
        import_air_attacks(path, db=db, rel_to=marking)


def _channels(settings: Settings, hooks: dict[str, WebhookReceiver]) -> None:
    for nation, hook in hooks.items():
        admin = who(nation, Role.ADMIN, user=f"{nation.lower()}-admin")
        with unit_of_work(settings, identity=admin) as db:
            add_channel(ChannelCreate(kind="webhook", label=f"{nation} ops", target=hook.url,
                                      secret=SECRET[nation]), db=db)
            add_channel(ChannelCreate(kind="email", label=f"{nation} duty officers",
                                      target=f"duty@{nation.lower()}.test, watch@{nation.lower()}.test"), db=db)


def test_a_state_change_reaches_only_its_nations_channels_once_and_a_500_is_retried(
        db_url: str, tmp_path: Path, receivers: tuple[dict[str, WebhookReceiver], Mailbox]) -> None:
    hooks, mailbox = receivers
    settings = _settings(db_url, mailbox)
    _channels(settings, hooks)
    _ingest(settings, tmp_path, QUIET, "DEU", "PUBLIC")
    baseline = evaluate_and_notify(settings, sleep=lambda _: None)
    assert set(baseline.evaluated) == {"DEU", "FRA"} and baseline.changes == {"DEU": [], "FRA": []}
    assert not hooks["FRA"].received and not hooks["DEU"].received and not mailbox.messages

    # Mass attacks only France may read: France's view changes, Germany's does not.
    _ingest(settings, tmp_path, MASS, "FRA", ",FRA,")
    hooks["FRA"].plan = [500]  # the first delivery fails once
    changed = evaluate_and_notify(settings, sleep=lambda _: None)
    assert changed.changes["DEU"] == [] and len(changed.changes["FRA"]) >= 1
    fra_changes = len(changed.changes["FRA"])
    bodies = [json.loads(r.body) for r in hooks["FRA"].delivered]
    assert len(bodies) == fra_changes and {b["rule"]["id"] for b in bodies} >= {SANCTIONS}
    sanctions = next(b for b in bodies if b["rule"]["id"] == SANCTIONS)
    assert (sanctions["from"], sanctions["to"], sanctions["nation"]) == ("not met", "met", "FRA")
    assert sanctions["marking"] == "REL TO FRA" and sanctions["as_of"] >= "2025-01-12"
    assert len(hooks["FRA"].received) == fra_changes + 1  # one retry after the 500
    for r in hooks["FRA"].received:
        assert verify(SECRET["FRA"], r.headers[TIMESTAMP_HEADER], r.body, r.headers[SIGNATURE_HEADER])
        assert not verify(SECRET["DEU"], r.headers[TIMESTAMP_HEADER], r.body, r.headers[SIGNATURE_HEADER])
        assert SECRET["FRA"] not in r.body.decode()
    assert not hooks["DEU"].received
    for address in ("duty@fra.test", "watch@fra.test"):
        assert len(mailbox.to(address)) == fra_changes
    assert not mailbox.to("duty@deu.test") and not mailbox.to("watch@deu.test")
    mail = next(m for m in mailbox.to("duty@fra.test") if sanctions["rule"]["name"] in m["Subject"])
    assert mail["From"] == "alerts@reassure.test" and "[REL TO FRA]" in mail["Subject"]
    assert mail["Subject"].endswith(": now MET (was not met)") and "Marking: REL TO FRA" in mail.get_content()
    assert "attacks of more than 100 drones" in mail.get_content()  # the condition in words (issue 25)
    assert not identifiers_in(mail.get_content()), identifiers_in(mail.get_content())

    # The delivery log shows the failed attempt and the retry, to France's admins only.
    with unit_of_work(settings, identity=who("FRA", Role.ADMIN, user="fra-admin")) as db:
        log = deliveries(db=db)
        changes = recent_changes(db=db)
    first = [d for d in log if d.channel_label == "FRA ops" and d.http_status == 500]
    assert len(first) == 1 and first[0].attempt == 1 and first[0].status == "failed"
    retried = [d for d in log if d.channel_label == "FRA ops" and d.change == first[0].change]
    assert sorted((d.attempt, d.status) for d in retried) == [(1, "failed"), (2, "delivered")]
    assert {d.status for d in log} <= {"failed", "delivered"} and len(log) == 2 * fra_changes + 1
    assert {c.rule_id for c in changes} >= {SANCTIONS} and all(c.nation == "FRA" for c in changes)
    with unit_of_work(settings, identity=who("DEU", Role.ADMIN, user="deu-admin")) as db:
        assert deliveries(db=db) == [] and recent_changes(db=db) == []

    # Unchanged states: nothing is sent again.
    again = evaluate_and_notify(settings, sleep=lambda _: None)
    assert again.changes == {"DEU": [], "FRA": []}
    assert len(hooks["FRA"].received) == fra_changes + 1 and len(mailbox.to("duty@fra.test")) == fra_changes


def test_a_receiver_that_keeps_failing_gets_the_bounded_attempts_with_back_off(
        db_url: str, tmp_path: Path, receivers: tuple[dict[str, WebhookReceiver], Mailbox]) -> None:
    hooks, mailbox = receivers
    settings = _settings(db_url, mailbox).model_copy(update={"alerts_attempts": 3, "alerts_backoff_seconds": 0.5})
    _channels(settings, {"FRA": hooks["FRA"]})
    _ingest(settings, tmp_path, QUIET, "FRA", "PUBLIC")
    evaluate_and_notify(settings)
    _ingest(settings, tmp_path, MASS, "FRA", "PUBLIC")
    hooks["FRA"].plan = [503] * 100
    waits: list[float] = []
    run = evaluate_and_notify(settings, sleep=waits.append)
    changes = len(run.changes["FRA"])
    assert changes >= 1 and len(hooks["FRA"].received) == 3 * changes
    assert waits[:2] == [0.5, 1.0]  # exponential: doubled before each later attempt
    with unit_of_work(settings, identity=who("FRA", Role.ADMIN, user="fra-admin")) as db:
        hook_log = [d for d in deliveries(db=db) if d.channel_label == "FRA ops"]
    assert sorted(d.status for d in hook_log if d.attempt == 3) == ["gave up"] * changes
    assert all("HTTP 503" in d.error for d in hook_log)
    assert run.failed == changes and run.delivered == changes  # the e-mails went through


def test_a_webhook_that_cannot_be_reached_is_logged_not_raised(db_url: str, tmp_path: Path) -> None:
    from tests.conftest import free_port

    with smtp_server() as mailbox:
        settings = _settings(db_url, mailbox).model_copy(update={"alerts_attempts": 2})
        dead = WebhookReceiver(f"http://127.0.0.1:{free_port()}/nobody")
        _channels(settings, {"FRA": dead})
        _ingest(settings, tmp_path, QUIET, "FRA", "PUBLIC")
        evaluate_and_notify(settings, sleep=lambda _: None)
        _ingest(settings, tmp_path, MASS, "FRA", "PUBLIC")
        run = evaluate_and_notify(settings, sleep=lambda _: None)
    with unit_of_work(settings, identity=who("FRA", Role.ADMIN, user="fra-admin")) as db:
        hook_log = [d for d in deliveries(db=db) if d.channel_label == "FRA ops"]
    assert run.changes["FRA"] and all("cannot connect" in d.error for d in hook_log)
    assert sorted({d.attempt for d in hook_log}) == [1, 2]

"""Every nation with users keeps its rule states (its dashboard shows recent changes, nothing is sent without a
channel); an admin re-sends a delivery that gave up (audited; CLI and API), with real local receivers."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import text

from reassure.core.errors import Conflict, Forbidden, NotFound
from reassure.core.identity import Role
from reassure.db.uow import engine_for, unit_of_work
from reassure.domains.alerts.service import deliveries, recent_changes
from reassure.jobs.alerts import evaluate_and_notify, resend
from reassure.settings import Settings
from tests.api.conftest import Api
from tests.conftest import Cli, stored_user, who
from tests.jobs.receivers import smtp_server, webhook_receiver
from tests.jobs.test_alerts import MASS, QUIET, SECRET, _channels, _ingest, _settings

FRA_ADMIN = who("FRA", Role.ADMIN, user="fra-admin")


def test_a_nation_with_users_and_no_channel_keeps_its_state_changes(db_url: str, tmp_path: Path) -> None:
    stored_user(db_url, "GBR")
    settings = Settings(database_url=db_url)
    _ingest(settings, tmp_path, QUIET, "GBR", "PUBLIC")
    baseline = evaluate_and_notify(settings, sleep=lambda _: None)
    assert "GBR" in baseline.evaluated and baseline.changes["GBR"] == []
    _ingest(settings, tmp_path, MASS, "GBR", "PUBLIC")
    run = evaluate_and_notify(settings, sleep=lambda _: None)
    assert run.changes["GBR"] and run.delivered == run.failed == 0  # stored, nothing to send
    with unit_of_work(settings, identity=who("GBR")) as db:
        changes = recent_changes(db=db)
    assert "sanctions-review-mass-attacks" in {c.rule_id for c in changes} and {c.nation for c in changes} == {"GBR"}


@pytest.fixture
def gave_up(db_url: str, tmp_path: Path):  # type: ignore[no-untyped-def]
    with webhook_receiver() as hook, smtp_server() as mailbox:
        settings = _settings(db_url, mailbox).model_copy(update={"alerts_attempts": 2})
        _channels(settings, {"FRA": hook})
        _ingest(settings, tmp_path, QUIET, "FRA", "PUBLIC")
        evaluate_and_notify(settings, sleep=lambda _: None)
        _ingest(settings, tmp_path, MASS, "FRA", "PUBLIC")
        hook.plan = [503] * 1000
        run = evaluate_and_notify(settings, sleep=lambda _: None)
        assert run.changes["FRA"] and run.failed == len(run.changes["FRA"])
        with unit_of_work(settings, identity=FRA_ADMIN) as db:
            given_up = [d for d in deliveries(db=db) if d.status == "gave up" and d.channel_label == "FRA ops"]
        hook.plan = []
        yield settings, hook, given_up


def test_an_admin_resends_a_delivery_that_gave_up_once(gave_up) -> None:  # type: ignore[no-untyped-def]
    settings, hook, given_up = gave_up
    target = given_up[0]
    before = len(hook.received)
    outcome = resend(settings, FRA_ADMIN, target.id, sleep=lambda _: None)
    assert outcome.delivered and len(hook.received) == before + 1
    assert hook.received[-1].headers["X-Reassure-Delivery"] == target.change  # the receiver's idempotency key
    with unit_of_work(settings, identity=FRA_ADMIN) as db:
        log = [d for d in deliveries(db=db) if d.change == target.change and d.channel_label == "FRA ops"]
    assert sorted((d.attempt, d.status) for d in log) == [(1, "failed"), (2, "gave up"), (3, "delivered")]
    with pytest.raises(Conflict):  # delivered now: a change arrives once
        resend(settings, FRA_ADMIN, target.id, sleep=lambda _: None)
    with pytest.raises(NotFound):  # another nation's admin: as if absent
        resend(settings, who("DEU", Role.ADMIN, user="deu-admin"), target.id, sleep=lambda _: None)
    with pytest.raises(Forbidden):
        resend(settings, who("FRA"), given_up[-1].id, sleep=lambda _: None)
    with pytest.raises(NotFound):
        resend(settings, FRA_ADMIN, "dlv_aaaaaaaaaaaaaaaa", sleep=lambda _: None)
    with engine_for(settings).connect() as connection:
        audit = connection.execute(text("SELECT action, actor FROM audit_log WHERE action = 'alerts.delivery.resend'"
                                         )).all()
    assert [tuple(a) for a in audit] == [("alerts.delivery.resend", "fra-admin")]
    assert len(hook.received) == before + 1


def test_a_resend_that_fails_again_gives_up_again(gave_up) -> None:  # type: ignore[no-untyped-def]
    settings, hook, given_up = gave_up
    hook.plan = [503, 503]
    outcome = resend(settings, FRA_ADMIN, given_up[0].id, sleep=lambda _: None)
    assert not outcome.delivered and "HTTP 503" in outcome.error
    with unit_of_work(settings, identity=FRA_ADMIN) as db:
        log = [d for d in deliveries(db=db) if d.change == given_up[0].change and d.channel_label == "FRA ops"]
    assert sorted((d.attempt, d.status) for d in log)[-2:] == [(3, "failed"), (4, "gave up")]
    assert resend(settings, FRA_ADMIN, given_up[0].id, sleep=lambda _: None).delivered  # gave up again: re-sendable


def test_resend_on_the_command_line_and_the_api(cli: Cli, tmp_path: Path) -> None:
    admin = stored_user(cli.url, "FRA", Role.ADMIN, name="fra-admin")
    with webhook_receiver() as hook, smtp_server() as mailbox:
        code, _, err = cli("alerts", "add", "webhook", "FRA ops", hook.url, "--secret-stdin", user=admin,
                           stdin=SECRET["FRA"] + "\n")
        assert code == 0, err
        settings = _settings(cli.url, mailbox).model_copy(update={"alerts_attempts": 1})
        _ingest(settings, tmp_path, QUIET, "FRA", "PUBLIC")
        evaluate_and_notify(settings, sleep=lambda _: None)
        _ingest(settings, tmp_path, MASS, "FRA", "PUBLIC")
        hook.plan = [503] * 1000
        evaluate_and_notify(settings, sleep=lambda _: None)
        log = json.loads(cli("alerts", "log", "--json", user=admin)[1])
        (given_up,) = [d["id"] for d in log if d["status"] == "gave up"]
        assert given_up in cli("alerts", "log", user=admin)[1]  # the id to re-send is shown
        code, _, err = cli("alerts", "resend", given_up, nation="FRA")  # an analyst and planner of France
        assert code == 4 and "needs the admin role" in err, err
        code, _, err = cli("alerts", "resend", given_up, user=admin)  # the receiver still fails: gives up again
        assert code == 1 and "not delivered: HTTP 503" in err
        hook.plan = []
        api = Api(cli.url)
        route = f"/api/v1/alerts/deliveries/{given_up}/resend"
        fra = api.headers("FRA", Role.ADMIN, name="fra-admin")
        assert api.client.post(route, headers=api.headers("FRA")).status_code == 403  # not an admin
        assert api.client.post(route, headers=api.headers("DEU", Role.ADMIN, name="deu-admin")).status_code == 404
        answer = api.client.post(route, headers=fra)
        assert answer.status_code == 200 and answer.json()["delivered"] is True, answer.text
        assert api.client.post(route, headers=fra).status_code == 409
        code, _, err = cli("alerts", "resend", given_up, user=admin)
        assert code == 6 and "only one that gave up is re-sent" in err
    log = json.loads(cli("alerts", "log", "--json", user=admin)[1])
    statuses = [d["status"] for d in sorted(log, key=lambda d: d["attempt"]) if d["channel_label"] == "FRA ops"]
    assert statuses[0] == "gave up" and statuses[-1] == "delivered" and statuses.count("delivered") == 1


def test_a_resend_interrupted_before_its_outcome_is_resendable_once_stale(gave_up) -> None:  # type: ignore[no-untyped-def]
    """A resend whose process died after claiming (Ctrl-C during a backoff, a lost connection) leaves its newest
    attempt "sending" or "failed": while it may still be running, a second resend is a conflict (a change arrives
    once); once no live run can still be sending it, it is re-sendable, not stuck for ever."""
    from reassure.domains.alerts.actions import claim_resend

    settings, hook, given_up = gave_up
    with unit_of_work(settings, identity=FRA_ADMIN) as db:
        claim_resend(given_up[0].id, db=db)  # claimed, never sent: the process died here
    with pytest.raises(Conflict, match="'sending'"):  # it may still be sending: not twice
        resend(settings, FRA_ADMIN, given_up[0].id, sleep=lambda _: None)
    before = len(hook.received)
    with engine_for(settings).begin() as connection:  # long after: no run can still be sending it
        connection.execute(text("UPDATE alert_deliveries SET at = :at WHERE status = 'sending'"),
                           {"at": datetime(2000, 1, 1, tzinfo=UTC)})
    outcome = resend(settings, FRA_ADMIN, given_up[0].id, sleep=lambda _: None)
    assert outcome.delivered and len(hook.received) == before + 1
    with unit_of_work(settings, identity=FRA_ADMIN) as db:
        log = [d for d in deliveries(db=db) if d.change == given_up[0].change and d.channel_label == "FRA ops"]
    assert sorted((d.attempt, d.status) for d in log)[-2:] == [(3, "gave up"), (4, "delivered")]
    assert not [d for d in log if d.status == "sending"]

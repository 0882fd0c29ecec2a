"""Alert transport: the signature a receiver checks (and a replayed or altered body it refuses), a webhook's answers
sorted into delivered / retry / give up against a real local receiver, e-mail without a configured server."""

from __future__ import annotations

import hashlib
import hmac
from datetime import UTC, datetime, timedelta
from pathlib import Path

from reassure.services.notify import body_of, post_webhook, send_email, signature, verify
from reassure.settings import Settings
from tests.conftest import free_port
from tests.jobs.receivers import self_signed, smtp_server, webhook_receiver

SECRET = "a-shared-secret-of-some-length"


def test_the_signature_is_hmac_sha256_of_timestamp_dot_body() -> None:
    body = body_of({"b": 1, "a": "é"})
    assert body == '{"a":"é","b":1}'.encode()
    expected = hmac.new(SECRET.encode(), b"1700000000." + body, hashlib.sha256).hexdigest()
    assert signature(SECRET, "1700000000", body) == f"sha256={expected}"


def test_a_receiver_refuses_an_altered_body_a_wrong_secret_and_a_replay() -> None:
    now = datetime(2026, 12, 7, 12, tzinfo=UTC)
    stamp = str(int(now.timestamp()))
    body = body_of({"to": "met"})
    header = signature(SECRET, stamp, body)
    assert verify(SECRET, stamp, body, header, now=now)
    assert not verify(SECRET, stamp, body_of({"to": "not met"}), header, now=now)
    assert not verify("another-secret-of-length", stamp, body, header, now=now)
    assert not verify(SECRET, stamp, body, header, now=now + timedelta(minutes=6))  # replayed later
    assert not verify(SECRET, str(int(now.timestamp()) + 1), body, header, now=now)  # timestamp swapped
    assert not verify(SECRET, "soon", body, header, now=now)


def test_webhook_answers_are_delivered_retried_or_given_up() -> None:
    with webhook_receiver() as receiver:
        receiver.plan = [500, 429, 404]
        outcomes = [post_webhook(receiver.url, b"{}", SECRET, delivery="d", timeout=5) for _ in range(4)]
    assert [(o.delivered, o.retry, o.http_status) for o in outcomes] == [
        (False, True, 500), (False, True, 429), (False, False, 404), (True, False, 200)]
    assert receiver.received[0].headers["X-Reassure-Delivery"] == "d"
    unreachable = post_webhook(f"http://127.0.0.1:{free_port()}/", b"{}", SECRET, delivery="d", timeout=2)
    assert not unreachable.delivered and unreachable.retry and "cannot connect" in unreachable.error


def test_e_mail_needs_a_configured_server_and_goes_through_a_real_one() -> None:
    nowhere = send_email(Settings(database_url="sqlite://"), ["a@b.test"], "s", "t")
    assert not nowhere.delivered and not nowhere.retry and "REASSURE_SMTP_HOST" in nowhere.error
    with smtp_server() as mailbox:
        settings = Settings(database_url="sqlite://", smtp_host="127.0.0.1", smtp_port=mailbox.port,
                            smtp_starttls=False)
        sent = send_email(settings, ["a@b.test", "c@d.test"], "subject é", "text")
    assert sent.delivered and [r for r, _ in mailbox.messages] == [["a@b.test", "c@d.test"]]
    assert mailbox.messages[0][1]["Subject"] == "subject é"
    closed = Settings(database_url="sqlite://", smtp_host="127.0.0.1", smtp_port=free_port(), smtp_starttls=False,
                      alerts_timeout_seconds=2)
    refused = send_email(closed, ["a@b.test"], "s", "t")
    assert not refused.delivered and refused.retry


def test_e_mail_is_sent_over_starttls_checking_the_servers_certificate(tmp_path: Path) -> None:
    cert, key = self_signed(tmp_path)
    with smtp_server(tls=(cert, key)) as mailbox:
        base = Settings(database_url="sqlite://", smtp_host="127.0.0.1", smtp_port=mailbox.port,
                        alerts_timeout_seconds=5)
        untrusted = send_email(base, ["a@b.test"], "s", "t")  # a certificate the system does not trust
        plain = send_email(base.model_copy(update={"smtp_starttls": False}), ["a@b.test"], "s", "t")
        trusted = send_email(base.model_copy(update={"smtp_ca_file": cert}), ["a@b.test"], "over TLS", "t")
    assert not untrusted.delivered and "CERTIFICATE_VERIFY_FAILED" in untrusted.error
    assert not plain.delivered and "530" in plain.error  # the server requires STARTTLS first
    assert trusted.delivered and [m["Subject"] for _, m in mailbox.messages] == ["over TLS"]

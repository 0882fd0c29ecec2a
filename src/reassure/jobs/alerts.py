"""The alerts run: evaluate the bundled rules as each nation, store the evaluations (a state change is recorded when a
rule's state differs from its previous stored evaluation in that nation's view), and send each new change to that
nation's channels, retrying with exponential back-off and logging every attempt.

It runs after each ingest (`after_ingest`, called by every adapter that ingests: today the CLI's ingest commands) and
on a schedule (the job worker's periodic task, every
`alerts_every_minutes`). Every read and write is done as `reassure-alerts` of the nation concerned: what it evaluates,
and so what it sends, is exactly what that nation may read (the access filter, db/access.py); a channel of another
nation receives nothing about records hidden from its nation.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from reassure.core.errors import ReassureError
from reassure.core.identity import Identity, Role
from reassure.core.markings import Releasability
from reassure.db.access import identity_of
from reassure.db.locks import serialize
from reassure.db.uow import lookup_session, retrying, unit_of_work
from reassure.domains.alerts.actions import claim_deliveries, log_attempt, recipients
from reassure.domains.alerts.models import RuleStateChange
from reassure.domains.alerts.service import (
    ChannelTarget,
    channel_targets,
    find_channel,
    nations_with_views,
    read_change,
)
from reassure.domains.evaluations.models import StoredEvaluation
from reassure.domains.evaluations.service import read as read_evaluation
from reassure.services import notify
from reassure.settings import Settings

log = logging.getLogger("reassure.alerts")
ALERTS_USER = "reassure-alerts"
PERIODIC_TASK = "reassure.alerts"
Sleep = Callable[[float], None]


def alerts_identity(nation: str) -> Identity:
    """Return the identity the alerts run reads and writes as for one nation (an analyst of that nation: it stores
    evaluations; no role widens what a nation reads)."""
    return Identity(user=ALERTS_USER, nation=nation, roles=frozenset({Role.ANALYST}))


@dataclass(frozen=True)
class Message:
    """One notification ready to send to one channel: a webhook body or an e-mail."""

    channel: ChannelTarget
    change_key: int | None
    delivery: str  # the change's public id ("test" for a test-send): the receiver's idempotency key
    body: bytes
    subject: str
    text: str


@dataclass
class AlertRun:
    """What a run did: evaluations stored and changes found per nation, and every delivery's final outcome."""

    evaluated: dict[str, int] = field(default_factory=dict)
    changes: dict[str, list[str]] = field(default_factory=dict)
    delivered: int = 0
    failed: int = 0


def alert_nations(settings: Settings) -> list[str]:
    """Return the nations whose rule states are kept: with an active user or channel (a system lookup: nation codes
    only). A nation without a channel has its evaluations and state changes stored (its users' dashboard shows them);
    nothing is sent for it."""
    with lookup_session(settings) as db:
        return nations_with_views(db=db)


def _evaluate(db: Session) -> tuple[int, list[str]]:
    from reassure.domains.evaluations.actions import store_evaluations
    from reassure.domains.requests.actions import follow_up_late_asks
    from reassure.rules import load_bundled_rules
    from reassure.services.renewals import follow_up_expiring
    from reassure.services.situation import rule_states

    stored = store_evaluations([s.evaluation for s in rule_states(load_bundled_rules(), db=db, bundled=True)],
                               db=db)
    follow_up_expiring(db=db)
    follow_up_late_asks(db=db)  # asks unanswered after, or answered after, their answer-by date (ADR 0047)
    ids = [e.id for e in stored]
    found = db.scalars(select(RuleStateChange.public_id).join(
        StoredEvaluation, StoredEvaluation.id == RuleStateChange.evaluation_id).where(
        StoredEvaluation.public_id.in_(ids))).all()
    return len(stored), list(found)


def _messages(db: Session) -> list[Message]:
    """Claim this nation's unsent (channel, change) pairs and build each message from what the nation may read."""
    identity = identity_of(db)
    serialize(db, f"alerts:{identity.nation}")
    pairs = claim_deliveries(db=db)
    channels = {c.key: c for c in channel_targets(db=db)}
    out = []
    for channel_key, change_key in pairs:
        message = _message(db, channels, channel_key, change_key, attempt=1)
        if message is not None:
            out.append(message)
    return out


def _message(db: Session, channels: dict[int, ChannelTarget], channel_key: int, change_key: int, *,
             attempt: int) -> Message | None:
    """Build one change's message for one channel from what the channel's nation may read, else log that it gave up."""
    row = db.execute(select(RuleStateChange, StoredEvaluation).join(
        StoredEvaluation, StoredEvaluation.id == RuleStateChange.evaluation_id).where(
        RuleStateChange.id == change_key)).first()
    previous = db.scalars(select(StoredEvaluation.public_id).join(
        RuleStateChange, RuleStateChange.previous_id == StoredEvaluation.id).where(
        RuleStateChange.id == change_key)).first()
    channel = channels.get(channel_key)
    if row is None or channel is None:  # not released to this nation (never sent), or removed meanwhile
        log_attempt(channel_key, change_key, attempt, "gave up", db=db,
                    error="not readable as the channel's nation")
        return None
    change_row, evaluation_row = row
    change = read_change(change_row, evaluation_row.public_id, previous or "—")
    evaluation = read_evaluation(evaluation_row)
    marking = str(Releasability.from_column(change_row.rel_to))
    subject, text = notify.email_text(change, evaluation, marking=marking)
    return Message(channel, change_key, change.id, notify.body_of(notify.payload(change, evaluation,
                                                                                  marking=marking)),
                   subject, text)


def send(settings: Settings, message: Message, *, sleep: Sleep = time.sleep, first: int = 1) -> notify.Outcome:
    """Deliver one message with up to `alerts_attempts` attempts, waiting `alerts_backoff_seconds` doubled each time
    between them; log every attempt (as the channel's nation), numbered from ``first`` (a resend goes on counting)."""
    identity = alerts_identity(message.channel.nation)
    attempts = settings.alerts_attempts
    outcome = notify.Outcome(False, error="not attempted")
    for n in range(1, attempts + 1):
        outcome = _attempt(settings, message)
        last = outcome.delivered or not outcome.retry or n == attempts
        status = "delivered" if outcome.delivered else ("gave up" if last else "failed")
        _log(settings, identity, message, first + n - 1, status, outcome)
        if last:
            break
        sleep(settings.alerts_backoff_seconds * 2 ** (n - 1))
    if not outcome.delivered:
        log.warning("alert to %s (%s) not delivered: %s", message.channel.label, message.channel.kind, outcome.error)
    return outcome


def _log(settings: Settings, identity: Identity, message: Message, attempt: int, status: str,
         outcome: notify.Outcome) -> None:
    def write(db: Session) -> None:
        log_attempt(message.channel.key, message.change_key, attempt, status, db=db, http_status=outcome.http_status,
                    error=outcome.error)
    retrying(settings, identity, write)


def _attempt(settings: Settings, message: Message) -> notify.Outcome:
    channel = message.channel
    if channel.kind == "webhook":
        return notify.post_webhook(channel.target, message.body, channel.secret or "", delivery=message.delivery,
                                   timeout=settings.alerts_timeout_seconds)
    return notify.send_email(settings, recipients(channel.target), message.subject, message.text)


def evaluate_and_notify(settings: Settings, nations: Iterable[str] | None = None, *,
                        sleep: Sleep = time.sleep) -> AlertRun:
    """Evaluate and store the bundled rules as each nation (default: those with an active user or channel), then send
    each new state change to that nation's channels (if any). Returns what was done."""
    run = AlertRun()
    for nation in sorted(set(alert_nations(settings) if nations is None else nations)):
        identity = alerts_identity(nation)
        try:
            count, changes = retrying(settings, identity, _evaluate)
            messages = retrying(settings, identity, _messages)
        except ReassureError as error:  # e.g. a database outage: the next run tries again; other nations go on
            log.warning("alerts for %s not evaluated: %s", nation, error.message)
            continue
        run.evaluated[nation], run.changes[nation] = count, changes
        for message in messages:
            outcome = send(settings, message, sleep=sleep)
            run.delivered += outcome.delivered
            run.failed += not outcome.delivered
    return run


def after_ingest(settings: Settings, *, sleep: Sleep = time.sleep) -> AlertRun:
    """The run after any ingest, whatever adapter made it: every nation with an active user or channel (the ingested
    records may be released to any of them; docs/adr/0020, 0021)."""
    return evaluate_and_notify(settings, alert_nations(settings), sleep=sleep)


class Coalesced:
    """One piece of work that callers ask for faster than it runs, run so that every ask is covered by a run that
    started after it, and no more: an ask while a run is under way starts none of its own, and the run under way goes
    once more when it ends (however many asked meanwhile), doing the work of the newest ask (its settings). The caller
    whose ask started the runs does them; the others return at once. A run that fails is followed by the runs asked
    meanwhile all the same; the caller gets the error of the last run only (a later run that succeeded covered every
    ask before it)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._work: Callable[[], object] = lambda: None  # the newest ask's work
        self._busy = False
        self._again = False

    def ask(self, work: Callable[[], object]) -> bool:
        """Run `work` now (and the newest asked again while asks arrive during it): True; or leave it to the run under
        way: False."""
        with self._lock:
            self._work = work
            if self._busy:
                self._again = True
                return False
            self._busy = True
        error: Exception | None = None
        while True:
            with self._lock:
                self._again, work = False, self._work
            try:
                work()
                error = None
            except Exception as failed:  # the asks that arrived meanwhile are still run
                error = failed
            with self._lock:
                if not self._again:
                    self._busy = False
                    break
        if error is not None:
            raise error
        return True


_AFTER_INGEST: dict[str, Coalesced] = {}
_AFTER_INGEST_LOCK = threading.Lock()


def after_ingest_coalesced(settings: Settings) -> bool:
    """`after_ingest` for a server taking ingests one after another (the intake API): the rules are evaluated after
    every ingest, but ingests that arrive while an evaluation runs are evaluated together by one more run when it
    ends, not one run each (each run reads every nation's records and rules: about a second of CPU on the demo data).
    One evaluation at a time per database in this process; True when this call ran it."""
    with _AFTER_INGEST_LOCK:
        runs = _AFTER_INGEST.setdefault(settings.database_url, Coalesced())
    return runs.ask(lambda: after_ingest(settings))


def test_send(settings: Settings, identity: Identity, channel_id: str, *, sleep: Sleep = time.sleep) -> notify.Outcome:
    """Send a test notification to one of the admin's nation's channels (admins only); logged like any delivery."""
    def load(db: Session) -> ChannelTarget:
        identity.require(Role.ADMIN, "test-send an alert channel")
        channel = find_channel(channel_id, db=db)
        return next(c for c in channel_targets(db=db) if c.key == channel.id)

    with unit_of_work(settings, identity=identity) as db:
        channel = load(db)
    data: dict[str, Any] = {**notify.TEST_PAYLOAD, "nation": channel.nation, "channel": channel.label}
    text = f"{notify.TEST_PAYLOAD['message']} (channel {channel.label!r} of {channel.nation}).\n"
    return send(settings, Message(channel, None, "test", notify.body_of(data), "reassure: test notification", text),
                sleep=sleep)


def longest_send(settings: Settings) -> timedelta:
    """Return longer than any delivery's attempts and waits can take (each attempt's timeout, twice for an e-mail's
    connect and send, and the doubling waits between them), with a margin: a delivery whose newest attempt is older
    than this was interrupted, and may be re-sent."""
    n = settings.alerts_attempts
    seconds = n * 2 * settings.alerts_timeout_seconds + settings.alerts_backoff_seconds * (2 ** (n - 1) - 1)
    return timedelta(seconds=seconds + 300)


def resend(settings: Settings, identity: Identity, delivery_id: str, *, sleep: Sleep = time.sleep) -> notify.Outcome:
    """Send a delivery that gave up once more (admins of its channel's nation; audited), with the usual retries.

    The claim and its audit row are written as the admin; the message is built and the attempts logged as the
    alerts identity of the channel's nation, exactly as the run that gave up would have (docs/adr/0021)."""
    from reassure.domains.alerts.actions import claim_resend

    stale = longest_send(settings)
    claim = retrying(settings, identity, lambda db: claim_resend(delivery_id, db=db, stale_after=stale))

    def build(db: Session) -> Message | None:
        channels = {c.key: c for c in channel_targets(db=db)}
        return _message(db, channels, claim.channel_key, claim.change_key, attempt=claim.attempt)

    message = retrying(settings, alerts_identity(identity.nation), build)
    if message is None:
        return notify.Outcome(False, error="not readable as the channel's nation")
    return send(settings, message, sleep=sleep, first=claim.attempt)


def due(every_minutes: int) -> Callable[[Any], bool]:
    """Return huey's periodic test: true at each minute of the day that is a multiple of `every_minutes` (UTC)."""
    def check(moment: Any) -> bool:
        return every_minutes > 0 and (moment.hour * 60 + moment.minute) % every_minutes == 0
    return check

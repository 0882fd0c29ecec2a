"""Alert writes: an admin adds or removes their nation's channels (audited; a secret is never audited in clear); a
stored evaluation whose state differs from the previous one in the same nation's view records a state change; the
alerts job logs each delivery attempt."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from urllib.parse import urlsplit

from sqlalchemy import select
from sqlalchemy.orm import Session

from reassure.core.errors import Conflict, InputError, NotFound
from reassure.core.identity import Role
from reassure.core.markings import Releasability, most_restrictive
from reassure.core.public_ids import shown_id
from reassure.db.access import identity_of
from reassure.db.locks import lock_for_update
from reassure.domains.alerts.models import AlertChannel, AlertDelivery, RuleStateChange
from reassure.domains.alerts.schemas import ChannelCreate, ChannelRead
from reassure.domains.alerts.service import find_channel, read_channel
from reassure.domains.alerts.targets import forbidden_address
from reassure.domains.audit.actions import record
from reassure.domains.evaluations.models import StoredEvaluation
from reassure.domains.evaluations.service import previous_evaluation, state_of

_ADDRESS = re.compile(r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
                      r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*$")
MAX_RECIPIENTS = 50
FOLLOWUP_DAYS = 14  # a follow-up opened when a rule fires is due this many days later (docs/adr/0043)


def recipients(target: str) -> list[str]:
    """Return the e-mail addresses of a channel's target (comma- or semicolon-separated), or raise InputError."""
    found = [a.strip() for a in re.split(r"[,;]", target) if a.strip()]
    bad = [a for a in found if len(a) > 254 or not _ADDRESS.match(a)]
    if bad or not found:
        raise InputError(f"target: not an e-mail address: {bad[0][:80]!r}" if bad else "target: no e-mail address")
    if len(found) > MAX_RECIPIENTS:
        raise InputError(f"target: at most {MAX_RECIPIENTS} recipients per channel, got {len(found)}")
    return found


def shown_target(kind: str, target: str) -> str:
    """Return a channel's target as the audit log keeps it: a URL without its query (which may hold a token)."""
    if kind != "webhook":
        return target
    parts = urlsplit(target)
    return f"{parts.scheme}://{parts.netloc}{parts.path}" + ("?…" if parts.query else "")


def _check(request: ChannelCreate) -> str:
    target = request.target.strip()
    if request.kind == "email":
        if request.secret:
            raise InputError("secret: only webhooks have a signing secret")
        return ", ".join(recipients(target))
    parts = urlsplit(target)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise InputError(f"target: a webhook needs an http:// or https:// URL, got {target[:80]!r}")
    if parts.username or parts.password:
        raise InputError("target: put no credentials in the URL: the receiver checks the signature instead")
    if (refused := forbidden_address(parts.hostname)) is not None:
        raise InputError(f"target: {refused}: webhooks go to public addresses only (or this server's loopback)")
    if not request.secret:
        raise InputError("secret: a webhook needs a shared secret of at least 16 characters (its bodies are signed)")
    return target


def add_channel(request: ChannelCreate, *, db: Session) -> ChannelRead:
    """Add a channel for the admin's nation (admins only); audited without the secret."""
    identity = identity_of(db)
    identity.require(Role.ADMIN, "add an alert channel")
    target = _check(request)
    rel_to = Releasability.to(identity.nation).to_column()
    channel = AlertChannel(nation=identity.nation, kind=request.kind, label=request.label.strip(), target=target,
                           secret=request.secret if request.kind == "webhook" else None, active=True,
                           created_by=identity.user, rel_to=rel_to)
    db.add(channel)
    db.flush()
    record(db, action="alerts.channel.add", entity="AlertChannel", key=channel.public_id, rel_to=rel_to,
           after={"kind": channel.kind, "label": channel.label, "target": shown_target(channel.kind, target),
                  "secret": "set" if channel.secret else None})
    return read_channel(channel)


def remove_channel(channel_id: str, *, db: Session) -> ChannelRead:
    """Stop sending to a channel of the admin's nation (kept, inactive, for the delivery log); audited."""
    identity = identity_of(db)
    identity.require(Role.ADMIN, "remove an alert channel")
    channel = find_channel(channel_id, db=db)
    lock_for_update(db, channel)
    channel.active, channel.removed_at = False, datetime.now(UTC)
    record(db, action="alerts.channel.remove", entity="AlertChannel", key=channel.public_id, rel_to=channel.rel_to,
           before={"kind": channel.kind, "label": channel.label, "active": True}, after={"active": False})
    return read_channel(channel)


def record_state_change(row: StoredEvaluation, *, db: Session) -> RuleStateChange | None:
    """Compare a just-stored evaluation with the previous one of the same rule in the same nation's view; record
    and return the change if the state differs (the first evaluation in a view sets the baseline: no change)."""
    identity = identity_of(db)
    nation = row.owner_nation or identity.nation
    previous = previous_evaluation(row.rule_id, db=db, nation=nation, before=row.id)
    state = state_of(row.met, row.evaluation)
    if previous is None or previous.state == state:
        return None
    change = RuleStateChange(nation=nation, rule_id=row.rule_id, rule_name=row.rule_name, kind=row.kind,
                             from_state=previous.state, to_state=state, as_of=row.as_of, evaluation_id=row.id,
                             previous_id=previous.key, rel_to=row.rel_to)
    db.add(change)
    db.flush()
    record(db, action="alerts.state_change", entity="RuleStateChange", key=change.public_id, rel_to=row.rel_to,
           before={"state": previous.state, "evaluation": previous.public_id},
           after={"state": state, "evaluation": row.public_id, "as_of": row.as_of})
    if state == "met":  # a rule that fires leaves a task someone of the nation owns (domains/followups)
        from reassure.domains.followups.actions import open_followup

        open_followup(db=db, title=f"{row.rule_name}: {row.evaluation.get('action', '')}".strip(" :"),
                      follows_kind="rule", follows_key=row.rule_id,
                      due_on=date.today() + timedelta(days=FOLLOWUP_DAYS), rests_on=row.rel_to)
    return change


def claim_deliveries(*, db: Session) -> list[tuple[int, int]]:
    """Return the (channel, change) pairs of the viewer's nation not yet sent: changes recorded since the channel was
    added that no attempt names; each is claimed by its first attempt's row ("sending") so no other run sends it.

    Call under `serialize(db, "alerts:<nation>")` (db/locks) so two runs cannot claim the same pair."""
    identity = identity_of(db)
    channels = db.scalars(select(AlertChannel).where(AlertChannel.nation == identity.nation,
                                                     AlertChannel.active.is_(True))).all()
    claimed: list[tuple[int, int]] = []
    for channel in channels:
        sent = select(AlertDelivery.change_id).where(AlertDelivery.channel_id == channel.id,
                                                     AlertDelivery.change_id.is_not(None))
        pending = db.scalars(select(RuleStateChange).where(RuleStateChange.nation == identity.nation,
                                                           RuleStateChange.created_at >= channel.created_at,
                                                           RuleStateChange.id.not_in(sent))
                             .order_by(RuleStateChange.id)).all()
        for change in pending:
            db.add(AlertDelivery(channel_id=channel.id, change_id=change.id, attempt=1, status="sending",
                                 rel_to=_delivery_marking(channel.rel_to, change.rel_to)))
            claimed.append((channel.id, change.id))
    db.flush()
    return claimed


def _delivery_marking(*columns: str) -> str:
    return most_restrictive(*(Releasability.from_column(c) for c in columns)).to_column()


def log_attempt(channel_key: int, change_key: int | None, attempt: int, status: str, *, db: Session,
                http_status: int | None = None, error: str = "") -> None:
    """Log one delivery attempt (the first attempt's claimed row is completed, later ones added)."""
    channel = db.get(AlertChannel, channel_key)
    if channel is None:
        return
    change = db.get(RuleStateChange, change_key) if change_key is not None else None
    existing = None
    if change_key is not None:  # the attempt claimed by a run (attempt 1) or a resend (the next number)
        existing = db.scalars(select(AlertDelivery).where(AlertDelivery.channel_id == channel_key,
                                                          AlertDelivery.change_id == change_key,
                                                          AlertDelivery.attempt == attempt,
                                                          AlertDelivery.status == "sending")).first()
    row = existing or AlertDelivery(channel_id=channel_key, change_id=change_key, attempt=attempt,
                                    rel_to=_delivery_marking(channel.rel_to, *([change.rel_to] if change else [])))
    row.status, row.http_status, row.error, row.at = status, http_status, error[:1000], datetime.now(UTC)
    if existing is None:
        db.add(row)


@dataclass(frozen=True)
class Resend:
    """A delivery claimed again by an admin: the channel, the change, and the number of its next attempt."""

    channel_key: int
    change_key: int
    attempt: int


def claim_resend(delivery_id: str, *, db: Session, stale_after: timedelta | None = None) -> Resend:
    """Claim a delivery that gave up for one more round of attempts (admins of the channel's nation; audited).

    ``delivery_id`` is any attempt of it (`dlv_…`, `reassure alerts log`). Only a delivery whose newest attempt gave
    up is re-sent: one delivered, or being sent, is a conflict (a notification arrives once per change). The next
    attempt is claimed here ("sending"), so two resends cannot both send it. Hidden and absent look the same.
    A newest attempt still "sending" or "failed" (retrying) longer than ``stale_after`` (longer than any run's
    attempts and waits take) was interrupted before its outcome was logged: it is logged as given up and re-sent.
    """
    identity = identity_of(db)
    identity.require(Role.ADMIN, "re-send an alert delivery")
    found = db.execute(select(AlertDelivery, AlertChannel)
                       .join(AlertChannel, AlertChannel.id == AlertDelivery.channel_id)
                       .where(AlertDelivery.public_id == str(delivery_id)[:40],
                              AlertChannel.nation == identity.nation)).first()
    if found is None:
        raise NotFound(f"no alert delivery {shown_id(delivery_id)}")
    delivery, channel = found
    if delivery.change_id is None:
        raise Conflict("a test notification is not re-sent: `reassure alerts test CHANNEL` sends another")
    if not channel.active:
        raise Conflict(f"the channel {channel.label!r} was removed: nothing is sent to it")
    lock_for_update(db, channel)
    attempts = db.scalars(select(AlertDelivery).where(AlertDelivery.channel_id == channel.id,
                                                      AlertDelivery.change_id == delivery.change_id)
                          .order_by(AlertDelivery.attempt.desc(), AlertDelivery.id.desc())).all()
    newest = attempts[0]
    interrupted = (stale_after is not None and newest.status in ("sending", "failed")
                   and newest.at < datetime.now(UTC) - stale_after)
    if newest.status != "gave up" and not interrupted:
        raise Conflict(f"the delivery's newest attempt is {newest.status!r}: only one that gave up is re-sent")
    was = newest.status
    if interrupted:  # no run can still be sending it: its outcome was never logged
        newest.status, newest.error = "gave up", f"interrupted while {was} (no outcome was logged)"
    change = db.get(RuleStateChange, delivery.change_id)
    if change is None:
        raise NotFound(f"no alert delivery {shown_id(delivery_id)}")
    claim = AlertDelivery(channel_id=channel.id, change_id=change.id, attempt=newest.attempt + 1, status="sending",
                          rel_to=_delivery_marking(channel.rel_to, change.rel_to))
    db.add(claim)
    db.flush()
    record(db, action="alerts.delivery.resend", entity="AlertDelivery", key=claim.public_id, rel_to=claim.rel_to,
           before={"delivery": newest.public_id, "status": was, "attempts": newest.attempt,
                   **({"interrupted": True} if interrupted else {}),
                   "channel": channel.label, "change": change.public_id},
           after={"delivery": claim.public_id, "status": "sending", "attempt": claim.attempt})
    return Resend(channel.id, change.id, claim.attempt)

"""Read alert channels, state changes and the delivery log: only the viewer's nation's, through the access filter."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, select
from sqlalchemy.orm import Session, aliased

from reassure.core.errors import NotFound
from reassure.core.identity import Role
from reassure.core.public_ids import shown_id
from reassure.db.access import identity_of, system
from reassure.db.paging import paged_rows
from reassure.domains.alerts.models import AlertChannel, AlertDelivery, RuleStateChange
from reassure.domains.alerts.schemas import ChannelRead, DeliveryRead, StateChangeRead
from reassure.domains.evaluations.models import StoredEvaluation


@dataclass(frozen=True)
class ChannelTarget:
    """What a delivery needs of a channel (the secret included: for signing only, never for output)."""

    key: int
    public_id: str
    nation: str
    kind: str
    label: str
    target: str
    secret: str | None = None

    def __repr__(self) -> str:
        return f"ChannelTarget({self.public_id}, {self.kind}, {self.label!r})"  # no secret in any log line


def nations_with_channels(*, db: Session) -> list[str]:
    """Return the nations with an active alert channel (a system lookup in a session with no identity: nation codes
    only; the alerts run then reads as each of them)."""
    query = select(AlertChannel.nation).where(AlertChannel.active.is_(True)).distinct()
    return sorted(db.scalars(query.execution_options(**system("alert-nations"))))


def nations_with_views(*, db: Session) -> list[str]:
    """Return the nations whose view of the rules is kept: those with an active user or an active alert channel
    (a system lookup, nation codes only), so every nation's users see its recent state changes (docs/adr/0021)."""
    from reassure.domains.users.models import User

    users = select(User.nation).where(User.active.is_(True)).distinct()
    found = set(db.scalars(users.execution_options(**system("alert-nations"))))
    return sorted(found | set(nations_with_channels(db=db)))


def read_channel(c: AlertChannel) -> ChannelRead:
    """Return a channel's listing (whether a secret is set, never the secret)."""
    return ChannelRead(id=c.public_id, nation=c.nation, kind=c.kind, label=c.label, target=c.target,
                       secret_set=bool(c.secret), active=c.active, created_by=c.created_by, created_at=c.created_at)


def list_channels(*, db: Session, include_removed: bool = False) -> list[ChannelRead]:
    """Return the admin's nation's channels (admins only: targets name people and systems)."""
    identity = identity_of(db)
    identity.require(Role.ADMIN, "list alert channels")
    query = select(AlertChannel).where(AlertChannel.nation == identity.nation).order_by(AlertChannel.id)
    if not include_removed:
        query = query.where(AlertChannel.active.is_(True))
    return [read_channel(c) for c in db.scalars(query)]


def find_channel(channel_id: str, *, db: Session) -> AlertChannel:
    """Return an active channel of the viewer's nation by public id, or NotFound (hidden and absent alike)."""
    identity = identity_of(db)
    found = db.scalars(select(AlertChannel).where(AlertChannel.public_id == str(channel_id)[:40],
                                                  AlertChannel.nation == identity.nation,
                                                  AlertChannel.active.is_(True))).first()
    if found is None:
        raise NotFound(f"no alert channel {shown_id(channel_id)}")
    return found


def channel_targets(*, db: Session, since: datetime | None = None) -> list[ChannelTarget]:
    """Return the viewer's nation's active channels with what a delivery needs (for the alerts job only)."""
    identity = identity_of(db)
    query = select(AlertChannel).where(AlertChannel.nation == identity.nation, AlertChannel.active.is_(True))
    return [ChannelTarget(c.id, c.public_id, c.nation, c.kind, c.label, c.target, c.secret)
            for c in db.scalars(query.order_by(AlertChannel.id))]


def read_change(c: RuleStateChange, evaluation: str, previous: str) -> StateChangeRead:
    """Return a state change's listing."""
    from reassure.core.markings import Releasability

    return StateChangeRead(id=c.public_id, nation=c.nation, rule_id=c.rule_id, rule_name=c.rule_name, kind=c.kind,
                           from_state=c.from_state, to_state=c.to_state, as_of=c.as_of, evaluation=evaluation,
                           previous=previous, at=c.created_at, marking=str(Releasability.from_column(c.rel_to)))


def _changes_query(*, db: Session, rule_id: str | None) -> Select[RuleStateChange, str, str]:
    now, before = aliased(StoredEvaluation), aliased(StoredEvaluation)
    query = (select(RuleStateChange, now.public_id, before.public_id)
             .join(now, now.id == RuleStateChange.evaluation_id)
             .join(before, before.id == RuleStateChange.previous_id)
             .where(RuleStateChange.nation == identity_of(db).viewed_nation)
             .order_by(RuleStateChange.id.desc()))
    if rule_id:
        query = query.where(RuleStateChange.rule_id == rule_id)
    return query


def recent_changes(*, db: Session, limit: int = 20, rule_id: str | None = None) -> list[StateChangeRead]:
    """Return the newest state changes of the viewed nation's view that the viewer may read, newest first."""
    query = _changes_query(db=db, rule_id=rule_id).limit(max(1, min(limit, 1000)))
    return [read_change(c, e, p) for c, e, p in db.execute(query)]


def page_changes(*, db: Session, limit: int = 50, offset: int = 0,
                 rule_id: str | None = None) -> tuple[list[StateChangeRead], int]:
    """Return one page of the state changes of the viewed nation's view that the viewer may read, newest first, and
    how many there are."""
    rows, total = paged_rows(db, _changes_query(db=db, rule_id=rule_id), limit=limit, offset=offset)
    return [read_change(c, e, p) for c, e, p in rows], total


def _deliveries_query(*, db: Session) -> Select[AlertDelivery, AlertChannel, RuleStateChange]:
    identity = identity_of(db)
    identity.require(Role.ADMIN, "read the alert delivery log")
    return (select(AlertDelivery, AlertChannel, RuleStateChange)
            .join(AlertChannel, AlertChannel.id == AlertDelivery.channel_id)
            .outerjoin(RuleStateChange, RuleStateChange.id == AlertDelivery.change_id)
            .where(AlertChannel.nation == identity.nation)
            .order_by(AlertDelivery.id.desc()))


def _delivery(d: AlertDelivery, ch: AlertChannel, c: RuleStateChange | None) -> DeliveryRead:
    return DeliveryRead(id=d.public_id, channel=ch.public_id, channel_label=ch.label,
                        change=c.public_id if c else None,
                        rule_name=c.rule_name if c else None, from_state=c.from_state if c else None,
                        to_state=c.to_state if c else None, attempt=d.attempt, status=d.status,
                        http_status=d.http_status, error=d.error, at=d.at)


def deliveries(*, db: Session, limit: int = 100) -> list[DeliveryRead]:
    """Return the admin's nation's delivery attempts, newest first (admins only)."""
    query = _deliveries_query(db=db).limit(max(1, min(limit, 10_000)))
    return [_delivery(d, ch, c) for d, ch, c in db.execute(query)]


def page_deliveries(*, db: Session, limit: int = 50, offset: int = 0) -> tuple[list[DeliveryRead], int]:
    """Return one page of the admin's nation's delivery attempts, newest first (admins only), and how many there
    are."""
    rows, total = paged_rows(db, _deliveries_query(db=db), limit=limit, offset=offset)
    return [_delivery(d, ch, c) for d, ch, c in rows], total

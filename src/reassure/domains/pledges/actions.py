"""Pledge lifecycle actions: a dated status change (announced → offered → confirmed → deployed) or a withdrawal.

A planner's audited write on a pledge released to them; the new step is marked like its pledge. Steps go
forward in time: a step dated before the pledge's last one is refused (Conflict), checked with the pledge locked
(db/locks.py), so concurrent writers cannot break the order.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from reassure.core.errors import Conflict, InputError
from reassure.core.identity import Role
from reassure.db.access import identity_of
from reassure.db.locks import lock_for_update
from reassure.domains.audit.actions import record
from reassure.domains.pledges.models import LIFECYCLE, PledgeStatusEvent
from reassure.domains.pledges.schemas import PledgeHistory
from reassure.domains.pledges.service import find_pledge, pledge_history
from reassure.domains.sources.actions import cites, pick, visible_source


def change_status(scenario: str, key: str, status: str, on_date: date, *, db: Session,
                  source: str | None = None) -> PledgeHistory:
    """Record that a pledge reached a status on a date (citing a source when given); return its history."""
    identity_of(db).require(Role.PLANNER, "change a pledge's status")
    if status not in LIFECYCLE:
        raise InputError(f"status must be one of {', '.join(LIFECYCLE)}, got {status!r}")
    pledge = find_pledge(scenario, key, db=db)
    lock_for_update(db, pledge)  # the order is checked against the last committed step, and holds until commit
    last = max((h.on_date for h in pledge.history), default=None)
    if last is not None and on_date < last:
        raise Conflict(f"{on_date} is before the pledge's last step ({last}): steps go forward in time")
    if any(h.status == status and h.on_date == on_date for h in pledge.history):
        raise Conflict(f"the pledge is already recorded as {status} on {on_date}")
    if source is not None:
        cited = pick(visible_source(db, source), pledge.rel_to)
        if cited is None:
            raise InputError(f"unknown source {source!r}")
        if problem := cites(pledge.rel_to, cited, file="--source", where="", field=""):
            raise InputError([problem])
        if cited.id not in {s.id for s in pledge.sources}:
            pledge.sources.append(cited)
    before = {"status": pledge.status, "steps": len(pledge.history)}
    pledge.history.append(PledgeStatusEvent(status=status, on_date=on_date, rel_to=pledge.rel_to))
    pledge.status = status
    db.flush()
    record(db, action="pledge.status", entity="Pledge", key=f"{scenario}/{key}", rel_to=pledge.rel_to,
           before=before, after={"status": status, "on": on_date, "source": source})
    return pledge_history(scenario, key, db=db)


def withdraw(scenario: str, key: str, on_date: date, *, db: Session, source: str | None = None) -> PledgeHistory:
    """Record a pledge's withdrawal: plans built from then on leave its units out from the period containing the date
    on (docs/adr/0023)."""
    return change_status(scenario, key, "withdrawn", on_date, db=db, source=source)

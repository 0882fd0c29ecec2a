"""Freshness, expiry and renewal (docs/adr/0043): the pledges and legal instruments the reader sees that lapse or
must be renewed within a window, and the claims and pledges last known true too long ago; and the same dates as the
`expiring` indicator counts them for the rules."""

from __future__ import annotations

from datetime import date, timedelta

from pydantic import BaseModel
from sqlalchemy.orm import Session

from reassure.core.expiry import Expiry
from reassure.core.markings import most_restrictive, parse_marking
from reassure.db.access import identity_of
from reassure.domains.followups.actions import open_followup
from reassure.domains.followups.schemas import FollowupRead
from reassure.domains.legal.service import list_legal
from reassure.domains.pledges.service import list_pledges
from reassure.domains.preferences.service import default_scenario
from reassure.domains.sources.service import list_claims

WINDOW_DAYS = 90
STALE_DAYS = 365
RECORDS = ("legal", "pledge", "claim")
WHAT = ("lapses", "renewal", "stale")


class RenewalItem(BaseModel):
    """One record that lapses, must be renewed, or is stale, with the day and how many days from today."""

    record: str  # legal | pledge | claim
    scenario: str | None
    key: str
    nation: str | None
    subject: str  # for people: the instrument's kind and host, the pledge's capability, the claim's statement
    what: str  # lapses | renewal | stale
    on: date  # the day it lapses, the renewal is due, or (stale) it was last known true
    days: int  # days from today (negative: past)
    renewal: str  # what renews it ("" when not said)
    marking: str

    @property
    def overdue(self) -> bool:
        """True when the day has passed (a lapsed instrument, a renewal past due)."""
        return self.what != "stale" and self.days < 0


class RenewalsRead(BaseModel):
    """What lapses or must be renewed within `window_days` of `today` (and what already has, while still counted
    on), and what was last known true more than `stale_days` ago; `marking` is the most restrictive of the items'."""

    today: date
    scenario: str | None
    window_days: int
    stale_days: int
    expiring: list[RenewalItem]
    stale: list[RenewalItem]
    marking: str | None


def _subject_legal(kind: str, host: str) -> str:
    return f"{kind} with {host}"


def renewals(*, db: Session, scenario: str | None = None, today: date | None = None,
             window_days: int = WINDOW_DAYS, stale_days: int = STALE_DAYS) -> RenewalsRead:
    """Return the reader's expiring and stale records of a scenario (default: the nation's default scenario; claims
    belong to no scenario and are always read), soonest first. A withdrawn pledge or an instrument already recorded
    as expired is not counted on, so it is not listed."""
    today = today or date.today()
    name = scenario or default_scenario(db=db)
    horizon = today + timedelta(days=window_days)
    stale_before = today - timedelta(days=stale_days)
    expiring: list[RenewalItem] = []
    stale: list[RenewalItem] = []

    def item(record: str, key: str, nation: str | None, subject: str, what: str, on: date, renewal: str,
             marking: str) -> RenewalItem:
        return RenewalItem(record=record, scenario=name if record != "claim" else None, key=key, nation=nation,
                           subject=subject, what=what, on=on, days=(on - today).days, renewal=renewal,
                           marking=marking)

    if name:
        for lg in list_legal(name, db=db):
            if lg.status == "expired":
                continue
            subject = _subject_legal(lg.kind, lg.host)
            if lg.in_force_to is not None and lg.in_force_to <= horizon:
                expiring.append(item("legal", lg.key, lg.nation, subject, "lapses", lg.in_force_to, lg.renewal,
                                     lg.marking))
            if lg.renew_by is not None and lg.renew_by <= horizon:
                expiring.append(item("legal", lg.key, lg.nation, subject, "renewal", lg.renew_by, lg.renewal,
                                     lg.marking))
        for p in list_pledges(db=db, scenario=name):
            if p.status == "withdrawn":
                continue
            subject = f"{p.quantity} × {p.capability}"
            if p.valid_to is not None and p.valid_to <= horizon:
                expiring.append(item("pledge", p.key, p.nation, subject, "lapses", p.valid_to, p.renewal, p.marking))
            if p.renew_by is not None and p.renew_by <= horizon:
                expiring.append(item("pledge", p.key, p.nation, subject, "renewal", p.renew_by, p.renewal,
                                     p.marking))
            if p.as_of is not None and p.as_of < stale_before:
                stale.append(item("pledge", p.key, p.nation, subject, "stale", p.as_of, "", p.marking))
    for c in list_claims(db=db):
        if c.as_of is not None and c.as_of < stale_before:
            stale.append(item("claim", c.key, c.nation, c.statement, "stale", c.as_of, "", c.marking))
    expiring.sort(key=lambda i: (i.on, i.record, i.key, i.what))
    stale.sort(key=lambda i: (i.on, i.record, i.key))
    markings = [parse_marking(i.marking) for i in [*expiring, *stale]]
    return RenewalsRead(today=today, scenario=name, window_days=window_days, stale_days=stale_days,
                        expiring=expiring, stale=stale, marking=str(most_restrictive(*markings)) if markings else None)


def registry_expiries(*, db: Session, scenario: str | None = None) -> tuple[list[Expiry], list[str]] | None:
    """Return every lapse and renewal date of the scenario's pledges and legal instruments the reader sees (default:
    the nation's default scenario), as the `expiring` indicator counts them, with the markings of the records they
    come from (an evaluation that counts them rests on them); None without a scenario (no registry: unknown)."""
    name = scenario or default_scenario(db=db)
    if not name:
        return None
    dated = [(f"{lg.kind} {lg.key}", (lg.in_force_to, lg.renew_by), lg.marking)
             for lg in list_legal(name, db=db) if lg.status != "expired"]
    dated += [(f"pledge {p.key}", (p.valid_to, p.renew_by), p.marking)
              for p in list_pledges(db=db, scenario=name) if p.status != "withdrawn"]
    pairs = [(Expiry(label, on), marking) for label, days, marking in dated for on in days if on is not None]
    return [e for e, _ in pairs], [parse_marking(m).to_column() for _, m in pairs]


def follow_up_expiring(*, db: Session, today: date | None = None, window_days: int = WINDOW_DAYS,
                       scenario: str | None = None) -> list[FollowupRead]:
    """Open a follow-up for each of the writer's own nation's pledges and legal instruments that lapses or must be
    renewed within the window (one per record and kind of date while it stays open), owned by the nation's default
    owner and due on that day (today when it has passed); return those opened."""
    nation = identity_of(db).nation
    found = renewals(db=db, scenario=scenario, today=today, window_days=window_days)
    opened = []
    for i in found.expiring:
        if i.nation != nation:
            continue
        verb = "Renew" if i.what == "renewal" else "Renew or replace"
        title = f"{verb} {i.record} {i.key} ({i.subject}): {'renewal due' if i.what == 'renewal' else 'lapses'} " \
                f"{i.on.isoformat()}" + (f", {i.renewal}" if i.renewal else "")
        row = open_followup(db=db, title=title, follows_kind=i.record,
                            follows_key=f"{i.scenario}/{i.key}/{i.what}", due_on=max(i.on, found.today),
                            rests_on=parse_marking(i.marking).to_column())
        if row is not None:
            opened.append(row)
    return opened

"""Follow-up writes, each audited: one opened for a rule that fires, a record entering the expiry window, an ask
answered late or a verification that fails (by whoever's write found it, for their own nation), assigned to another user
of the nation, done or dropped.

A follow-up is marked REL TO its nation and no wider than what it follows; its owner is an active user of that nation
(so they can read what it follows), or nobody yet (unassigned) when the nation configured no follow-up owner; only that
nation reads it."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from reassure.core.errors import Conflict, Forbidden, InputError
from reassure.core.identity import Role
from reassure.core.markings import Releasability, most_restrictive
from reassure.db.access import identity_of
from reassure.db.locks import lock_for_update
from reassure.domains.audit.actions import record
from reassure.domains.followups.models import FOLLOWS, Followup
from reassure.domains.followups.schemas import FollowupRead
from reassure.domains.followups.service import UNASSIGNED, find_followup, read_followup
from reassure.domains.preferences.service import followup_owner
from reassure.domains.users.models import User

MAX_NOTE = 2000


def open_followup(*, db: Session, title: str, follows_kind: str, follows_key: str, due_on: date,
                  rests_on: str, once: bool = False) -> FollowupRead | None:
    """Open a follow-up for the writer's nation, owned by the nation's configured follow-up owner (unassigned, owner
    "", when none is: docs/adr/0047), unless one following the same record is still open (with `once`, unless one
    was ever opened: a cause that happens once, like a late answer); then None. `rests_on` is the marking of what it
    follows: the follow-up is marked REL TO the nation and no wider, and is not made when that record is not
    released to the nation. Audited as the writer's."""
    identity = identity_of(db)
    nation = identity.nation
    if follows_kind not in FOLLOWS:
        raise ValueError(f"a follow-up follows one of {', '.join(FOLLOWS)}, not {follows_kind!r}")
    followed = Releasability.from_column(rests_on)
    if followed.nations is not None and nation not in followed.nations:
        return None
    key = follows_key[:200]
    same = select(Followup.id).where(Followup.nation == nation, Followup.follows_kind == follows_kind,
                                     Followup.follows_key == key)
    if db.scalars(same if once else same.where(Followup.state == "open")).first():
        return None
    owner = followup_owner(nation, db=db) or UNASSIGNED
    rel_to = most_restrictive(Releasability.to(nation), followed).to_column()
    row = Followup(nation=nation, owner=owner, title=" ".join(title.split())[:300], follows_kind=follows_kind,
                   follows_key=key, due_on=due_on, state="open", note="", created_by=identity.user, rel_to=rel_to)
    db.add(row)
    db.flush()
    record(db, action="followups.open", entity="Followup", key=row.public_id, rel_to=rel_to,
           after={"owner": owner, "title": row.title, "follows": f"{follows_kind} {key}", "due_on": due_on})
    return read_followup(row)


def assign_followup(followup_id: str, owner: str, *, db: Session) -> FollowupRead:
    """Give an open follow-up of the planner's nation to another active user of that nation (planners and admins);
    audited."""
    identity = identity_of(db)
    identity.require(Role.PLANNER, "assign follow-ups")
    row = find_followup(followup_id, db=db)
    lock_for_update(db, row)
    if row.state != "open":
        raise Conflict(f"the follow-up is {row.state}: only an open one is assigned")
    user = db.scalars(select(User).where(User.name == owner[:64], User.active.is_(True))).first()
    if user is None or user.nation != row.nation:
        raise InputError(f"owner: no active user {owner[:64]!r} of {row.nation} (a follow-up's owner must be able "
                         "to read what it follows)")
    before = row.owner
    row.owner = user.name
    record(db, action="followups.assign", entity="Followup", key=row.public_id, rel_to=row.rel_to,
           before={"owner": before}, after={"owner": user.name})
    return read_followup(row)


def close_followup(followup_id: str, *, db: Session, state: str = "done", note: str = "") -> FollowupRead:
    """Mark an open follow-up done or dropped, with an optional note: by its owner, or a planner or admin of its
    nation; audited."""
    identity = identity_of(db)
    identity.require_writable("close follow-ups")
    if state not in ("done", "dropped"):
        raise InputError(f"state: a follow-up is closed as done or dropped, not {state[:40]!r}")
    words = " ".join((note or "").split())
    if len(words) > MAX_NOTE:
        raise InputError(f"note: at most {MAX_NOTE} characters, got {len(words)}")
    row = find_followup(followup_id, db=db)
    if row.owner != identity.user and not identity.has(Role.PLANNER):
        raise Forbidden(f"close follow-ups: only its owner ({row.owner}) or a planner may close this follow-up")
    lock_for_update(db, row)
    if row.state != "open":
        raise Conflict(f"the follow-up is already {row.state}")
    row.state, row.note, row.closed_at = state, words, datetime.now(UTC)
    record(db, action=f"followups.{state}", entity="Followup", key=row.public_id, rel_to=row.rel_to,
           before={"state": "open"}, after={"state": state, "note": words})
    return read_followup(row)

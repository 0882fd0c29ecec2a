"""Set or clear a nation's default scenario (its admin's) or its follow-up owner (its admin's or a planner's):
audited writes, marked REL TO that nation alone."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from reassure.core.errors import InputError, Problem
from reassure.core.identity import Role
from reassure.core.markings import Releasability
from reassure.db.access import identity_of
from reassure.domains.audit.actions import record
from reassure.domains.preferences.models import FollowupOwner, NationPreference
from reassure.domains.preferences.schemas import DefaultScenarioRead, FollowupOwnerRead
from reassure.domains.preferences.service import get_default_scenario, get_followup_owner
from reassure.domains.scenario_records.lookup import find_scenario
from reassure.domains.users.models import User

ENTITY = "NationPreference"


def _own(db: Session, action: str) -> tuple[str, str, NationPreference | None]:
    """Check the admin role (never in a preview) and return the admin's nation, its marking and current setting."""
    identity = identity_of(db)
    identity.require(Role.ADMIN, action)
    nation = identity.nation
    setting = db.scalar(select(NationPreference).where(NationPreference.nation_code == nation))
    return nation, Releasability.to(nation).to_column(), setting


def set_default_scenario(name: str, *, db: Session) -> DefaultScenarioRead:
    """Make a scenario the admin sees (by name: the one that name shows them) their nation's landing page and default
    brief; NotFound for a scenario they cannot see, worded as for an absent one."""
    nation, rel_to, setting = _own(db, "set the nation's default scenario")
    chosen = find_scenario(name, db=db)
    before = get_default_scenario(db=db).scenario
    if setting is None:
        setting = NationPreference(nation_code=nation, default_scenario_id=chosen.id, set_by=identity_of(db).user,
                                   rel_to=rel_to)
        db.add(setting)
    else:
        setting.default_scenario_id, setting.set_by, setting.rel_to = chosen.id, identity_of(db).user, rel_to
        setting.set_at = datetime.now(UTC)
    db.flush()
    record(db, action="nation.default_scenario", entity=ENTITY, key=nation, rel_to=rel_to,
           before={"scenario": before}, after={"scenario": chosen.name, "scenario_marking": str(chosen.releasability)})
    return get_default_scenario(db=db)


def clear_default_scenario(*, db: Session) -> DefaultScenarioRead:
    """Remove the nation's default scenario: its pages then ask each reader to choose, its briefs need a scenario."""
    nation, rel_to, setting = _own(db, "clear the nation's default scenario")
    if setting is not None:
        _remove(db, setting, "nation.default_scenario.clear", nation, rel_to,
                {"scenario": get_default_scenario(db=db).scenario})
    return get_default_scenario(db=db)


def _remove(db: Session, setting: NationPreference | FollowupOwner, action: str, nation: str, rel_to: str,
            before: dict[str, str | None]) -> None:
    """Delete a nation's setting and audit it (what it was, and that it is now none)."""
    db.delete(setting)
    db.flush()
    record(db, action=action, entity=ENTITY, key=nation, rel_to=rel_to, before=before,
           after=dict.fromkeys(before))


def set_followup_owner(owner: str, *, db: Session) -> FollowupOwnerRead:
    """Make an active user of the writer's nation the owner of the follow-ups hooks open for it (docs/adr/0047): its
    admin or a planner; audited. A user of another nation, or none of that name, is an InputError (worded alike)."""
    identity = identity_of(db)
    identity.require(Role.PLANNER, "set the nation's follow-up owner")
    nation, rel_to = identity.nation, Releasability.to(identity.nation).to_column()
    name = owner.strip()[:64]
    user = db.scalars(select(User).where(User.name == name, User.nation == nation, User.active.is_(True))).first()
    if user is None:
        raise InputError([Problem("", "", "owner", f"no active user {name!r} of {nation}: a follow-up's owner must "
                                  "be able to read what it follows")])
    before = get_followup_owner(db=db).owner
    setting = db.scalar(select(FollowupOwner).where(FollowupOwner.nation_code == nation))
    if setting is None:
        setting = FollowupOwner(nation_code=nation, owner=user.name, set_by=identity.user, rel_to=rel_to)
        db.add(setting)
    else:
        setting.owner, setting.set_by, setting.set_at = user.name, identity.user, datetime.now(UTC)
    db.flush()
    record(db, action="nation.followup_owner", entity=ENTITY, key=nation, rel_to=rel_to, before={"owner": before},
           after={"owner": user.name})
    return get_followup_owner(db=db)


def clear_followup_owner(*, db: Session) -> FollowupOwnerRead:
    """Remove the nation's follow-up owner: hooks then leave their follow-ups unassigned (its admin or a planner)."""
    identity = identity_of(db)
    identity.require(Role.PLANNER, "clear the nation's follow-up owner")
    nation, rel_to = identity.nation, Releasability.to(identity.nation).to_column()
    setting = db.scalar(select(FollowupOwner).where(FollowupOwner.nation_code == nation))
    if setting is not None:
        _remove(db, setting, "nation.followup_owner.clear", nation, rel_to, {"owner": get_followup_owner(db=db).owner})
    return get_followup_owner(db=db)

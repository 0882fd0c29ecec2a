"""Read a nation's default scenario and follow-up owner (only the reader's nation's settings are released to the
reader)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from reassure.core.errors import NotFound
from reassure.core.markings import Releasability
from reassure.db.access import identity_of
from reassure.domains.preferences.models import FollowupOwner, NationPreference
from reassure.domains.preferences.schemas import DefaultScenarioRead, FollowupOwnerRead
from reassure.domains.scenario_records.lookup import find_scenario
from reassure.domains.scenario_records.models import Scenario
from reassure.domains.users.models import User


def _setting(db: Session) -> tuple[NationPreference | None, Scenario | None]:
    """Return the reader's nation's setting and its scenario, if that scenario is visible and is still the one its
    name shows the reader (a narrower scenario of the same name, imported later by anyone, never takes its place).
    It is the user's own nation's setting, also in a preview: each setting is released to its nation alone, so a
    preview (which reads only what both nations share) sees none and asks to choose, never claiming another's."""
    nation = identity_of(db).nation
    setting = db.scalar(select(NationPreference).where(NationPreference.nation_code == nation))
    if setting is None:
        return None, None
    chosen = db.scalar(select(Scenario).where(Scenario.id == setting.default_scenario_id))
    if chosen is None:
        return setting, None
    try:
        shown = find_scenario(chosen.name, db=db)
    except NotFound:  # pragma: no cover - the chosen one is visible, so its name finds at least it
        return setting, None
    return setting, chosen if shown.id == chosen.id else None


def default_scenario(*, db: Session) -> str | None:
    """Return the name of the scenario the reader's nation opens on, or None when it has chosen none (never a guess
    from names: the caller asks the reader to choose)."""
    chosen = _setting(db)[1]
    return chosen.name if chosen is not None else None


def get_default_scenario(*, db: Session) -> DefaultScenarioRead:
    """Return the reader's nation's setting (scenario None when none is set, it no longer applies, or a preview
    cannot read it)."""
    nation = identity_of(db).nation
    setting, chosen = _setting(db)
    return DefaultScenarioRead(nation=nation, scenario=chosen.name if chosen else None,
                               title=chosen.title if chosen else None,
                               set_by=setting.set_by if setting else None, set_at=setting.set_at if setting else None,
                               marking=str(Releasability.to(nation)))


def _active_user(name: str, nation: str, db: Session) -> User | None:
    return db.scalars(select(User).where(User.name == name, User.nation == nation, User.active.is_(True))).first()


def followup_owner(nation: str, *, db: Session) -> str | None:
    """Return the user who owns the follow-ups hooks open for `nation` (the reader's own; docs/adr/0047): the one its
    admin or a planner configured, if still an active user of it, else None (unassigned)."""
    setting = db.scalar(select(FollowupOwner).where(FollowupOwner.nation_code == nation))
    if setting is None or _active_user(setting.owner, nation, db) is None:
        return None
    return setting.owner


def get_followup_owner(*, db: Session) -> FollowupOwnerRead:
    """Return the reader's nation's configured follow-up owner (owner None when unassigned)."""
    nation = identity_of(db).nation
    setting = db.scalar(select(FollowupOwner).where(FollowupOwner.nation_code == nation))
    return FollowupOwnerRead(nation=nation, owner=followup_owner(nation, db=db),
                             set_by=setting.set_by if setting else None, set_at=setting.set_at if setting else None,
                             marking=str(Releasability.to(nation)))

"""Set or clear a nation's default scenario: its admin's audited write, marked REL TO that nation alone."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from reassure.core.identity import Role
from reassure.core.markings import Releasability
from reassure.db.access import identity_of
from reassure.domains.audit.actions import record
from reassure.domains.preferences.models import NationPreference
from reassure.domains.preferences.schemas import DefaultScenarioRead
from reassure.domains.preferences.service import get_default_scenario
from reassure.domains.scenario_records.lookup import find_scenario

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
        before = get_default_scenario(db=db).scenario
        db.delete(setting)
        db.flush()
        record(db, action="nation.default_scenario.clear", entity=ENTITY, key=nation, rel_to=rel_to,
               before={"scenario": before}, after={"scenario": None})
    return get_default_scenario(db=db)

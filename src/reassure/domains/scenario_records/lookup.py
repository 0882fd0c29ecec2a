"""Find visible scenarios and their parts by name or key (no other domain imported: every service may use it)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from reassure.core.errors import NotFound
from reassure.db.keys import first_of
from reassure.domains.scenario_records.models import Scenario


class ScenarioNotFound(NotFound):
    """No scenario of that name is visible to the viewer (hidden and absent alike)."""


def find_scenario(name: str, *, db: Session) -> Scenario:
    """Return the visible scenario of that name, or raise ScenarioNotFound.

    Names are unique per marking; a viewer who sees several markings of one name gets the one db/keys.first_per_key
    keeps: their own nation's, else the narrowest (the national variant of a public scenario), which is what they
    would want to plan on.
    """
    found = list(db.scalars(select(Scenario).where(Scenario.name == name)))
    if not found:
        raise ScenarioNotFound(f"no scenario named {name!r}")
    return first_of(found, db=db)


"""Find visible scenarios and their parts by name or key (no other domain imported: every service may use it)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from reassure.core.errors import NotFound
from reassure.domains.scenarios.models import Scenario

R = TypeVar("R", bound=Any)


class ScenarioNotFound(NotFound):
    """No scenario of that name is visible to the viewer (hidden and absent alike)."""


def find_scenario(name: str, *, db: Session) -> Scenario:
    """Return the visible scenario of that name, or raise ScenarioNotFound.

    Names are unique per marking; a viewer who sees several markings of one name gets the narrowest one (the
    national variant of a public scenario), which is what they would want to plan on.
    """
    found = list(db.scalars(select(Scenario).where(Scenario.name == name)))
    if not found:
        raise ScenarioNotFound(f"no scenario named {name!r}")
    return narrowest(found)


def narrowest(records: Sequence[R]) -> R:
    """Return the record with the narrowest marking (ties: the oldest): a viewer's national variant of a key, the
    one db/keys.first_per_key keeps in queries."""
    return min(records, key=lambda r: (r.releasability.nations is None, len(r.releasability.nations or ()), r.id))

"""The access filter: every ORM query in a session only returns records released to its viewer."""

from __future__ import annotations

from typing import Any

from sqlalchemy import event, or_
from sqlalchemy.orm import ORMExecuteState, Session, with_loader_criteria

from reassure.core.markings import PUBLIC, Releasability, Viewer
from reassure.db.mixins import Marked

VIEWER_KEY = "viewer"


def may_write(viewer: Viewer, rel_to: str) -> bool:
    """Tell whether a viewer may change or delete a record: it must be released to their nation."""
    if viewer.sees_all and viewer.nation is None:
        return True  # the system loading bundled data
    return Releasability.from_column(rel_to).allows(viewer.nation)


def viewer_of(db: Session) -> Viewer:
    """Return the viewer bound to a session."""
    viewer = db.info.get(VIEWER_KEY)
    if not isinstance(viewer, Viewer):
        raise RuntimeError("session has no viewer: open it through reassure.db.uow.unit_of_work")
    return viewer


def _public_only(cls: type[Marked]) -> Any:
    return cls.rel_to == PUBLIC


def _released_to(nation: str | None) -> Any:
    if nation is None:
        return _public_only
    # A bound parameter; Viewer only admits [A-Z]{3} codes, so no LIKE wildcard can reach it.
    pattern = f"%,{nation},%"
    return lambda cls: or_(cls.rel_to == PUBLIC, cls.rel_to.like(pattern))


@event.listens_for(Session, "do_orm_execute")
def _filter_by_releasability(state: ORMExecuteState) -> None:
    viewer = state.session.info.get(VIEWER_KEY)
    if viewer is None or viewer.sees_all or not state.is_select:
        return
    state.statement = state.statement.options(
        with_loader_criteria(Marked, _released_to(viewer.nation), include_aliases=True)
    )

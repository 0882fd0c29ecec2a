"""One record per key: which of the records a reader sees under one natural key is the one they see (docs/adr/0011).

Natural keys are unique per marking (docs/adr/0007), so a reader released to several markings may see one key several
times: a pledge France wrote `REL TO FRA, POL` and Britain, not seeing it, wrote again `REL TO GBR, POL`. Such a reader
sees the key once, everywhere (listings, counts, totals, summaries, exports, the brief, the planner's problem): their
own nation's version first (the one a user of the reader's nation wrote, or one of unknown writer stored before revision
0009: no other nation can replace it in its owners' view, whatever marking it picks), then the version with the
narrowest marking (fewest nations; PUBLIC is the widest), ties to the oldest (the lowest internal id). The choice is a
SQL criterion, so paging and counts agree with listings; it is made among the records the reader sees only (the access
filter applies to the correlated subquery too), so a hidden version never hides a visible one, nor shows through it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, and_, case, exists, func, literal, not_, or_
from sqlalchemy.orm import Session, aliased

from reassure.core.markings import PUBLIC
from reassure.db.access import identity_of

WIDEST = 10_000  # the rank of PUBLIC: wider than any REL TO list (",FRA,GBR," is 4 characters a nation, plus one)
R = TypeVar("R", bound=Any)


def breadth(model: Any) -> ColumnElement[int]:
    """Return how widely a record is released, as a number that orders like the number of nations it names."""
    return case((model.rel_to == PUBLIC, WIDEST), else_=func.length(model.rel_to))


def foreign(model: Any, nation: str) -> ColumnElement[int]:
    """Return 1 for a record another nation wrote, 0 for the reader's nation's own and for a record of unknown
    writer (stored before revision 0009 under a marking of several nations): such a record keeps the place it had,
    so no copy another nation writes now displaces it."""
    return case((model.owner_nation.is_(None), 0), (model.owner_nation == literal(nation), 0), else_=1)


def first_per_key(db: Session, model: Any, *columns: str) -> ColumnElement[bool]:
    """Return the criterion that keeps a record only if no record of the same key (these columns), among those the
    reader of this session sees, ranks before it: their own nation's, then released more narrowly, then older."""
    nation = identity_of(db).viewed_nation
    other = aliased(model)
    same = [getattr(other, column).is_not_distinct_from(getattr(model, column)) for column in columns]
    mine, theirs = foreign(other, nation), foreign(model, nation)
    before = or_(mine < theirs,
                 and_(mine == theirs, breadth(other) < breadth(model)),
                 and_(mine == theirs, breadth(other) == breadth(model), other.id < model.id))
    return not_(exists().where(*same, before))


def first_of(records: Sequence[R], *, db: Session) -> R:
    """Return the record of one key that first_per_key keeps, among records already read (all of one key)."""
    nation = identity_of(db).viewed_nation
    return min(records, key=lambda r: (r.owner_nation not in (None, nation), r.releasability.nations is None,
                                       len(r.releasability.nations or ()), r.id))

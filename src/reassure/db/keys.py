"""One record per key: which of the records a reader sees under one natural key is the one they see (docs/adr/0011).

Natural keys are unique per marking (docs/adr/0007), so a reader released to several markings may see one key
several times: a pledge France wrote `REL TO FRA, POL` and Britain, not seeing it, wrote again `REL TO GBR, POL`.
Such a reader sees the key once, everywhere (listings, counts, totals, summaries, exports, the brief, the planner's
problem): the version with the narrowest marking (fewest nations; PUBLIC is the widest), ties to the oldest (the
lowest internal id). The choice is a SQL criterion, so paging and counts agree with listings; it is made among the
records the reader sees only (the access filter applies to the correlated subquery too), so a hidden version never
hides a visible one, nor shows through it.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, and_, case, exists, func, not_, or_
from sqlalchemy.orm import aliased

from reassure.core.markings import PUBLIC

WIDEST = 10_000  # the rank of PUBLIC: wider than any REL TO list (",FRA,GBR," is 4 characters a nation, plus one)


def breadth(model: Any) -> ColumnElement[int]:
    """Return how widely a record is released, as a number that orders like the number of nations it names."""
    return case((model.rel_to == PUBLIC, WIDEST), else_=func.length(model.rel_to))


def first_per_key(model: Any, *columns: str) -> ColumnElement[bool]:
    """Return the criterion that keeps a record only if no record of the same key (these columns), among those the
    reader sees, is released more narrowly, or as narrowly and made earlier."""
    other = aliased(model)
    same = [getattr(other, column).is_not_distinct_from(getattr(model, column)) for column in columns]
    narrower = or_(breadth(other) < breadth(model), and_(breadth(other) == breadth(model), other.id < model.id))
    return not_(exists().where(*same, narrower))

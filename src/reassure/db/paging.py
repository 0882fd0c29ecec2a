"""Paging in the database: one page of an ordered select and the total it pages over, both read through the access
filter (db/access.py), so a total counts exactly the rows a page may show (hidden and absent look the same).

Every listing pages here: `limit` and `offset` go to the database with the select, and the total is the database's
count of the same select (filters included, order dropped). The select must be ordered, ending on a unique key, so
consecutive pages neither skip nor repeat a row (docs/adr/0027).
"""

from __future__ import annotations

from typing import TypeVar, TypeVarTuple

from sqlalchemy import Row, Select, func, select
from sqlalchemy.orm import Session

T = TypeVar("T")
Ts = TypeVarTuple("Ts")


def count_of(db: Session, query: Select[*Ts]) -> int:
    """Return how many rows a select gives the reader of this session (counted by the database, through the access
    filter, which reaches into the counted subquery)."""
    return int(db.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0)


def _window(query: Select[*Ts], limit: int, offset: int) -> Select[*Ts]:
    if not query._order_by_clauses:  # a page of an unordered select is not the same page twice
        raise ValueError("a paged select needs an order ending on a unique key")
    return query.offset(max(0, offset)).limit(max(1, limit))


def paged_rows(db: Session, query: Select[*Ts], *, limit: int,
               offset: int) -> tuple[list[Row[*Ts]], int]:
    """Return one page of a select's rows (`limit` rows from `offset`, in its order) and how many rows it has in all."""
    return list(db.execute(_window(query, limit, offset)).all()), count_of(db, query)


def paged(db: Session, query: Select[T], *, limit: int, offset: int) -> tuple[list[T], int]:
    """Return one page of a one-entity select (`limit` records from `offset`, in its order) and how many it has in
    all."""
    return list(db.scalars(_window(query, limit, offset)).all()), count_of(db, query)

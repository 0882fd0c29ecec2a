"""Paged listings: `limit` and `offset` in, `{items, total, limit, offset}` out. The services page in the database
(db/paging.py): a page's items and its total are read through the access filter, so a total counts only what the
caller may see (docs/adr/0027)."""

from __future__ import annotations

from typing import Annotated, Generic, TypeVar

from fastapi import Query
from pydantic import BaseModel

T = TypeVar("T")

Limit = Annotated[int, Query(ge=1, le=1000, description="at most this many items")]
Offset = Annotated[int, Query(ge=0, le=10_000_000, description="skip this many items first")]


class Page(BaseModel, Generic[T]):
    """One page of a listing."""

    items: list[T]
    total: int
    limit: int
    offset: int


def page(items: list[T], total: int, limit: int, offset: int) -> Page[T]:
    """Return a page a service read in the database (`items` from `offset`, at most `limit`) with its total."""
    return Page[T](items=items, total=total, limit=limit, offset=offset)

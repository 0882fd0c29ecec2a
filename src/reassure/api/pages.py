"""Paged listings: `limit` and `offset` in, `{items, total, limit, offset}` out; totals count only what the caller
may see (the services' reads are already filtered by releasability)."""

from __future__ import annotations

from collections.abc import Sequence
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


def page(items: Sequence[T], limit: int, offset: int, total: int | None = None) -> Page[T]:
    """Return a page of a full listing (or of an already-paged one when `total` is given)."""
    if total is None:
        return Page[T](items=list(items[offset:offset + limit]), total=len(items), limit=limit, offset=offset)
    return Page[T](items=list(items), total=total, limit=limit, offset=offset)

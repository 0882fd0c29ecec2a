"""Source writes shared by imports and ingests: resolve a source a user names, create one under a marking.

A source's `key` is what users write and see, unique per marking; its internal `id` is the key, or key~N
when another marking already holds that id. Whether an id is free is the one question asked past the
viewer (the "source-id" system lookup): it returns yes or no, and the id it leads to is never shown.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from reassure.core.errors import Problem
from reassure.core.markings import Releasability
from reassure.db.access import system
from reassure.domains.audit.actions import record
from reassure.domains.sources.models import Source

MAX_ID = 80


def new_source_id(db: Session, key: str) -> str:
    """Return a free internal id for a new source with this key."""
    candidate, n = key, 1
    while db.scalar(select(Source.id).where(Source.id == candidate).execution_options(**system("source-id"))):
        n += 1
        suffix = f"~{n}"
        candidate = key[:MAX_ID - len(suffix)] + suffix
    return candidate


def pick(rows: list[Any], rel_to: str | None, nation: str | None = None) -> Any | None:
    """Choose among the visible records sharing a natural key: the one with the wanted marking, else the only one,
    else the writer's own nation's (`nation`: the one its reads show first, db/keys), so another nation's copy never
    stops a nation from narrowing its own record.

    Several visible records can share a key only when the viewer sees more than one marking of it; then the
    marking decides, and without an exact match or an own copy the caller reports the ambiguity (a visible fact,
    no leak).
    """
    if not rows:
        return None
    exact = [r for r in rows if r.rel_to == rel_to]
    if exact:
        return exact[0]
    if len(rows) == 1:
        return rows[0]
    own = [r for r in rows if nation is not None and r.owner_nation == nation]
    return own[0] if len(own) == 1 else None


def visible_source(db: Session, key: str, rel_to: str | None = None) -> list[Source]:
    """Return the sources with this key the session's viewer may see (one per marking)."""
    return list(db.scalars(select(Source).where(Source.key == key).order_by(Source.rel_to)))


def create_source(db: Session, values: dict[str, Any], *, origin: str) -> Source:
    """Create a source (values hold key and rel_to) with a fresh internal id, and audit it."""
    source = Source(id=new_source_id(db, values["key"]), **values)
    db.add(source)
    db.flush()
    record(db, action="source.create", entity="Source", key=values["key"], rel_to=values["rel_to"],
           after={k: v for k, v in values.items() if k != "rel_to"}, details={"origin": origin})
    return source


def ensure_source(db: Session, values: dict[str, Any], *, origin: str) -> Source:
    """Return the visible source with this key and marking, creating it (audited) when there is none."""
    found = [s for s in visible_source(db, values["key"]) if s.rel_to == values["rel_to"]]
    return found[0] if found else create_source(db, values, origin=origin)


def cites(record_rel: str, source: Source, *, file: str, where: str, field: str) -> Problem | None:
    """Return a problem when a record would be released more widely than a source it cites."""
    mine, theirs = Releasability.from_column(record_rel), Releasability.from_column(source.rel_to)
    if mine.within(theirs):
        return None
    return Problem(file, where, field, f"marked {mine} but cites source {source.key!r} marked {theirs}: a record is "
                                       "never released more widely than its sources (mark it as narrowly)")

"""Read stored sweeps (only those released to the reader): list them, show one with its comparison."""

from __future__ import annotations

from sqlalchemy import Select, select
from sqlalchemy.orm import Session, defer

from reassure.core.errors import NotFound
from reassure.core.public_ids import is_public_id, shown_id
from reassure.db.paging import paged
from reassure.domains.sweeps.models import Sweep
from reassure.domains.sweeps.schemas import SweepDetail, SweepRead, SweepRun


def get_stored_sweep(sweep_id: object, *, db: Session) -> Sweep:
    """Return a visible sweep by its public id, or raise NotFound (hidden, absent and any other text alike)."""
    found = db.scalar(select(Sweep).where(Sweep.public_id == sweep_id)) if is_public_id(sweep_id, "sweep") else None
    if found is None:
        raise NotFound(f"no sweep {shown_id(sweep_id)}")
    return found


def read_sweep_row(s: Sweep) -> SweepRead:
    """Return a sweep's listing."""
    runs = [SweepRun.model_validate(r) for r in s.comparison]
    base = next((r for r in runs if r.key == "base"), None)
    worst = max((r for r in runs if r.key != "base"), key=lambda r: (r.loss, r.key), default=None)
    return SweepRead(id=s.public_id, name=s.name, scenario=s.scenario, variants=s.variants,
                     base_coverage=base.coverage if base else None, worst=worst.label if worst else None,
                     author=s.author, created_at=s.created_at, marking=str(s.releasability))


def _listing(scenario: str | None) -> Select[Sweep]:
    query = select(Sweep).options(defer(Sweep.spec)).order_by(Sweep.id.desc())
    return query.where(Sweep.scenario == scenario) if scenario else query


def list_sweeps(*, db: Session, scenario: str | None = None, limit: int = 100) -> list[SweepRead]:
    """Return the visible sweeps, newest first."""
    return [read_sweep_row(s) for s in db.scalars(_listing(scenario).limit(limit))]


def page_sweeps(*, db: Session, scenario: str | None = None, limit: int = 50,
                offset: int = 0) -> tuple[list[SweepRead], int]:
    """Return one page of the visible sweeps, newest first, and how many there are."""
    found, total = paged(db, _listing(scenario), limit=limit, offset=offset)
    return [read_sweep_row(s) for s in found], total


def get_sweep(sweep_id: object, *, db: Session) -> SweepDetail:
    """Return a visible sweep whole: the base first, then the runs that lose most."""
    s = get_stored_sweep(sweep_id, db=db)
    runs = sorted((SweepRun.model_validate(r) for r in s.comparison),
                  key=lambda r: (r.key != "base", -r.loss, r.key))
    return SweepDetail(**read_sweep_row(s).model_dump(), spec=s.spec, settings=s.settings, runs=runs)

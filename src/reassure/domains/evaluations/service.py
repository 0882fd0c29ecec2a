"""Read stored evaluations (only those released to the viewer), and the marking an evaluation would take now."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from reassure.db.access import identity_of
from reassure.db.paging import paged
from reassure.domains.evaluations.models import StoredEvaluation
from reassure.domains.evaluations.schemas import EvaluationRead
from reassure.domains.incidents.service import incidents_marking

__all__ = ["incidents_marking", "list_evaluations", "page_evaluations", "previous_evaluation", "read", "state_history",
           "state_of"]

STATES = ("met", "not met", "unknown")


def state_of(met: bool | None, evaluation: dict[str, Any] | None = None) -> str:
    """Return a stored evaluation's state in words: "met", "not met", or "unknown" (an evaluation that says no source
    covers its period, in its optional `state` field)."""
    said = str((evaluation or {}).get("state") or "").replace("_", " ").strip().lower()
    if said in STATES:
        return said
    if met is None:
        return "unknown"
    return "met" if met else "not met"


@dataclass(frozen=True)
class StoredState:
    """One stored evaluation of a rule in a nation's view: its state and when it was evaluated (for comparisons)."""

    key: int
    public_id: str
    state: str
    as_of: date
    created_at: datetime
    rel_to: str  # its marking (column form): what a comparison with it is derived from


def _stored_state(e: StoredEvaluation) -> StoredState:
    return StoredState(e.id, e.public_id, state_of(e.met, e.evaluation), e.as_of, e.created_at, e.rel_to)


def previous_evaluation(rule_id: str, *, db: Session, nation: str, before: int) -> StoredState | None:
    """Return the newest stored evaluation of a rule in a nation's view (stored by a user of that nation) that is older
    than the one with internal key `before`, as far as the viewer may read; None if there is none."""
    found = db.scalars(select(StoredEvaluation).where(StoredEvaluation.rule_id == rule_id,
                                                      StoredEvaluation.owner_nation == nation,
                                                      StoredEvaluation.id < before)
                       .order_by(StoredEvaluation.id.desc()).limit(1)).first()
    return _stored_state(found) if found is not None else None


def state_history(rule_id: str, *, db: Session, limit: int = 10_000) -> list[StoredState]:
    """Return a rule's stored evaluations in the viewed nation's view (stored by its users), newest first: their
    states and days only (the evaluations' evidence is not loaded)."""
    nation = identity_of(db).viewed_nation
    said = StoredEvaluation.evaluation["state"].as_string()
    query = (select(StoredEvaluation.id, StoredEvaluation.public_id, StoredEvaluation.met, said,
                    StoredEvaluation.as_of, StoredEvaluation.created_at, StoredEvaluation.rel_to)
             .where(StoredEvaluation.rule_id == rule_id, StoredEvaluation.owner_nation == nation)
             .order_by(StoredEvaluation.id.desc()).limit(max(1, min(limit, 100_000))))
    return [StoredState(key, public_id, state_of(met, {"state": state}), as_of, created_at, rel_to)
            for key, public_id, met, state, as_of, created_at, rel_to in db.execute(query)]


def read(e: StoredEvaluation) -> EvaluationRead:
    """Return a stored evaluation's listing."""
    return EvaluationRead(id=e.public_id, rule_id=e.rule_id, rule_name=e.rule_name, kind=e.kind, as_of=e.as_of,
                          met=e.met, state=_state(e), evidence=list(e.evidence), author=e.author,
                          created_at=e.created_at, marking=str(e.releasability), evaluation=dict(e.evaluation))


def _state(e: StoredEvaluation) -> str:
    """Return met, not_met or unknown: kept in the stored result (evaluations stored before states were three-valued
    hold none, and read as met or not met)."""
    state = e.evaluation.get("state") if isinstance(e.evaluation, dict) else None
    if state in ("met", "not_met", "unknown"):
        return str(state)
    return "met" if e.met else "not_met"


def list_evaluations(*, db: Session, rule_id: str | None = None, limit: int = 100) -> list[EvaluationRead]:
    """Return visible stored evaluations, newest first by creation (a rule's history when `rule_id` is given)."""
    return [read(e) for e in db.scalars(_listing(rule_id).limit(max(1, min(limit, 10_000))))]


def page_evaluations(*, db: Session, rule_id: str | None = None, limit: int = 50,
                     offset: int = 0) -> tuple[list[EvaluationRead], int]:
    """Return one page of visible stored evaluations, newest first by creation (a rule's history when `rule_id` is
    given), and how many there are."""
    found, total = paged(db, _listing(rule_id), limit=limit, offset=offset)
    return [read(e) for e in found], total


def _listing(rule_id: str | None) -> Select[StoredEvaluation]:
    query = select(StoredEvaluation).order_by(StoredEvaluation.id.desc())
    return query.where(StoredEvaluation.rule_id == rule_id) if rule_id else query

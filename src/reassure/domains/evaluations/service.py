"""Read stored evaluations (only those released to the viewer), and the marking an evaluation would take now."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from reassure.domains.evaluations.models import StoredEvaluation
from reassure.domains.evaluations.schemas import EvaluationRead
from reassure.domains.incidents.service import incidents_marking

__all__ = ["incidents_marking", "list_evaluations", "read"]


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
    query = select(StoredEvaluation).order_by(StoredEvaluation.id.desc()).limit(max(1, min(limit, 10_000)))
    if rule_id:
        query = query.where(StoredEvaluation.rule_id == rule_id)
    return [read(e) for e in db.scalars(query)]

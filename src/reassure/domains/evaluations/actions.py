"""Store rule evaluations: an analyst's audited write, marked like the incidents the result rests on."""

from __future__ import annotations

from sqlalchemy.orm import Session

from reassure.core.identity import Role
from reassure.core.markings import Releasability, most_restrictive
from reassure.db.access import identity_of
from reassure.db.locks import serialize
from reassure.domains.audit.actions import record
from reassure.domains.evaluations.models import StoredEvaluation
from reassure.domains.evaluations.schemas import EvaluationRead
from reassure.domains.evaluations.service import incidents_marking, read
from reassure.rules.results import Evaluation


def store_evaluations(evaluations: list[Evaluation], *, db: Session) -> list[EvaluationRead]:
    """Keep each evaluation with its evidence keys; all are marked like the viewer's picture of incidents. One whose
    state differs from the previous stored evaluation of its rule in the same nation's view records a state change
    (domains/alerts), which the alerts job then sends to that nation's channels."""
    from reassure.domains.alerts.actions import record_state_change

    identity = identity_of(db)
    identity.require(Role.ANALYST, "store rule evaluations")
    serialize(db, f"evaluations:{identity.nation}")  # concurrent stores of one view: one after the other
    incidents = Releasability.from_column(incidents_marking(db=db))
    stored = []
    for e in evaluations:
        # Marked like the incidents, and no wider than any other record it rests on (the scenario whose ceasefire
        # date it counted violations from): a derived record takes the most restrictive marking of its inputs.
        rel_to = most_restrictive(incidents, *(Releasability.from_column(m) for m in e.rests_on)).to_column()
        evidence = sorted({key for c in e.conditions for key in c.incident_ids})
        row = StoredEvaluation(rule_id=e.rule_id[:80], rule_name=e.rule_name[:200], kind=str(e.kind), as_of=e.as_of,
                               met=e.met, evaluation=e.to_dict(), evidence=evidence, author=identity.user,
                               rel_to=rel_to)
        db.add(row)
        db.flush()
        record(db, action="evaluation.create", entity="RuleEvaluation", key=f"{e.rule_id}/{e.as_of}", rel_to=rel_to,
               after={"met": e.met, "state": e.state, "as_of": e.as_of, "evidence": len(evidence)})
        record_state_change(row, db=db)
        stored.append(read(row))
    return stored

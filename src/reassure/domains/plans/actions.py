"""Store a plan: a planner's audited write, marked like the most restrictive record the problem rests on."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from reassure.core.errors import Forbidden, InputError
from reassure.core.identity import Role
from reassure.core.markings import Releasability, most_restrictive
from reassure.db.access import identity_of
from reassure.domains.audit.actions import record
from reassure.domains.plans.models import StoredPlan
from reassure.domains.plans.schemas import PlanRead
from reassure.domains.plans.service import get_stored, read
from reassure.planner.instance import Plan


def store_plan(*, db: Session, scenario: str, problem: dict[str, Any], plan: Plan, rel_to: str,
               settings: dict[str, Any], label: str = "", base: str | None = None) -> PlanRead:
    """Keep a solved plan with its problem; a what-if names its base (by public id) and is never wider than it."""
    identity = identity_of(db)
    identity.require(Role.PLANNER, "store plans")
    marking = Releasability.from_column(rel_to)
    base_id = None
    if base is not None:
        base_plan = get_stored(base, db=db)
        base_id = base_plan.id
        marking = most_restrictive(marking, base_plan.releasability)
    if not identity.may_mark(marking):  # a problem derived from what the planner sees always includes their nation
        raise Forbidden(f"a plan marked {marking} is not released to {identity.nation}", action="store plan")
    if len(label) > 200:
        raise InputError("a plan's label is at most 200 characters")
    stored = StoredPlan(scenario=scenario, label=label, base_id=base_id, problem=problem,
                        plan=plan.model_dump(mode="json"), settings=settings, status=plan.status,
                        coverage=plan.coverage, bound=plan.bound, tours=plan.tours_count, gaps=len(plan.gaps),
                        author=identity.user, author_nation=identity.nation, rel_to=marking.to_column())
    db.add(stored)
    db.flush()
    record(db, action="plan.create", entity="Plan", key=f"{scenario}/{stored.public_id}", rel_to=stored.rel_to,
           after={"coverage": plan.coverage, "bound": plan.bound, "tours": plan.tours_count, "base": base,
                  "settings": settings})
    return read(stored)

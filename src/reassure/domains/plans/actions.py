"""Store a plan: a planner's audited write, marked like the most restrictive record the problem rests on; delete one
(its own nation's planners only, audited with what it held)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from reassure.core.errors import Forbidden, InputError
from reassure.core.identity import Role
from reassure.core.markings import Releasability, most_restrictive
from reassure.db.access import identity_of
from reassure.db.locks import lock_for_update
from reassure.domains.audit.actions import record
from reassure.domains.plans.models import StoredPlan
from reassure.domains.plans.schemas import PlanRead
from reassure.domains.plans.service import get_stored, read
from reassure.planner.instance import Asks, Plan


def store_plan(*, db: Session, scenario: str, problem: dict[str, Any], plan: Plan, rel_to: str,
               settings: dict[str, Any], label: str = "", base: str | None = None,
               sweep_id: int | None = None) -> PlanRead:
    """Keep a solved plan with its problem; a what-if names its base (by public id) and is never wider than it; a
    sweep's run names its sweep (the internal key: domains/sweeps/actions stores both in one transaction)."""
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
    stored = StoredPlan(scenario=scenario, label=label, base_id=base_id, sweep_id=sweep_id, problem=problem,
                        plan=plan.model_dump(mode="json"), settings=settings, status=plan.status,
                        coverage=plan.coverage, bound=plan.bound, tours=plan.tours_count, gaps=len(plan.gaps),
                        author=identity.user, author_nation=identity.nation, rel_to=marking.to_column())
    db.add(stored)
    db.flush()
    record(db, action="plan.create", entity="Plan", key=f"{scenario}/{stored.public_id}", rel_to=stored.rel_to,
           after={"coverage": plan.coverage, "bound": plan.bound, "tours": plan.tours_count, "base": base,
                  "settings": settings, **({"asks": asks_summary(plan.asks)} if plan.asks is not None else {})})
    return read(stored)


def asks_summary(asks: Asks) -> dict[str, Any]:
    """Return what the audit keeps of a plan's asks: target, verified coverage, units and who is asked for what."""
    return {"target": asks.target, "coverage": asks.coverage, "reached": asks.reached, "units": asks.units_asked,
            "fair_shares": asks.fair_shares,
            "asks": [f"{a.count} {a.capability} of {a.nation} from period {a.start}" for a in asks.asks]}


def attach_asks(plan_id: object, asks: Asks, *, db: Session, settings: dict[str, Any]) -> PlanRead:
    """Store force-generation asks with a stored plan (its plan JSON's optional key `asks`, replacing any earlier
    asks): a planner of the nation that made the plan may; audited with the asks before and after."""
    identity = identity_of(db)
    identity.require(Role.PLANNER, "store asks with a plan")
    stored = get_stored(plan_id, db=db)
    if stored.author_nation != identity.nation:
        raise Forbidden(f"plan {stored.public_id} was made by {stored.author_nation}: only its planners may store asks "
                        "with it", action="store asks")
    lock_for_update(db, stored)  # asks stored at the same time wait: each audit's `before` is what it replaced
    plan = Plan.model_validate(stored.plan)
    if asks.demand_weight != plan.demand_weight or abs(asks.base_coverage - plan.coverage) > 1e-9:
        raise InputError(f"these asks were not computed on plan {stored.public_id} (its coverage or demand differ)")
    before = asks_summary(plan.asks) if plan.asks is not None else None
    stored.plan = plan.model_copy(update={"asks": asks}).model_dump(mode="json")
    stored.settings = {**stored.settings, "asks": settings}
    db.flush()
    record(db, action="plan.asks", entity="Plan", key=f"{stored.scenario}/{stored.public_id}", rel_to=stored.rel_to,
           before={"asks": before}, after={"asks": asks_summary(asks), "settings": settings})
    return read(stored)


def delete_plan(plan_id: object, *, db: Session) -> PlanRead:
    """Delete a stored plan: a planner of the nation that made it may; its what-ifs keep their figures and lose their
    base (the database sets it to none). Audited with the plan's listing before; returns that listing."""
    identity = identity_of(db)
    identity.require(Role.PLANNER, "delete plans")
    stored = get_stored(plan_id, db=db)
    if stored.author_nation != identity.nation:
        raise Forbidden(f"plan {stored.public_id} was made by {stored.author_nation}: only its planners may delete it",
                        action="delete plan")
    lock_for_update(db, stored)
    before = read(stored)
    key, marking, settings = f"{stored.scenario}/{stored.public_id}", stored.rel_to, dict(stored.settings)
    db.delete(stored)
    db.flush()
    record(db, action="plan.delete", entity="Plan", key=key, rel_to=marking,
           before={"label": before.label, "coverage": before.coverage, "bound": before.bound, "tours": before.tours,
                   "base": before.base, "settings": settings}, after=None)
    return before

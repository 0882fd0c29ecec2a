"""Store a sweep: a planner's audited write of the sweep and the plans of all its runs in one transaction, marked like
the most restrictive record the problem rests on (docs/adr/0053)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from reassure.core.errors import Forbidden
from reassure.core.identity import Role
from reassure.core.markings import Releasability
from reassure.db.access import identity_of
from reassure.domains.audit.actions import record
from reassure.domains.plans.actions import store_plan
from reassure.domains.sweeps.models import Sweep
from reassure.domains.sweeps.schemas import SweepDetail
from reassure.domains.sweeps.service import get_sweep
from reassure.planner.instance import Plan


@dataclass(frozen=True)
class FinishedRun:
    """One finished run to store: its plan and the problem it solved, and its row of the comparison (without the
    plan's id, which storing gives it)."""

    key: str
    label: str
    problem: dict[str, Any]
    plan: Plan
    settings: dict[str, Any]
    row: dict[str, Any]


def store_sweep(*, db: Session, name: str, scenario: str, spec: dict[str, Any], rel_to: str,
                runs: list[FinishedRun], settings: dict[str, Any]) -> SweepDetail:
    """Keep a sweep and its runs' plans (the base first: every other run is a what-if on it); all or nothing."""
    identity = identity_of(db)
    identity.require(Role.PLANNER, "store sweeps")
    marking = Releasability.from_column(rel_to)
    if not identity.may_mark(marking):
        raise Forbidden(f"a sweep marked {marking} is not released to {identity.nation}", action="store sweep")
    sweep = Sweep(name=name, scenario=scenario, spec=spec, variants=len(runs) - 1, comparison=[], settings=settings,
                  author=identity.user, author_nation=identity.nation, rel_to=marking.to_column())
    db.add(sweep)
    db.flush()
    rows: list[dict[str, Any]] = []
    base: str | None = None
    for run in runs:
        stored = store_plan(db=db, scenario=scenario, problem=run.problem, plan=run.plan, rel_to=rel_to,
                            settings={**run.settings, "sweep": sweep.public_id, "variant": run.key},
                            label=f"{name}: {run.label}"[:200], base=base if run.key != "base" else None,
                            sweep_id=sweep.id)
        if run.key == "base":
            base = stored.id
        rows.append({**run.row, "plan": stored.id})
    sweep.comparison = rows
    db.flush()
    worst = max((r for r in rows if r["key"] != "base"), key=lambda r: (r["loss"], r["key"]), default=None)
    record(db, action="sweep.create", entity="Sweep", key=f"{scenario}/{sweep.public_id}", rel_to=sweep.rel_to,
           after={"name": name, "variants": sweep.variants, "plans": [r["plan"] for r in rows],
                  "base_coverage": next((r["coverage"] for r in rows if r["key"] == "base"), None),
                  "worst": worst["label"] if worst else None, "settings": settings})
    return get_sweep(sweep.public_id, db=db)

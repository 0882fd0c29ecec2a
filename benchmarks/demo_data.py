"""The demo scenario's problem as a GBR planner reads it, built on a scratch SQLite file (shared by the benchmarks
that solve it: asks.py, sweep.py)."""

from __future__ import annotations

from pathlib import Path

from reassure import migrations as migrate
from reassure.core.identity import Identity, Role
from reassure.db.uow import engine_for, unit_of_work
from reassure.domains.planning.problem import build_problem
from reassure.domains.scenarios.importing import load_bundled
from reassure.planner.instance import Problem
from reassure.settings import Settings


def demo_problem(folder: Path) -> Problem:
    """Return the demo scenario's problem as a GBR planner reads it (the bundled data in `folder`/demo.sqlite)."""
    settings = Settings(database_url=f"sqlite:///{folder / 'demo.sqlite'}")
    migrate.upgrade(engine_for(settings))
    planner = Identity(user="benchmark", nation="GBR", roles=frozenset({Role.PLANNER, Role.ANALYST}))
    with unit_of_work(settings, identity=planner) as db:
        load_bundled(db=db)
    with unit_of_work(settings, identity=planner) as db:
        return build_problem("illustrative", db=db)

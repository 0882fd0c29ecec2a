"""Asks stored with a plan: a planner of the plan's nation may, audited before and after; another nation, a viewer,
and asks computed on another plan are refused with nothing written."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from reassure.core.errors import Forbidden, InputError
from reassure.core.identity import Role
from reassure.db.uow import engine_for, unit_of_work
from reassure.domains.audit.models import AuditEntry
from reassure.domains.planning.problem import problem_and_marking, problem_json
from reassure.domains.plans.actions import attach_asks, store_plan
from reassure.domains.plans.service import get_plan, plan_asks, plan_picture
from reassure.planner.analysis.asks import find_asks
from reassure.planner.instance import Asks, Plan, Problem
from reassure.planner.solver.solve import solve
from reassure.settings import Settings
from tests.conftest import who
from tests.scenario_io.samples import VALID, write


def _plan_and_asks(settings: Settings, tmp_path: Path) -> tuple[str, Asks]:
    from reassure.domains.scenarios.importing import import_document
    from reassure.scenario_io.load import load_document

    with unit_of_work(settings, identity=who("FRA")) as db:
        import_document(load_document(write(tmp_path, VALID)), db=db, origin="tests")
    with unit_of_work(settings, identity=who("FRA")) as db:
        problem, marking = problem_and_marking("small", db=db)
        plan = solve(problem, time_limit=1, seed=1, workers=1)
        stored = store_plan(db=db, scenario="small", problem=problem_json(problem), plan=plan, rel_to=marking,
                            settings={"method": "cp-sat"})
    _base, asks = find_asks(problem, 1.0, base=plan, fair_shares="ignore", solve_seconds=1)
    return stored.id, asks


def _audit(settings: Settings) -> list[tuple[str, dict]]:  # type: ignore[type-arg]
    with engine_for(settings).connect() as connection:
        return [(a, d) for a, d in connection.execute(select(AuditEntry.action, AuditEntry.details)
                                                      .where(AuditEntry.action.like("plan.%")))]


def test_asks_are_stored_with_the_plan_and_audited(settings: Settings, tmp_path: Path) -> None:
    plan_id, asks = _plan_and_asks(settings, tmp_path)
    with unit_of_work(settings, identity=who("FRA")) as db:
        assert plan_asks(plan_id, db=db) is None
        attach_asks(plan_id, asks, db=db, settings={"target": 1.0})
    with unit_of_work(settings, identity=who("GBR", Role.VIEWER)) as db:  # released to GBR: it reads them
        picture = plan_picture(plan_id, db=db)
        detail = get_plan(plan_id, db=db)
    assert picture.asks is not None and picture.asks.units == 4 and picture.asks.rows[0].nation == "France"
    assert Plan.model_validate(detail.plan).asks == asks and detail.settings["asks"] == {"target": 1.0}
    assert not any(u.id.startswith("ASK-") for u in Problem.model_validate(detail.problem).units)  # pledges only
    actions = _audit(settings)
    assert [a for a, _d in actions] == ["plan.create", "plan.asks"]
    after = actions[1][1]["after"]["asks"]
    assert after["units"] == 4 and after["reached"] is True and actions[1][1]["before"] == {"asks": None}
    assert after["asks"] == [f"4 fighter_squadron of FRA from period {asks.asks[0].start}"]


def test_another_nation_a_viewer_and_foreign_asks_are_refused(settings: Settings, tmp_path: Path) -> None:
    plan_id, asks = _plan_and_asks(settings, tmp_path)
    for identity in (who("GBR"), who("FRA", Role.VIEWER)):
        with pytest.raises(Forbidden), unit_of_work(settings, identity=identity) as db:
            attach_asks(plan_id, asks, db=db, settings={})
    other = asks.model_copy(update={"base_coverage": asks.base_coverage + 0.1})
    with pytest.raises(InputError, match="not computed on plan"), unit_of_work(settings, identity=who("FRA")) as db:
        attach_asks(plan_id, other, db=db, settings={})
    assert [a for a, _d in _audit(settings)] == ["plan.create"]
    with unit_of_work(settings, identity=who("FRA")) as db:
        assert plan_asks(plan_id, db=db) is None


def test_asks_stored_at_the_same_time_audit_what_each_replaced(settings: Settings, tmp_path: Path) -> None:
    """Two asks stored on one plan at once (two jobs): the second waits for the first, and its audit's `before` is
    the first's asks, not the plan as it was before either (who replaced what stays on record)."""
    import threading
    import time

    plan_id, asks = _plan_and_asks(settings, tmp_path)
    second = asks.model_copy(update={"fair_shares": "prefer"})
    errors: list[BaseException] = []

    def later() -> None:
        try:
            with unit_of_work(settings, identity=who("FRA")) as db:
                attach_asks(plan_id, second, db=db, settings={"target": 1.0, "which": "second"})
        except BaseException as error:  # reported by the assertion below
            errors.append(error)

    with unit_of_work(settings, identity=who("FRA")) as db:
        attach_asks(plan_id, asks, db=db, settings={"target": 1.0, "which": "first"})
        thread = threading.Thread(target=later)
        thread.start()
        time.sleep(1.0)  # the second has read the plan by now, and waits to write it
    thread.join(timeout=60)
    assert not errors, errors
    audits = [d for a, d in _audit(settings) if a == "plan.asks"]
    assert [d["after"]["settings"]["which"] for d in audits] == ["first", "second"]
    assert audits[0]["before"] == {"asks": None}
    assert audits[1]["before"]["asks"] is not None and audits[1]["before"]["asks"]["fair_shares"] == "ignore"

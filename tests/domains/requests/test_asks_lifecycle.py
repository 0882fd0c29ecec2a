"""Asks to nations (issue 26, docs/adr/0041): the planner's force-generation asks become asks to nations; one is
sent, answered in part, and turned into a change of the nation's pledge citing the answer; the plan re-solved on the
changed pledges covers what the accepted units add. Steps out of order, a viewer and another nation are refused with
nothing written.

`asked_cycle` is the shared start of the whole force-generation cycle (issue 26's first "Done when"): later streams
(verification, readiness) extend it from the state it returns."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from reassure.core.errors import Conflict, Forbidden, InputError, NotFound
from reassure.core.identity import Role
from reassure.db.uow import engine_for, unit_of_work
from reassure.domains.audit.models import AuditEntry
from reassure.domains.planning.problem import problem_and_marking, problem_json
from reassure.domains.plans.actions import attach_asks, store_plan
from reassure.domains.pledges.service import get_pledge
from reassure.domains.requests import actions
from reassure.domains.requests.models import ForceAsk
from reassure.domains.requests.service import get_ask, list_asks
from reassure.planner.analysis.asks import find_asks
from reassure.planner.instance import Asks, Plan, Problem
from reassure.planner.solver.solve import solve
from reassure.settings import Settings
from tests.conftest import raw_counts, who
from tests.scenario_io.samples import VALID, write

DAY = date(2026, 12, 1)
# VALID with France's pledge marked like the plan it is planned in (REL TO FRA, GBR, as GBR's pledge makes it), so an
# answer marked like its ask may change it
SHARED = VALID.replace("    probability: 0.9\n", "    probability: 0.9\n    marking: REL TO FRA, GBR\n")


@dataclass
class AskedCycle:
    """A stored plan with its force-generation asks, and the asks to nations drafted from it."""

    plan_id: str
    base: Plan
    problem: Problem
    asks: Asks
    ask_ids: list[str]


def asked_cycle(settings: Settings, tmp_path: Path, scenario: str = VALID, name: str = "small", *,
                draft: bool = True) -> AskedCycle:
    """Import a scenario as FRA, solve and store a plan, compute its asks to full coverage, and (with `draft`) draft
    the asks to nations from the stored plan (as an FRA planner)."""
    from reassure.domains.scenarios.importing import import_document
    from reassure.scenario_io.load import load_document

    with unit_of_work(settings, identity=who("FRA")) as db:
        import_document(load_document(write(tmp_path, scenario)), db=db, origin="tests")
    with unit_of_work(settings, identity=who("FRA")) as db:
        problem, marking = problem_and_marking(name, db=db)
        base = solve(problem, time_limit=1, seed=1, workers=1)
        stored = store_plan(db=db, scenario=name, problem=problem_json(problem), plan=base, rel_to=marking,
                            settings={"method": "cp-sat"})
    _plan, asks = find_asks(problem, 1.0, base=base, fair_shares="ignore", solve_seconds=1)
    with unit_of_work(settings, identity=who("FRA")) as db:
        attach_asks(stored.id, asks, db=db, settings={"target": 1.0})
        drafted = actions.asks_from_plan(stored.id, db=db, on_date=DAY) if draft else []
    return AskedCycle(stored.id, base, problem, asks, [a.id for a in drafted])


def _audit(settings: Settings, outcome: str = "done") -> list[str]:
    with engine_for(settings).connect() as connection:
        return list(connection.scalars(select(AuditEntry.action).where(AuditEntry.action.like("ask.%"),
                                                                       AuditEntry.outcome == outcome)
                                       .order_by(AuditEntry.id)))


def test_an_answer_in_part_changes_the_pledge_and_the_re_solve_covers_what_it_adds(settings: Settings,
                                                                                     tmp_path: Path) -> None:
    cycle = asked_cycle(settings, tmp_path, SHARED)
    assert len(cycle.ask_ids) == len(cycle.asks.asks) == 1
    asked = cycle.asks.asks[0]
    assert (asked.nation, asked.capability, asked.count) == ("FRA", "fighter_squadron", 4)
    with unit_of_work(settings, identity=who("FRA")) as db:
        drafted = get_ask(cycle.ask_ids[0], db=db)
        assert drafted.state == "drafted" and drafted.plan == cycle.plan_id and drafted.quantity == 4
        assert drafted.close_tasks == ["AIR-WEST"] and drafted.closes[0].startswith("AIR-WEST ")
        assert drafted.marking == "REL TO FRA, GBR"  # like the plan it rests on
        actions.send_ask(drafted.id, db=db, on_date=date(2026, 12, 2), source="src-1")
        answered = actions.answer_ask(drafted.id, db=db, answer="part", accepted=2, on_date=date(2026, 12, 10),
                                      conditions="Not before the spring rotation", reliability="A")
        assert (answered.state, answered.answer, answered.accepted) == ("answered", "part", 2)
        assert answered.answer_source == f"answer-{drafted.id}" and answered.sent_source == "src-1"
        pledged = actions.ask_to_pledge(drafted.id, db=db, on_date=date(2026, 12, 11), pledge="FRA-FS")
        assert (pledged.state, pledged.pledge) == ("pledged", "FRA-FS")
        pledge = get_pledge("small", "FRA-FS", db=db)
        assert pledge.quantity == "4" and f"answer-{drafted.id}" in pledge.sources  # 2 + 2, citing the answer
        problem, _marking = problem_and_marking("small", db=db)
    assert _audit(settings) == ["ask.create", "ask.send", "ask.answer", "ask.pledge"]
    # the re-solve covers exactly what the two accepted units add: the base problem with two of the asked units
    after = solve(problem, time_limit=1, seed=1, workers=1)
    with_two = solve(cycle.problem.model_copy(update={"units": [*cycle.problem.units, *asked.units[:2]]}),
                     time_limit=1, seed=1, workers=1)
    assert after.coverage > cycle.base.coverage
    assert after.coverage == pytest.approx(with_two.coverage)
    assert after.coverage < cycle.asks.coverage  # half the ask, not all of it


def test_an_answer_in_full_becomes_a_new_pledge_of_the_asked_units(settings: Settings, tmp_path: Path) -> None:
    cycle = asked_cycle(settings, tmp_path)
    ask_id = cycle.ask_ids[0]
    with unit_of_work(settings, identity=who("FRA")) as db:
        actions.send_ask(ask_id, db=db, on_date=DAY)
        actions.answer_ask(ask_id, db=db, answer="full", on_date=DAY)
        pledged = actions.ask_to_pledge(ask_id, db=db, on_date=DAY)
        made = get_pledge("small", pledged.pledge or "", db=db)
        problem, _marking = problem_and_marking("small", db=db)
    assert made.key == "ASK-FRA-fighter_squadron" and made.quantity == "4" and made.grade == "B2"
    assert made.status == "offered" and made.sources == [f"answer-{ask_id}"]
    assert solve(problem, time_limit=1, seed=1, workers=1).coverage == pytest.approx(cycle.asks.coverage)


def test_steps_out_of_order_a_viewer_and_another_nation_are_refused(settings: Settings, tmp_path: Path) -> None:
    cycle = asked_cycle(settings, tmp_path)
    ask_id = cycle.ask_ids[0]

    def refused(error: type[Exception], identity: object, step: str, match: str = "", on: date = DAY,
                **kwargs: object) -> None:
        before = raw_counts(settings.database_url, ForceAsk)
        with pytest.raises(error, match=match), unit_of_work(settings, identity=identity) as db:  # type: ignore[arg-type]
            getattr(actions, step)(ask_id, db=db, on_date=on, **kwargs)
        assert raw_counts(settings.database_url, ForceAsk) == before

    refused(Conflict, who("FRA"), "answer_ask", "is drafted", answer="full")  # not sent yet
    refused(Conflict, who("FRA"), "ask_to_pledge", "is drafted")
    refused(Forbidden, who("FRA", Role.VIEWER), "send_ask", "planner")
    refused(Forbidden, who("GBR"), "send_ask", "only planners of FRA")  # GBR sees the ask, but did not draft it
    with unit_of_work(settings, identity=who("FRA")) as db:
        actions.send_ask(ask_id, db=db, on_date=date(2026, 12, 3))
    refused(Conflict, who("FRA"), "send_ask", "is sent")  # twice
    refused(Forbidden, who("GBR"), "answer_ask", "only planners of FRA", answer="full")
    refused(InputError, who("FRA"), "answer_ask", "from 1 to 3", date(2026, 12, 4), answer="part",
            accepted=4)
    refused(Conflict, who("FRA"), "answer_ask", "before the ask's last step", answer="full")
    with unit_of_work(settings, identity=who("FRA")) as db:
        actions.answer_ask(ask_id, db=db, answer="part", accepted=1, on_date=date(2026, 12, 5))
    # France's pledge is PUBLIC, the answer REL TO FRA, GBR: citing it would release the answer more widely
    refused(InputError, who("FRA"), "ask_to_pledge", "never released more widely than its sources",
            date(2026, 12, 6), pledge="FRA-FS")
    refused(InputError, who("FRA"), "ask_to_pledge", "not the FRA fighter_squadron asked", date(2026, 12, 6),
            pledge="GBR-FS")
    assert _audit(settings) == ["ask.create", "ask.send", "ask.answer"]
    assert _audit(settings, "denied") == ["ask.send", "ask.answer"]  # GBR's two attempts
    with unit_of_work(settings, identity=who("FRA")) as db:
        assert [a.state for a in list_asks(db=db, open_only=True)] == []
        assert [a.answer for a in list_asks(db=db, scenario="small")] == ["part"]


def test_a_hidden_ask_is_not_found_and_a_marking_without_the_writer_is_refused(settings: Settings,
                                                                              tmp_path: Path) -> None:
    cycle = asked_cycle(settings, tmp_path)
    with pytest.raises(InputError, match="not released to your nation FRA"), \
            unit_of_work(settings, identity=who("FRA")) as db:
        actions.create_ask("small", db=db, nation="GBR", capability="fighter_squadron", quantity=1,
                           available_from=DAY, available_to=DAY, on_date=DAY, marking="REL TO POL")
    with unit_of_work(settings, identity=who("FRA")) as db:
        mine = actions.create_ask("small", db=db, nation="GBR", capability="fighter_squadron", quantity=1,
                                  available_from=date(2027, 1, 1), available_to=date(2027, 6, 30), on_date=DAY,
                                  marking="REL TO FRA", tasks=["AIR-WEST"])
    assert (mine.personnel_per_unit, mine.where, mine.max_tour) == (280, ["air"], 4)  # GBR's pledge shapes it
    with pytest.raises(NotFound), unit_of_work(settings, identity=who("GBR")) as db:
        get_ask(mine.id, db=db)
    with pytest.raises(NotFound), unit_of_work(settings, identity=who("GBR")) as db:
        actions.answer_ask(mine.id, db=db, answer="full", on_date=DAY)
    with pytest.raises(InputError, match="not released to GBR"), unit_of_work(settings, identity=who("FRA")) as db:
        actions.send_ask(mine.id, db=db, on_date=DAY)  # kept at home: GBR could not read it
    with pytest.raises(Conflict, match="drafted already"), unit_of_work(settings, identity=who("FRA")) as db:
        actions.asks_from_plan(cycle.plan_id, db=db, on_date=DAY)

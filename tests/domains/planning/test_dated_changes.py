"""Dated lifecycle steps inside the horizon cut a pledge's units from that period on (issue 23 item 6,
docs/adr/0023); `plan build` and a what-if withdrawing the pledge at the same period agree."""

from __future__ import annotations

from datetime import date

from reassure.db.uow import unit_of_work
from reassure.domains.planning.problem import build_problem
from reassure.domains.pledges.actions import change_status, withdraw
from reassure.domains.scenarios.importing import load_bundled
from reassure.planner.analysis.whatif import Withdraw, apply_changes, parse_withdraw
from reassure.planner.hard_rules.validate import validate
from reassure.planner.instance import Problem
from reassure.planner.solver.solve import solve
from reassure.settings import Settings
from tests.conftest import who

JUNE_2027 = 5  # the illustrative horizon starts 2027-01-01, monthly


def _problem(settings: Settings) -> Problem:
    with unit_of_work(settings, identity=who("GBR")) as db:
        return build_problem("illustrative", db=db)


def _units(problem: Problem, pledge: str) -> dict[str, tuple[int, int]]:
    return {u.id: (u.available_from, u.available_to) for u in problem.units if u.pledge == pledge}


def test_a_withdrawal_mid_horizon_removes_the_units_from_its_period_on(settings: Settings) -> None:
    with unit_of_work(settings, identity=who("GBR")) as db:
        load_bundled(db=db)
    before = _problem(settings)
    with unit_of_work(settings, identity=who("POL")) as db:
        withdraw("illustrative", "POL-LOG", date(2027, 6, 1), db=db)
    after = _problem(settings)
    assert len(after.units) == len(before.units)  # the units stay in the problem, only their window shrinks
    assert _units(after, "POL-LOG") == {f"POL-LOG-{i}": (0, JUNE_2027 - 1) for i in (1, 2, 3)}
    assert _units(after, "DEU-LOG") == _units(before, "DEU-LOG")  # other pledges keep theirs
    # The what-if withdrawing the same pledge at the same period cuts the same windows.
    whatif = apply_changes(before, [], [Withdraw(pledge="POL-LOG", period=JUNE_2027)])
    assert _units(whatif, "POL-LOG") == _units(after, "POL-LOG")
    assert parse_withdraw("POL-LOG@5") == Withdraw(pledge="POL-LOG", period=JUNE_2027)

    plan = solve(after, time_limit=3, seed=0)
    assert validate(after, plan).valid
    polish = [t for t in plan.tours if t.unit.startswith("POL-LOG-")]
    assert polish, "POL-LOG's units serve before June 2027"
    assert all(t.end < JUNE_2027 for t in polish)


def test_a_return_after_a_withdrawal_brings_the_units_back_under_new_ids(settings: Settings) -> None:
    with unit_of_work(settings, identity=who("GBR")) as db:
        load_bundled(db=db)
    with unit_of_work(settings, identity=who("POL")) as db:
        withdraw("illustrative", "POL-LOG", date(2027, 6, 15), db=db)  # mid-month: June is lost too
        change_status("illustrative", "POL-LOG", "offered", date(2028, 1, 10), db=db)  # back from February 2028
    units = _units(_problem(settings), "POL-LOG")
    assert units["POL-LOG-1"] == (0, JUNE_2027 - 1)
    assert units["POL-LOG-1-r2"] == (13, 35)
    assert len(units) == 6


def test_a_withdrawal_before_the_horizon_removes_the_pledge(settings: Settings) -> None:
    with unit_of_work(settings, identity=who("GBR")) as db:
        load_bundled(db=db)
    with unit_of_work(settings, identity=who("POL")) as db:
        withdraw("illustrative", "POL-LOG", date(2026, 12, 1), db=db)
    assert _units(_problem(settings), "POL-LOG") == {}

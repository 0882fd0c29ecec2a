"""Force-generation asks: the fewest units that lift a plan to a target, verified by re-solving, within caps, fair
shares, caveats and legal prerequisites; an unreachable target is said so, by how much."""

from __future__ import annotations

import math

import pytest

from reassure.planner.analysis.asks import asked_units, find_asks, pledged_months, prune, template, with_asked
from reassure.planner.hard_rules.validate import check_tours
from reassure.planner.index import Instance
from reassure.planner.instance import Asks, Plan, Tour, Unit
from reassure.planner.solver.result import make_plan
from reassure.planner.solver.runtime import Cancelled, CancelToken
from reassure.planner.solver.solve import solve
from tests.planner.builders import problem, task, unit

NATIONS = [{"code": "FRA", "fair_share": 0.2}, {"code": "GBR", "fair_share": 0.5}, {"code": "POL", "fair_share": 0.3}]


def _short_of_engineers(demand: int | list[int] = 2):  # type: ignore[no-untyped-def]
    """Two engineer companies demanded inside from month 0, one pledged (FRA's), each nation with a SOFA."""
    units = [unit("FRA-ENG-1", capability="engineer_company", personnel=150, max_tour=12, min_dwell=0),
             unit("GBR-FS-1", nation="GBR", personnel=100), unit("POL-FS-1", nation="POL", personnel=100)]
    tasks = [task("EOD", demand=demand, capability="engineer_company", location="inside", requires_legal=["SOFA"])]
    legal = [{"nation": n, "host": "UKR", "kind": "SOFA", "in_force_from": 0} for n in ("FRA", "GBR", "POL")]
    return problem(units, tasks, periods=12, nations=NATIONS, legal=legal)


def _check(p, report: Asks) -> None:  # type: ignore[no-untyped-def]
    """The verified tours are valid on the problem with the asked units, and score what the report says."""
    aug = with_asked(p, asked_units(report))
    assert check_tours(Instance(aug), report.tours) == []
    assert sum(a.count for a in report.asks) == report.units_asked == len(asked_units(report))


def test_one_missing_engineer_company_is_asked_of_a_nation_it_leaves_within_its_fair_share() -> None:
    p = _short_of_engineers()
    base, report = find_asks(p, 1.0, solve_seconds=2, seed=1)
    assert base.coverage == pytest.approx(0.5)
    assert report.reached and report.coverage == 1.0 and report.short_by == 0.0 and report.units_asked == 1
    (ask,) = report.asks
    # Pledged personnel-months: FRA 1,800, GBR 1,200, POL 1,200. A 150-strong company for 12 months takes GBR to
    # 3,000 of 6,000 (its 50 %) and POL to 50 % of the whole (above its 30 %): strictly, only GBR may be asked.
    assert (ask.nation, ask.capability, ask.start, ask.count) == ("GBR", "engineer_company", 0, 1)
    assert ask.closes and ask.closes[0].task == "EOD" and ask.closes[0].periods == list(range(12))
    assert ask.adds == pytest.approx(0.5) and not ask.above_fair_share
    assert ask.pledged_share == pytest.approx(1200 / 4200) and ask.fair_share == 0.5
    assert "typical" in ask.template  # GBR pledged no engineers: the coalition's typical one
    _check(p, report)


def test_a_target_already_met_asks_for_nothing() -> None:
    p = _short_of_engineers()
    _base, report = find_asks(p, 0.5, solve_seconds=1)
    assert report.reached and report.asks == [] and report.units_asked == 0 and report.rounds == 0


def test_a_nation_without_the_legal_instrument_is_not_asked() -> None:
    p = _short_of_engineers()
    p = p.model_copy(update={"legal": [lg for lg in p.legal if lg.nation != "GBR"]})
    _base, report = find_asks(p, 1.0, solve_seconds=1)
    assert report.asks == [] and not report.reached  # POL may not go past its share, GBR has no SOFA
    _base, report = find_asks(p, 1.0, solve_seconds=1, fair_shares="prefer")
    assert [(a.nation, a.above_fair_share) for a in report.asks] == [("POL", True)] and report.reached


def test_the_ask_starts_when_the_gap_opens() -> None:
    p = _short_of_engineers(demand=[1] * 6 + [2] * 6)
    _base, report = find_asks(p, 1.0, solve_seconds=1)
    (ask,) = report.asks
    assert ask.start == 6 and ask.closes[0].periods == list(range(6, 12)) and report.reached


def test_personnel_caps_are_respected() -> None:
    p = _short_of_engineers()
    nations = [{"code": "FRA", "fair_share": 0.2}, {"code": "GBR", "fair_share": 0.5, "max_personnel": 50},
               {"code": "POL", "fair_share": 0.3, "max_personnel": 50}]
    p = p.model_copy(update={"nations": problem([], [], nations=nations).nations})
    _base, report = find_asks(p, 1.0, solve_seconds=1, fair_shares="ignore")
    # GBR and POL cannot deploy a 150-strong company beside their caps: only FRA is left.
    assert [a.nation for a in report.asks] == ["FRA"] and report.reached


def test_under_strict_fair_shares_an_unreachable_target_is_said_so_and_by_how_much() -> None:
    p = _short_of_engineers()
    only_fra = [{"code": "FRA", "fair_share": 1.0}, {"code": "GBR"}, {"code": "POL"}]
    p = p.model_copy(update={"nations": problem([], [], nations=only_fra).nations})
    # FRA alone has a fair share (only nations with one are asked when any has one); at 100 % it may take more.
    _base, report = find_asks(p, 1.0, solve_seconds=1)
    assert report.reached and [a.nation for a in report.asks] == ["FRA"]
    capped = [{"code": "FRA", "fair_share": 0.5}, {"code": "GBR", "fair_share": 0.5}, {"code": "POL"}]
    p = p.model_copy(update={"nations": problem([], [], nations=capped).nations,
                             "legal": [lg for lg in p.legal if lg.nation == "FRA"]})
    # Only FRA has a SOFA, and a company would take it past its 50 % (3,600 of 6,000): strictly, nobody may be asked.
    _base, report = find_asks(p, 1.0, solve_seconds=1)
    assert not report.reached and report.asks == [] and report.short_by == pytest.approx(0.5)
    assert "fair share" in report.note
    _base, report = find_asks(p, 1.0, solve_seconds=1, fair_shares="prefer")
    assert report.reached and [(a.nation, a.above_fair_share) for a in report.asks] == [("FRA", True)]


def test_template_is_the_nations_own_pledge_else_the_coalitions_typical_unit() -> None:
    p = _short_of_engineers()
    own = template(p, "FRA", "engineer_company")
    assert own is not None and own[0].personnel == 150 and "France's pledged" in own[1] and own[0].conditions == []
    assert template(p, "FRA", "airlift") is None
    assert pledged_months(p) == {"FRA": 150 * 12, "GBR": 100 * 12, "POL": 100 * 12}


def test_a_cancelled_token_stops_it() -> None:
    token = CancelToken()
    token.cancel()
    with pytest.raises(Cancelled):
        find_asks(_short_of_engineers(), 1.0, solve_seconds=1, cancel=token)


def test_bad_targets_and_modes_are_refused() -> None:
    with pytest.raises(ValueError, match="between 0 and 100"):
        find_asks(_short_of_engineers(), 1.5)
    with pytest.raises(ValueError, match="fair shares"):
        find_asks(_short_of_engineers(), 0.9, fair_shares="loose")  # type: ignore[arg-type]


def test_a_plan_carries_its_asks_as_an_optional_key() -> None:
    p = _short_of_engineers()
    base, report = find_asks(p, 1.0, solve_seconds=1)
    assert "asks" not in base.model_dump(mode="json")  # old readers see exactly the DESIGN §3 keys
    stored = base.model_copy(update={"asks": report}).model_dump(mode="json")
    again = Plan.model_validate(stored)
    assert again.asks == report and stored["asks"]["asks"][0]["units"][0]["id"].startswith("ASK-")
    replay = solve(with_asked(p, asked_units(report)), time_limit=2, seed=1)
    assert replay.coverage >= report.target


def test_prune_drops_an_asked_unit_the_plan_can_do_without_and_keeps_one_it_needs() -> None:
    p = _short_of_engineers()
    extra = [Unit.model_validate(unit(f"ASK-GBR-engineer_company-0-{i}", nation="GBR", capability="engineer_company",
                                      personnel=150, max_tour=12, min_dwell=0)) for i in (1, 2)]
    aug = with_asked(p, extra)
    inst = Instance(aug)
    # Two asked companies each serving half the year beside FRA's: 100 % covered, one of them would do for 75 %.
    tours = [Tour(unit="FRA-ENG-1", task="EOD", start=0, end=11), Tour(unit=extra[0].id, task="EOD", start=0, end=5),
             Tour(unit=extra[1].id, task="EOD", start=6, end=11)]
    plan = make_plan(inst, tours, "feasible", 1.0, 0.1)
    full = inst.demand_weight()
    kept = prune(inst, plan, extra, math.ceil(0.75 * full))
    assert {t.unit for t in kept.tours} == {"FRA-ENG-1", extra[0].id} or {t.unit for t in kept.tours} == {
        "FRA-ENG-1", extra[1].id}
    assert kept.coverage == pytest.approx(0.75) and check_tours(inst, kept.tours) == []
    assert prune(inst, plan, extra, full) is plan  # at 100 % neither can go


def test_staff_are_not_asked_for_a_headquarters_with_nothing_to_command() -> None:
    """Rule command_chain: an HQ is manned only while a component under it is. The HQ is short of staff and its one
    component of engineers, which no nation pledged or may be asked for, stays empty: staff asked for it could not
    serve, so none are asked (before: one HQ staff unit asked, then the re-solve found it added nothing)."""
    units = [unit("GBR-FS-1", nation="GBR", personnel=100)]
    tasks = [task("HQ", capability="hq_staff", location="inside"),
             task("ENG", capability="engineer_company", location="inside", parent="HQ")]
    p = problem(units, tasks, periods=6, nations=NATIONS)
    templates = [unit("T-HQ", nation="GBR", capability="hq_staff", personnel=50, max_tour=6, min_dwell=0)]
    p = p.model_copy(update={"units": [*p.units, *problem(templates, []).units]})
    base, report = find_asks(p, 1.0, solve_seconds=1, fair_shares="ignore")  # GBR alone could be asked
    assert base.coverage == 0.0 and report.asks == [] and not report.reached
    assert "added nothing" not in report.note

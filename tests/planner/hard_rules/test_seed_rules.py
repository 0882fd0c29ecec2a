"""Issue 23's rules (the seeds' open questions): one feasible and one infeasible case each, through every solver path.

Every case is solved by the greedy baseline, by CP-SAT (solve), by column generation from the greedy start and by
local search followed by the repair, and every result must pass the validator; the gap reasons name the rule.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from reassure.core.labels import reason_label, rule_label
from reassure.planner.hard_rules.compat import windows
from reassure.planner.hard_rules.repair import repair
from reassure.planner.hard_rules.validate import check_tours, validate
from reassure.planner.index import Instance
from reassure.planner.instance import Plan, Problem, Tour
from reassure.planner.solver.baseline import greedy_plan, greedy_tours
from reassure.planner.solver.columns.by_columns import solve_by_columns
from reassure.planner.solver.cpsat.stages import SolverConfig
from reassure.planner.solver.improve import improve
from reassure.planner.solver.result import make_plan
from reassure.planner.solver.solve import _solve_part, solve

from ..builders import problem, task, unit

Path = Callable[[Problem], Plan]


def _greedy(p: Problem) -> Plan:
    return greedy_plan(p)


def _cpsat(p: Problem) -> Plan:
    return solve(p, time_limit=2, seed=1, workers=1)


def _columns(p: Problem) -> Plan:
    inst = Instance(p)
    if not windows(inst):
        return greedy_plan(p)  # column generation runs on parts, and a problem with no compatible pair has none
    out = solve_by_columns(inst, greedy_tours(inst), 1.0, workers=1, seed=1)
    return make_plan(inst, out.tours, "feasible", out.bound / max(1, inst.demand_weight()), 0.0)


def _improve(p: Problem) -> Plan:
    inst = Instance(p)
    tours = repair(inst, improve(inst, greedy_tours(inst), 0.5, seed=1))
    return make_plan(inst, tours, "feasible", 1.0, 0.0)


def _model(p: Problem) -> Plan:
    """CP-SAT on the whole model, with no repair after it: the encoders alone must keep the rules."""
    inst = Instance(p)
    out = _solve_part(inst, list(p.frozen), None, 2.0, SolverConfig(1, 1, None, None), None, ("coverage", "tours"))
    return make_plan(inst, out.tours, "feasible", out.bound / max(1, inst.demand_weight()), 0.0)


PATHS: dict[str, Path] = {
    "greedy": _greedy,
    "cpsat": _cpsat,
    "model": _model,
    "columns": _columns,
    "improve": _improve,
}


def _plans(p: Problem) -> dict[str, Plan]:
    out = {}
    for name, path in PATHS.items():
        plan = path(p)
        report = validate(p, plan) if name != "improve" else None
        assert not check_tours(p, plan.tours), (name, check_tours(p, plan.tours))
        assert report is None or report.valid, (name, report.violations)
        out[name] = plan
    return out


def _nations(plan: Plan, p: Problem, task_id: str, t: int) -> list[str]:
    nation = {u.id: u.nation for u in p.units}
    return sorted(nation[r.unit] for r in plan.tours if r.task == task_id and r.start <= t <= r.end)


def _reasons(plan: Plan) -> str:
    return " | ".join(g.reason for g in plan.gaps)


# bilateral component ------------------------------------------------------------------------------------------


def test_bilateral_feasible_partners_serve() -> None:
    units = [unit("F1"), unit("G1", nation="GBR"), unit("P1", nation="POL")]
    p = problem(units, [task("T", 2, component="bilateral", partners=["GBR", "POL"])], periods=4)
    for plan in _plans(p).values():
        assert plan.coverage == 1.0
        assert all(r.unit != "F1" for r in plan.tours)


def test_bilateral_infeasible_without_partner_units_leaves_gap_named() -> None:
    p = problem([unit("F1"), unit("F2")], [task("T", 1, component="bilateral", partners=["GBR"])], periods=4)
    for plan in _plans(p).values():
        assert plan.coverage == 0.0 and not plan.tours
        assert reason_label("bilateral_partners") in _reasons(plan)


# multinational component --------------------------------------------------------------------------------------


def test_min_nations_feasible_mixes_nations() -> None:
    units = [unit("F1"), unit("F2"), unit("G1", nation="GBR")]
    p = problem(units, [task("T", 2, component="multinational", min_nations=2)], periods=4)
    for plan in _plans(p).values():
        assert plan.coverage == 1.0
        assert all(len(set(_nations(plan, p, "T", t))) == 2 for t in range(4))


def test_min_nations_infeasible_single_nation_leaves_task_empty() -> None:
    p = problem([unit("F1"), unit("F2")], [task("T", 2, component="multinational", min_nations=2)], periods=4)
    for plan in _plans(p).values():
        assert plan.coverage == 0.0
        assert reason_label("min_nations") in _reasons(plan)


def test_max_share_feasible_balances_nations() -> None:
    units = [unit("F1"), unit("F2"), unit("G1", nation="GBR"), unit("G2", nation="GBR")]
    p = problem(units, [task("T", 4, component="multinational", max_share=0.5)], periods=3)
    for plan in _plans(p).values():
        assert plan.coverage == 1.0


def test_max_share_infeasible_caps_the_larger_nation() -> None:
    # Three French units and one British: at most half French, so only two units can serve at once.
    units = [unit("F1"), unit("F2"), unit("F3"), unit("G1", nation="GBR")]
    p = problem(units, [task("T", 4, component="multinational", max_share=0.5)], periods=3)
    for name, plan in _plans(p).items():
        for t in range(3):
            got = _nations(plan, p, "T", t)
            assert got.count("FRA") * 2 <= len(got), (name, t, got)
        assert plan.coverage <= 0.5
    assert reason_label("max_share") in _reasons(_cpsat(p))


# lead nation --------------------------------------------------------------------------------------------------


def test_lead_nation_feasible_lead_always_present() -> None:
    units = [unit("F1"), unit("F2"), unit("G1", nation="GBR"), unit("G2", nation="GBR")]
    p = problem(units, [task("T", 2, lead="GBR")], periods=4)
    for plan in _plans(p).values():
        assert plan.coverage == 1.0
        assert all("GBR" in _nations(plan, p, "T", t) for t in range(4))


def test_lead_nation_infeasible_without_lead_unit_names_the_lead() -> None:
    # The lead's only unit is available from period 2: before it the task stays empty although France could serve.
    units = [unit("F1"), unit("F2"), unit("G1", nation="GBR", available_from=2)]
    p = problem(units, [task("T", 2, lead="GBR")], periods=4)
    for plan in _plans(p).values():
        assert not _nations(plan, p, "T", 0) and not _nations(plan, p, "T", 1)
        first = next(g for g in plan.gaps if 0 in g.periods)
        assert "lead nation United Kingdom" in first.reason and rule_label("lead_nation") in first.reason


# command ------------------------------------------------------------------------------------------------------


def _command(component_units: list[dict[str, Any]]) -> Problem:
    hq = unit("HQ1", capability="hq_staff", nation="GBR")
    return problem(
        [hq, *component_units],
        [task("HQ", 1, capability="hq_staff", location="inside"), task("C", 1, parent="HQ", location="inside")],
        periods=4,
    )


def test_command_feasible_hq_follows_its_component() -> None:
    p = _command([unit("F1", available_to=1)])
    for plan in _plans(p).values():
        assert _nations(plan, p, "HQ", 0) == ["GBR"] and _nations(plan, p, "C", 0) == ["FRA"]
        assert not _nations(plan, p, "HQ", 2) and not _nations(plan, p, "HQ", 3)


def test_command_infeasible_no_component_no_hq() -> None:
    p = _command([unit("F1", capability="frigate", locations=["sea"])])
    for plan in _plans(p).values():
        assert not plan.tours
        hq_gap = next(g for g in plan.gaps if g.task == "HQ")
        assert rule_label("command_chain") in hq_gap.reason and "components (C)" in hq_gap.reason


# readiness ----------------------------------------------------------------------------------------------------


def test_notice_feasible_unit_ready_in_time() -> None:
    p = problem([unit("F1", notice=2)], [task("T", [0, 0, 1, 1])], periods=4)
    for plan in _plans(p).values():
        assert plan.coverage == 1.0


def test_notice_infeasible_before_ready_leaves_gap_named() -> None:
    p = problem([unit("F1", notice=2)], [task("T", 1)], periods=4, horizon={"start": "2026-01-01", "period": "month",
                                                                              "periods": 4, "decision": 1})
    for plan in _plans(p).values():
        assert min(r.start for r in plan.tours) == 3
        assert reason_label("notice_to_move") in plan.gaps[0].reason


def test_notice_does_not_hold_back_a_unit_already_deployed() -> None:
    frozen = [{"unit": "F1", "task": "T", "start": 0, "end": 1}]
    p = problem([unit("F1", notice=3)], [task("T", 1)], periods=4, frozen=frozen)
    for plan in _plans(p).values():
        assert plan.coverage == 1.0


# legal validity -----------------------------------------------------------------------------------------------


def test_legal_feasible_within_in_force_to() -> None:
    legal = [{"nation": "FRA", "host": "UKR", "kind": "SOFA", "in_force_from": 0, "in_force_to": 3}]
    p = problem([unit("F1")], [task("T", [1, 1, 1, 1, 0, 0], requires_legal=["SOFA"])], legal=legal)
    for plan in _plans(p).values():
        assert plan.coverage == 1.0


def test_legal_infeasible_after_lapse_leaves_gap_named() -> None:
    legal = [{"nation": "FRA", "host": "UKR", "kind": "SOFA", "in_force_from": 0, "in_force_to": 2, "probability": 0.5}]
    p = problem([unit("F1")], [task("T", 1, requires_legal=["SOFA"])], legal=legal)
    for plan in _plans(p).values():
        assert max(r.end for r in plan.tours) == 2
        late = next(g for g in plan.gaps if 3 in g.periods)
        assert reason_label("legal_in_force") in late.reason


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"component": "bilateral"}, "partners"),
        ({"partners": ["GBR"]}, "only a bilateral task"),
        ({"min_nations": 2}, "multinational"),
        ({"lead": "XXX"}, "lead"),
        ({"parent": "NOPE"}, "unknown task"),
        ({"parent": "T"}, "cannot command itself"),
    ],
)
def test_bad_rule_keys_are_refused_with_the_field(change: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        problem([unit("F1")], [task("T", 1, **change)])


def test_old_files_mean_what_they_meant() -> None:
    p = problem([unit("F1")], [task("T", 1)])
    dumped = p.model_dump(mode="json", exclude_defaults=True)
    assert "notice" not in dumped["units"][0] and "lead" not in dumped["tasks"][0]
    assert [(r.start, r.end) for r in greedy_tours(Instance(p))] == [(0, 5)]


def test_repair_leaves_rule_free_plans_alone() -> None:
    p = problem([unit("F1")], [task("T", 1)])
    tours = [Tour(unit="F1", task="T", start=0, end=5)]
    assert repair(Instance(p), tours) == tours

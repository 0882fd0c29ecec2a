"""The bottom line's decisions (services/decisions.py), on plain data: a trigger met asks for its action and an alert
does not; the asks read as "Ask A and B for 2 more engineer companies from Jan 2028", the largest first, the rest
counted; a condition counts only the pledges given; what changed since the previous brief; the attack picture never
compares a partial period."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from reassure.domains.incidents.indicators import IndicatorRow
from reassure.domains.plans.schemas import AskRow, AsksPicture, PlanRead
from reassure.domains.pledges.schemas import PledgeRead
from reassure.services.briefing import RuleSince
from reassure.services.decisions import (
    PreviousBrief,
    ask_decisions,
    attack_lines,
    backstop_decision,
    condition_decisions,
    rule_decisions,
    what_changed,
)

AT = datetime(2026, 12, 4, 9, 0, tzinfo=UTC)


def _rule(kind: str, met: bool | None, name: str = "Mass attacks") -> RuleSince:
    return RuleSince(rule_id="r", rule_name=name, kind=kind, met=met, since=date(2026, 11, 2), as_of=date(2026, 12, 1),
                     action="Convene the sanctions review. Then report to ministers.", evidence=4, bundled=True)


def _plan(coverage: float, gaps: int, base: str | None = None) -> PlanRead:
    return PlanRead(id="plan_x", scenario="s", label="", base=base, method="cp-sat", status="feasible",
                    coverage=coverage, bound=0.9, tours=10, gaps=gaps, author="a", created_at=AT, marking="PUBLIC")


def _ask(capability: str, nation: str, count: int, start: int, adds: float, task: str) -> AskRow:
    first = date(2027 + start // 12, 1 + start % 12, 1)
    return AskRow(capability=capability, nation=nation, count=count, start=start, start_date=first,
                  start_label=f"{first:%b %Y}", personnel=150, fair_share=None,
                  pledged_share=None, fair="no fair share set", closes=[], close_tasks=[task], adds=adds,
                  template="t")


def test_a_trigger_met_asks_for_its_action_an_alert_or_a_rule_not_met_does_not() -> None:
    found = rule_decisions([_rule("trigger", True), _rule("alert", True), _rule("exit_condition", False),
                            _rule("trigger", None)], "incidents: ua (grade B)")
    assert len(found) == 1
    d = found[0]
    assert d.ask == "Convene the sanctions review"
    assert "political trigger “Mass attacks” is met since 2 Nov 2026 as of 1 Dec 2026, on 4" in d.why
    assert d.basis == "incidents: ua (grade B); its threshold is a planning assumption"


def test_asks_read_by_nation_capability_and_month_the_largest_first_the_rest_counted() -> None:
    rows = [_ask("engineer company", "France", 1, 11, 0.02, "ENG"), _ask("engineer company", "Poland", 1, 13, 0.01,
                                                                        "ENG"),
            _ask("medical unit", "Spain", 1, 2, 0.005, "MED"), _ask("frigate", "Italy", 2, 0, 0.025, "SEA"),
            _ask("airlift", "Spain", 1, 0, 0.001, "AIR")]
    asks = AsksPicture(target=0.9, base_coverage=0.7, coverage=0.9, bound=0.9, reached=True, short_by=0, units=6,
                       fair_shares="strict", note="", seconds=1, lines=[], rows=rows)
    whatif = _plan(0.7, 9, base="plan_b")
    found = ask_decisions(asks, {"ENG": "Demining", "SEA": "Sea lanes"}, whose=whatif, failing_backstop=True, top=2)
    assert [d.ask for d in found] == [
        "Failing the backstop, ask France and Poland for 2 more engineer companies from Dec 2027",
        "Failing the backstop, ask Italy for 2 more frigates from Jan 2027",
        "Failing the backstop, ask for 2 further units of 2 other capabilities"]
    assert found[0].why == "adds 3.0% coverage; closes gaps in Demining" and "ENG" not in found[0].why
    assert found[0].basis.startswith("planning assumption: the asks stored with the re-plan of 4 Dec 2026")
    assert "together they add 0.6% coverage" in found[2].why


def test_the_backstop_decision_says_what_its_absence_costs() -> None:
    d = backstop_decision(_plan(0.837, 28), _plan(0.682, 40, base="plan_x"))
    assert d.ask == "Confirm the US backstop"
    assert d.why == ("without it, the baseline plan of 4 Dec 2026 covers 68.2% of the demand instead of 83.7% "
                     "(40 gaps instead of 28)")
    assert "plan_x" not in d.why + d.basis


def _pledge(key: str, nation: str, units: int, conditions: list[str]) -> PledgeRead:
    return PledgeRead(scenario="s", key=key, nation=nation, nation_name=nation, domain="land",
                      capability="infantry_battalion", quantity=str(units), planned_units=units,
                      planned_basis="stated", planned_note="", personnel_per_unit=100, where=["inside"],
                      available_from=date(2027, 1, 1), available_to=date(2029, 12, 31), max_tour=6, min_dwell=6,
                      caveats=[], conditions=conditions, status="offered", probability=0.8, standing="assumption",
                      grade=None, sources=[], marking="PUBLIC", notes="")


def test_a_condition_counts_only_the_pledges_given_and_the_premise_is_no_decision() -> None:
    pledges = [_pledge("GBR-INF", "GBR", 4, ["gbr_parliament_vote", "us_backstop", "ceasefire_in_force"]),
               _pledge("USA-ISR", "USA", 2, ["us_backstop"])]
    flags = {"us_backstop": True, "ceasefire_in_force": True, "gbr_parliament_vote": True, "un_mandate": False}
    found = condition_decisions(pledges, flags)
    assert [d.ask for d in found] == ["Confirm the US backstop", "Secure the UK parliamentary vote"]
    assert found[0].why.startswith("6 pledged units (600 personnel a rotation) of United Kingdom and United States")
    assert found[1].basis == "pledges (planning assumption)"
    assert [d.ask for d in condition_decisions(pledges[1:], flags, skip=("us_backstop", "ceasefire_in_force"))] == []


def test_what_changed_since_the_previous_brief() -> None:
    now: dict[str, Any] = {"coverage": 0.84, "gaps": 27, "plan": "the baseline plan of 4 Dec 2026",
                           "rules": {"Mass attacks": "met", "Quiet skies": "not met"}}
    assert what_changed(None, now)[0].text.startswith("First brief of this scenario")
    before = {**now, "coverage": 0.80, "gaps": 30, "rules": {"Mass attacks": "not met", "Quiet skies": "not met"}}
    line = what_changed(PreviousBrief(at=datetime(2026, 11, 20, tzinfo=UTC), figures=before), now)[0]
    assert line.text == ("Since the brief of 20 Nov 2026: coverage 84.0% (was 80.0%); 27 gaps (was 30); Mass "
                         "attacks: now met (was not met).")
    same = what_changed(PreviousBrief(at=datetime(2026, 11, 20, tzinfo=UTC), figures=now), now)[0]
    assert same.text.startswith("No change since the brief of 20 Nov 2026")


def _month(start: date, launched: int | None, coverage: str, days: int = 30, air_days: int = 30) -> IndicatorRow:
    per_day = launched / air_days if launched is not None and air_days else None
    return IndicatorRow(period_start=start, attacks=None, launched=launched, destroyed=None, suppressed=None,
                        neutralized=None, destroyed_rate=None, destroyed_low=None, destroyed_high=None,
                        neutralized_rate=None, neutralized_low=None, neutralized_high=None, violations=None, days=days,
                        air_days=air_days, air_coverage=coverage,
                        launched_per_day=per_day)


def test_the_attack_picture_compares_whole_periods_only() -> None:
    rows = [_month(date(2026, 9, 1), 300, "full"), _month(date(2026, 10, 1), 600, "full", 31, 31),
            _month(date(2026, 11, 1), 100, "partial", 30, 3)]
    lines = [b.text for b in attack_lines(rows, "month", "ua (grade B)")]
    assert lines[0] == "Nov 2026 has data for 3 of 30 days only: it is not compared with whole periods."
    assert lines[1].startswith("In Oct 2026, the latest complete month: 600 weapons launched (19.4 a day)")
    assert "+94% a day against Sep 2026 (10.0 a day)" in lines[1]
    gap = [rows[0], _month(date(2026, 10, 1), 50, "partial", 31, 5), _month(date(2026, 11, 1), 300, "full")]
    assert "against" not in attack_lines(gap, "month", "b")[-1].text  # the month before is partial: no comparison
    assert "unknown, not quiet" in attack_lines(rows[2:], "month", "b")[-1].text

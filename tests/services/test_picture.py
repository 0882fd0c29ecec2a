"""The common operating picture (docs/adr/0039): periods of the incident layer (the default is the most recent
complete one; a partial period says so), incidents by oblast as each nation sees them, and the planned force of the
stored baseline plan by sector, on both databases."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from reassure.core.identity import Role
from reassure.core.markings import PUBLIC
from reassure.db.uow import unit_of_work
from reassure.domains.incidents.actions import import_air_attacks
from reassure.domains.planning.problem import problem_and_marking, problem_json
from reassure.domains.plans.actions import store_plan
from reassure.domains.scenarios.importing import import_document
from reassure.planner.solver.baseline import greedy_plan
from reassure.scenario_io.load import load_document
from reassure.services.picture import (
    NO_SECTOR,
    common_picture,
    default_period_day,
    force_by_sector,
    incident_layer,
    period_of,
    period_span,
)
from reassure.settings import Settings
from tests.conftest import who
from tests.scenario_io.samples import VALID, write

TODAY = date(2026, 12, 7)
KYIV = """  - key: HUB-KYIV
    name: Kyiv hub air defence
    capability: fighter_squadron
    location: air
    sector: Kyiv
    demand: 1
    priority: 5
    command: HQ
"""


def _csv(month: int, targets: list[str]) -> str:
    return "time_start,time_end,model,launched,destroyed,target\n" + "".join(
        f"2025-{month:02d}-{d:02d} 18:00,2025-{month:02d}-{d:02d} 23:00,Shahed-136/131,10,9,{t}\n"
        for d, t in enumerate(targets, start=1))


def test_periods_are_months_or_iso_weeks_and_the_default_is_the_last_complete_one() -> None:
    assert period_span("month", date(2024, 2, 10)) == (date(2024, 2, 1), date(2024, 2, 29))
    assert period_span("week", date(2025, 3, 6)) == (date(2025, 3, 3), date(2025, 3, 9))
    assert default_period_day("month", date(2025, 3, 15), TODAY) == date(2025, 2, 1)  # March is not over in the data
    assert default_period_day("month", date(2025, 3, 31), TODAY) == date(2025, 3, 1)
    assert default_period_day("week", date(2025, 3, 6), TODAY) == date(2025, 2, 24)
    assert default_period_day("month", None, TODAY) == date(2026, 11, 1)  # no data: the last month that is over
    assert default_period_day("month", date(2027, 1, 1), TODAY) == date(2026, 11, 1)  # never a month not yet over


def test_a_period_says_how_much_of_it_the_data_covers() -> None:
    ranges = [(date(2025, 1, 1), date(2025, 3, 15))]
    march = period_of("month", date(2025, 3, 20), ranges=ranges, today=TODAY)
    assert (march.start, march.end, march.label) == (date(2025, 3, 1), date(2025, 3, 31), "March 2025")
    assert march.coverage == "partial" and (march.covered_days, march.days) == (15, 31)
    assert march.previous == date(2025, 2, 1) and march.next == date(2025, 4, 1)
    feb = period_of("month", date(2025, 2, 1), ranges=ranges, today=TODAY)
    assert feb.coverage == "full" and feb.covered_days == 28
    assert period_of("month", date(2024, 11, 5), ranges=ranges, today=TODAY).coverage == "none"
    january = period_of("month", date(2025, 1, 1), ranges=ranges, today=TODAY)
    assert january.previous is None  # nothing before the data to step back to
    current = period_of("month", date(2026, 12, 1), ranges=[(date(2025, 1, 1), date(2026, 12, 20))],
                        today=TODAY)
    assert current.coverage == "partial" and current.covered_days == 6 and current.next is None  # not yet over
    gap = period_of("month", date(2025, 5, 1), ranges=[(date(2025, 4, 1), date(2025, 5, 10)),
                                                       (date(2025, 5, 21), date(2025, 6, 3))], today=TODAY)
    assert gap.coverage == "partial" and gap.covered_days == 21  # no source covers 11-20 May
    week = period_of("week", date(2025, 3, 6), ranges=ranges, today=TODAY)
    assert week.label == "week of 3 March 2025 (3 Mar–9 Mar)" and week.coverage == "full"


def test_incidents_by_oblast_in_a_period_as_each_nation_sees_them(settings: Settings, tmp_path: Path) -> None:
    public, secret = tmp_path / "public.csv", tmp_path / "secret.csv"
    public.write_text(_csv(1, ["Kharkiv oblast", "Kharkiv oblast", "Odesa oblast", "Kharkiv oblast"]), "utf-8")
    secret.write_text(_csv(2, ["Lviv oblast"] * 28), encoding="utf-8")
    with unit_of_work(settings, identity=who("DEU")) as db:
        import_air_attacks(public, db=db, rel_to=PUBLIC)
    with unit_of_work(settings, identity=who("FRA")) as db:
        import_air_attacks(secret, db=db, rel_to=",FRA,")
        fra = incident_layer(db=db, every="month", today=TODAY)
        fra_january = incident_layer(db=db, every="month", day=date(2025, 1, 15), today=TODAY)
    with unit_of_work(settings, identity=who("DEU")) as db:
        deu = incident_layer(db=db, every="month", day=date(2025, 1, 15), today=TODAY)
        deu_february = incident_layer(db=db, every="month", day=date(2025, 2, 3), today=TODAY)
        deu_default = incident_layer(db=db, today=TODAY)
    counts = {r.code: r.count for r in deu.regions}
    assert counts["UA-63"] == 3 and counts["UA-51"] == 1 and counts["UA-46"] == 0 and len(counts) == 27
    assert deu.regions[0].name == "Kharkiv Oblast" and deu.total == 4 and deu.marking == "PUBLIC"
    assert deu.period.coverage == "partial" and deu.period.covered_days == 4  # Jan 1-4 of 31: partial, flagged
    assert deu_february.period.coverage == "none" and deu_february.total == 0  # France's February is hidden
    # Germany's data stops on 4 January: the default is December 2024 (complete), which it has no data for
    assert deu_default.period.start == date(2024, 12, 1) and deu_default.period.coverage == "none"
    # France's data runs to 28 February: its default is February, whole, with its hidden-to-Germany attacks
    assert fra.period.start == date(2025, 2, 1) and fra.period.coverage == "full"
    assert {r.code: r.count for r in fra.regions}["UA-46"] == 28 and fra.marking == "REL TO FRA"
    assert fra_january.period.coverage == "full" and fra_january.total == 4  # France's data starts on 1 January


def test_the_planned_force_of_the_baseline_plan_by_sector(settings: Settings, tmp_path: Path) -> None:
    with unit_of_work(settings, identity=who("FRA", Role.PLANNER)) as db:
        import_document(load_document(write(tmp_path, VALID.replace("legal:\n", KYIV + "legal:\n"))), db=db,
                        origin="tests")
        problem, marking = problem_and_marking("small", db=db)
        plan = greedy_plan(problem)
        stored = store_plan(db=db, scenario="small", problem=problem_json(problem), plan=plan, rel_to=marking,
                            settings={"method": "greedy"})
    with unit_of_work(settings, identity=who("FRA")) as db:
        force = force_by_sector("small", db=db)
        picture = common_picture("small", db=db, today=TODAY)
    with unit_of_work(settings, identity=who("DEU")) as db:
        none = force_by_sector("small", db=db)  # Germany stored no plan: no planned force, not zero
    assert force.plan == stored.id and force.marking == stored.marking and none.plan is None and none.sectors == []
    sectors = {s.sector: s for s in force.sectors}
    assert set(sectors) == {"Kyiv", NO_SECTOR}
    kyiv, unplaced = sectors["Kyiv"], sectors[NO_SECTOR]
    assert (kyiv.place, kyiv.lon, kyiv.lat) == ("Kyiv", 30.52, 50.45) and kyiv.tasks == ["Kyiv hub air defence"]
    assert kyiv.demanded == 1 and kyiv.planned == 1 and kyiv.capabilities == ["fighter squadron"]
    assert unplaced.place is None and unplaced.lon is None and unplaced.demanded == 2  # listed, not drawn
    planned = {t: sum(1 for tour in plan.tours if tour.task == t and tour.start <= 0 <= tour.end)
               for t in ("AIR-WEST", "HUB-KYIV")}
    assert unplaced.planned >= planned["AIR-WEST"] and kyiv.nations
    assert set(kyiv.nations) <= {"France", "United Kingdom"}
    assert picture.force == force and [n.code for n in picture.nations] == ["FRA", "GBR"]

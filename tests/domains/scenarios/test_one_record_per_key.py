"""Records polyinstantiated under one key show once per key for a reader who sees several of its markings, the same
in listings, counts, summaries, the API's totals and the brief (issue 21, item 7; docs/adr/0011).

France and Britain each write the same keys, each under a marking the other cannot see ("REL TO FRA, POL" and
"REL TO GBR, POL"); Poland sees both. Before, Poland's pledge list showed the pledge twice while its task list merged
the tasks, so the scenario's summary said 3 tasks where the list showed 2. The rule now: the narrowest marking
wins, ties go to the oldest record (the lowest internal id), and scenarios of one name count as one (the narrowest).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from reassure.db.uow import unit_of_work
from reassure.domains.command.service import command_tree, flatten
from reassure.domains.legal.service import list_legal
from reassure.domains.nations.service import list_nations
from reassure.domains.pledges.service import list_pledges
from reassure.domains.scenarios.importing import import_document
from reassure.domains.scenarios.service import coalition_summary, get_scenario, list_scenarios
from reassure.domains.sources.service import list_claims, list_sources
from reassure.domains.tasks.service import list_tasks
from reassure.scenario_io.load import load_document
from reassure.settings import Settings
from tests.api.conftest import Api
from tests.conftest import who
from tests.scenario_io.samples import VALID, write

COPY = """\
format: reassure-scenario/1
marking: PUBLIC
sources:
  - {id: s-x, publisher: Wire, title: Copied report, reliability: C, marking: "REL TO {nation}, POL"}
claims:
  - {key: c-x, topic: formal_commitments, statement: "{nation} says so", standing: unconfirmed, grade: C3,
     sources: [s-x], marking: "REL TO {nation}, POL"}
nations:
  - code: UKR
    marking: "REL TO {nation}, POL"
    memberships: [{organisation: COALITION, role: observer, start: 2025-09-04}]
figures:
  - {nation: UKR, indicator: population, year: 2024, value: {population}, source: s-x, marking: "REL TO {nation}, POL"}
scenario:
  name: small
  title: Small test scenario
  horizon: {start: 2027-01-01, period: month, periods: 12}
  flags: {us_backstop: true}
command:
  - {key: C-X, name: "{nation} cell", kind: cell, marking: "REL TO {nation}, POL"}
tasks:
  - {key: T-X, name: "{nation} patrol", capability: frigate, location: sea, demand: 1, priority: 5,
     marking: "REL TO {nation}, POL"}
legal:
  - {key: L-X, nation: POL, kind: MoU, status: signed, marking: "REL TO {nation}, POL"}
pledges:
  - {key: X-1, nation: POL, capability: frigate, quantity: {quantity}, personnel_per_unit: 200, where: [sea],
     window: {from: 2027-01-01, to: 2027-12-31}, rotation: {max_tour: 6, min_dwell: 6}, notes: "{nation} copy",
     marking: "REL TO {nation}, POL"}
"""
# A second scenario of one name under two markings Poland sees: the narrower one is Poland's "dup".
DUP = """\
format: reassure-scenario/1
marking: {marking}
scenario:
  name: dup
  title: "{title}"
  horizon: {start: 2027-01-01, period: month, periods: 12}
"""


def _import(settings: Settings, nation: str, text: str, tmp_path: Path, name: str) -> None:
    with unit_of_work(settings, identity=who(nation)) as db:
        import_document(load_document(write(tmp_path, text, name)), db=db, origin=name, prune=False)


def _world(settings: Settings, tmp_path: Path) -> None:
    _import(settings, "FRA", VALID, tmp_path, "valid.yaml")
    for nation, quantity, population in (("FRA", 1, 100), ("GBR", 3, 300)):  # France first: the older copy
        text = COPY.replace("{nation}", nation).replace("{quantity}", str(quantity)) \
            .replace("{population}", str(population))
        _import(settings, nation, text, tmp_path, f"copy-{nation}.yaml")
    _import(settings, "FRA", DUP.replace("{marking}", "REL TO DEU, FRA, POL").replace("{title}", "wide"), tmp_path,
            "dup-wide.yaml")
    _import(settings, "GBR", DUP.replace("{marking}", "REL TO GBR, POL").replace("{title}", "narrow"), tmp_path,
            "dup-narrow.yaml")


def test_one_record_per_key_in_listings_counts_and_summaries(settings: Settings, tmp_path: Path) -> None:
    _world(settings, tmp_path)
    with unit_of_work(settings, identity=who("POL")) as db:
        pledges = list_pledges(db=db, scenario="small")
        tasks = list_tasks("small", db=db)
        header = get_scenario("small", db=db)
        summary = coalition_summary("small", db=db)
        scenarios = list_scenarios(db=db)
        claims, sources = list_claims(db=db), list_sources(db=db)
        nodes = [n.key for n, _ in flatten(command_tree("small", db=db))]
        legal = list_legal("small", db=db)
        ukraine = next(n for n in list_nations(db=db) if n.code == "UKR")
        everything = list_pledges(db=db)
    assert sorted(p.key for p in pledges) == ["FRA-FS", "X-1"]  # X-1 once, not twice
    assert [p.notes for p in pledges if p.key == "X-1"] == ["FRA copy"]  # a tie: the older copy
    assert sorted(p.key for p in everything) == ["FRA-FS", "X-1"]
    assert sorted(t.key for t in tasks) == ["AIR-WEST", "T-X"]
    assert (header.pledges, header.tasks) == (len(pledges), len(tasks)) == (2, 2)  # the summary says what lists show
    assert sum(d.pledges for d in summary.domains) == 2
    assert sum(d.units for d in summary.domains) == 2 + 1  # FRA-FS's two, and X-1 once (France's 1, not 1 + 3)
    assert sum(summary.claim_standing.values()) == len(claims) == 2 and summary.sources == len(sources) == 2
    assert sorted(c.key for c in claims) == ["c-1", "c-x"] and sorted(s.id for s in sources) == ["s-x", "src-1"]
    assert next(s for s in sources if s.id == "s-x").claims == 1
    assert sorted(nodes) == ["C-X", "HQ"] and sorted(lg.key for lg in legal) == ["L-X", "SOFA-FRA"]
    assert [m.organisation for m in ukraine.memberships] == ["COALITION"]
    assert [(f.indicator, f.value) for f in ukraine.figures] == [("population", 100)]
    assert sorted((s.name, s.title) for s in scenarios) == [("dup", "narrow"), ("small", "Small test scenario")]


def test_a_reader_of_one_copy_sees_it_whichever_copy_wins_elsewhere(settings: Settings, tmp_path: Path) -> None:
    """The choice is made among the records the reader sees: Britain sees only its copy, never nothing."""
    _world(settings, tmp_path)
    with unit_of_work(settings, identity=who("GBR")) as db:
        pledges = {p.key: p.notes for p in list_pledges(db=db, scenario="small")}
        scenarios = sorted((s.name, s.title) for s in list_scenarios(db=db))
    assert pledges["X-1"] == "GBR copy"
    assert scenarios == [("dup", "narrow"), ("small", "Small test scenario")]
    with unit_of_work(settings, identity=who("FRA")) as db:
        assert {p.key: p.notes for p in list_pledges(db=db, scenario="small")}["X-1"] == "FRA copy"
        assert [s.title for s in list_scenarios(db=db) if s.name == "dup"] == ["wide"]


@pytest.fixture
def api(db_url: str) -> Api:
    """An API client on the migrated test database."""
    return Api(db_url)


def test_api_totals_and_pages_count_one_record_per_key(api: Api, tmp_path: Path) -> None:
    _world(api.settings, tmp_path)
    page = api.get("/pledges", "POL", scenario="small", limit=1).json()
    assert page["total"] == 2 and len(page["items"]) == 1
    assert api.get("/pledges", "POL", scenario="small", limit=1, offset=1).json()["items"][0]["key"] != \
        page["items"][0]["key"]
    assert api.get("/scenarios", "POL").json()["total"] == 2
    assert api.get("/claims", "POL").json()["total"] == 2 and api.get("/sources", "POL").json()["total"] == 2
    summary = api.get("/scenarios/small", "POL").json()
    assert (summary["pledges"], summary["tasks"]) == (2, 2) == (
        len(api.get("/pledges", "POL", scenario="small").json()["items"]), len(api.get("/scenarios/small/tasks",
                                                                                        "POL").json()))


@pytest.mark.slow
def test_the_brief_counts_one_record_per_key(settings: Settings, tmp_path: Path) -> None:
    from reassure.services.briefing import brief_context

    _world(settings, tmp_path)
    with unit_of_work(settings, identity=who("POL")) as db:
        brief = brief_context("small", db=db)
    assert sorted(p.key for p in brief.pledges) == ["FRA-FS", "X-1"]
    assert sum(d.pledges for d in brief.scenario.domains) == len(brief.pledges)
    assert sum(len(cs) for cs in brief.claims.values()) == 2 and len(brief.sources) == 2

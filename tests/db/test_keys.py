"""Issue 21 review: "one record per key" let one nation replace another nation's own records in that nation's view,
including records the writer cannot see (docs/adr/0011, db/keys.first_per_key, scenario_records/lookup.find_scenario).

France keeps a scenario `ops` marked `REL TO FRA, GBR, POL`, with a pledge of its own under it (`P-1`, same marking)
and another marked `REL TO FRA` only (`P-2`), and France's admin makes `ops` France's landing page. Germany sees none
of it. A German planner then imports a scenario `ops` marked `REL TO DEU, FRA` with a pledge `P-1` of quantity 0:
an import the importer must accept, since refusing it would tell Germany that a hidden `ops` exists.

Because the narrowest marking wins for a reader who sees several copies of a key, from then on France's readers see
Germany's `ops` in place of their own: its title, its one pledge (quantity 0, Germany's notes), France's own
`REL TO FRA` pledge gone, France's landing page gone (and, if France's admin sets it again by name, it becomes
Germany's scenario); France re-importing its own file reports "unchanged" and changes nothing it sees. Germany
decides what France plans on and briefs from without seeing France's record. The same holds for a single pledge of a
PUBLIC scenario (`P-9` below).

This is not acceptable: ADR 0007's write rules promise that "a hidden record is never changed, deleted, counted", and
a record that a writer cannot see must not be replaced, in its owners' view, by one the writer makes. Each test
asserts what France sees of its own records after the German import equals what it saw before; each failed
before records kept their owner nation (revision 0009).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from reassure.core.identity import Role
from reassure.db.uow import unit_of_work
from reassure.domains.pledges.service import list_pledges
from reassure.domains.preferences.actions import set_default_scenario
from reassure.domains.preferences.service import default_scenario
from reassure.domains.scenarios.importing import import_document
from reassure.domains.scenarios.service import list_scenarios
from reassure.scenario_io.load import load_document
from reassure.settings import Settings
from tests.conftest import who
from tests.scenario_io.samples import write

PLEDGE = ("nation: FRA, capability: frigate, personnel_per_unit: 200, where: [sea], "
          "window: {from: 2027-01-01, to: 2027-12-31}, rotation: {max_tour: 6, min_dwell: 6}")
FRENCH = f"""\
format: reassure-scenario/1
marking: REL TO FRA, GBR, POL
scenario:
  name: ops
  title: French operation
  horizon: {{start: 2027-01-01, period: month, periods: 12}}
pledges:
  - {{key: P-1, quantity: 4, notes: French pledge, {PLEDGE}}}
  - {{key: P-2, quantity: 2, notes: French eyes only, marking: REL TO FRA, {PLEDGE}}}
"""
GERMAN = f"""\
format: reassure-scenario/1
marking: REL TO DEU, FRA
scenario:
  name: ops
  title: German replacement
  horizon: {{start: 2027-01-01, period: month, periods: 12}}
pledges:
  - {{key: P-1, quantity: 0, notes: German forgery, {PLEDGE}}}
"""
# A PUBLIC scenario of France's, with one pledge France shares with Britain and Poland only.
FRENCH_PUBLIC = f"""\
format: reassure-scenario/1
marking: PUBLIC
scenario:
  name: open
  title: Open operation
  horizon: {{start: 2027-01-01, period: month, periods: 12}}
pledges:
  - {{key: P-9, quantity: 4, notes: French pledge, marking: "REL TO FRA, GBR, POL", {PLEDGE}}}
"""
GERMAN_PLEDGE = f"""\
format: reassure-scenario/1
marking: PUBLIC
scenario:
  name: open
  title: Open operation
  horizon: {{start: 2027-01-01, period: month, periods: 12}}
pledges:
  - {{key: P-9, quantity: 0, notes: German forgery, marking: "REL TO DEU, FRA", {PLEDGE}}}
"""


def _import(settings: Settings, nation: str, text: str, tmp_path: Path, name: str) -> None:
    with unit_of_work(settings, identity=who(nation)) as db:
        import_document(load_document(write(tmp_path, text, name)), db=db, origin=name, prune=False)


def _french_view(settings: Settings, scenario: str) -> dict[str, Any]:
    """What a French planner sees of a scenario: its listing, its pledges, and France's landing page."""
    with unit_of_work(settings, identity=who("FRA")) as db:
        return {"scenarios": [(s.name, s.title, s.marking, s.pledges) for s in list_scenarios(db=db)
                              if s.name == scenario],
                "pledges": [(p.key, p.quantity, p.notes, p.marking) for p in list_pledges(db=db, scenario=scenario)],
                "landing page": default_scenario(db=db)}


def test_a_nation_cannot_replace_a_scenario_it_cannot_see_in_its_owners_view(settings: Settings,
                                                                               tmp_path: Path) -> None:
    _import(settings, "FRA", FRENCH, tmp_path, "french.yaml")
    with unit_of_work(settings, identity=who("FRA", Role.ADMIN, user="fra-admin")) as db:
        set_default_scenario("ops", db=db)
    before = _french_view(settings, "ops")
    assert before["pledges"] == [("P-1", "4", "French pledge", "REL TO FRA, GBR, POL"),
                                 ("P-2", "2", "French eyes only", "REL TO FRA")]
    assert before["landing page"] == "ops"

    _import(settings, "DEU", GERMAN, tmp_path, "german.yaml")  # Germany sees no "ops": accepted, as it must be

    assert _french_view(settings, "ops") == before


def test_a_nation_cannot_replace_a_pledge_it_cannot_see_in_its_owners_view(settings: Settings,
                                                                             tmp_path: Path) -> None:
    _import(settings, "FRA", FRENCH_PUBLIC, tmp_path, "french.yaml")
    before = _french_view(settings, "open")
    assert before["pledges"] == [("P-9", "4", "French pledge", "REL TO FRA, GBR, POL")]

    _import(settings, "DEU", GERMAN_PLEDGE, tmp_path, "german.yaml")  # P-9 is hidden from Germany: a new record

    assert _french_view(settings, "open")["pledges"] == before["pledges"]

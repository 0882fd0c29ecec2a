"""Issue 21 review: the order of a record's sources told whether another nation holds a source of that key.

A source's internal id is its key, or `key~N` when another marking already holds that id: the "source-id" system
lookup looks past the access filter (domains/sources/actions.new_source_id). Internal ids are never shown, but they
order things: a claim's, a pledge's and a legal instrument's `sources` relationship is `order_by="Source.id"`
(domains/sources/models.py, pledges/models.py, legal/models.py), and `db/keys.first_per_key` breaks ties between
copies of one source key by internal id in text order.

So a German planner who creates two sources of their own, `K` and `K-`, and a claim (or pledge) citing both, reads
them back as `[K, K-]` when no other nation has a source `K`, and as `[K-, K]` when one does (its id is then `K~2`,
and '~' sorts after '-'). That is an oracle for the existence of any hidden source key, in the API's `/claims` and
`/pledges`, the exports and the brief: hidden and absent do not look the same. Found with France holding
`dgse-note` marked `REL TO FRA`; Germany guesses it in one import.
"""

from __future__ import annotations

from pathlib import Path

from reassure.db.uow import unit_of_work
from reassure.domains.scenarios.importing import import_document
from reassure.scenario_io.load import load_document
from tests.api.conftest import Api
from tests.conftest import who
from tests.scenario_io.samples import write

FRENCH = """\
format: reassure-scenario/1
marking: REL TO FRA
sources:
  - {id: dgse-note, publisher: DGSE, title: A note France keeps to itself}
"""
PLEDGE = ("nation: DEU, capability: frigate, quantity: 1, personnel_per_unit: 200, where: [sea], "
          "window: {from: 2027-01-01, to: 2027-12-31}, rotation: {max_tour: 6, min_dwell: 6}")
# Germany's probe: one pair of sources under the key guessed (France has it), one under a key nobody has.
PROBE = f"""\
format: reassure-scenario/1
marking: REL TO DEU
sources:
  - {{id: dgse-note, publisher: probe, title: probe}}
  - {{id: dgse-note-, publisher: probe, title: probe}}
  - {{id: no-such-note, publisher: probe, title: probe}}
  - {{id: no-such-note-, publisher: probe, title: probe}}
claims:
  - {{key: c-guessed, topic: formal_commitments, statement: probe, standing: unconfirmed, grade: C3,
     sources: [dgse-note, dgse-note-]}}
  - {{key: c-absent, topic: formal_commitments, statement: probe, standing: unconfirmed, grade: C3,
     sources: [no-such-note, no-such-note-]}}
scenario:
  name: probe
  title: Probe
  horizon: {{start: 2027-01-01, period: month, periods: 12}}
pledges:
  - {{key: P-GUESSED, sources: [dgse-note, dgse-note-], {PLEDGE}}}
  - {{key: P-ABSENT, sources: [no-such-note, no-such-note-], {PLEDGE}}}
"""


def _import(api: Api, nation: str, text: str, tmp_path: Path, name: str) -> None:
    with unit_of_work(api.settings, identity=who(nation)) as db:
        import_document(load_document(write(tmp_path, text, name)), db=db, origin=name)


def _as_absent(keys: list[str]) -> list[str]:
    return [k.replace("dgse-note", "no-such-note") for k in keys]


def test_a_hidden_source_key_does_not_change_the_order_of_a_readers_own_sources(db_url: str, tmp_path: Path) -> None:
    api = Api(db_url)
    _import(api, "FRA", FRENCH, tmp_path, "french.yaml")
    _import(api, "DEU", PROBE, tmp_path, "probe.yaml")

    claims = {c["key"]: c["sources"] for c in api.get("/claims", "DEU").json()["items"]}
    assert claims["c-absent"] == ["no-such-note", "no-such-note-"]
    assert _as_absent(claims["c-guessed"]) == claims["c-absent"], "the order tells France has a source 'dgse-note'"

    pledges = {p["key"]: p["sources"] for p in api.get("/pledges", "DEU", scenario="probe").json()["items"]}
    assert _as_absent(pledges["P-GUESSED"]) == pledges["P-ABSENT"]

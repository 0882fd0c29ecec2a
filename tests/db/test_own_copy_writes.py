"""Issue 21 review: another nation's copy blocked a nation from narrowing its own record (now the import updates
the writer's own copy: sources/actions.pick).

Reads now rank a reader's own nation's copy of a key first (`db/keys.first_per_key`), so a copy another nation makes
without seeing France's no longer replaces France's in France's view. Writes do not follow the rule: an import finds
the record to update among the visible copies by exact marking, else the only one, else refuses as ambiguous
(`scenarios/actions._Sync.upsert`, `sources/actions.pick`).

So France, which released a claim `c-1` as `REL TO FRA, GBR, POL` and now needs to pull Poland off it (narrowing is
the one way to take back an over-release), is refused once Germany, which sees no `c-1`, has imported a claim `c-1`
marked `REL TO DEU, FRA` (accepted, as it must be): "you see 2 records with this key ... which one to narrow is
unclear". A nation that cannot see France's record decides whether France may narrow it; Poland keeps reading what
France meant to withdraw. France's own copy is the one its file is about, as in its view.
"""

from __future__ import annotations

from pathlib import Path

from reassure.db.uow import unit_of_work
from reassure.domains.scenarios.importing import import_document
from reassure.domains.sources.service import list_claims
from reassure.scenario_io.load import load_document
from reassure.settings import Settings
from tests.conftest import who
from tests.scenario_io.samples import write


def _claim(marking: str, statement: str, source_marking: str) -> str:
    note = f"note-{statement.split()[0].lower()}"
    return f"""\
format: reassure-scenario/1
marking: {marking}
sources:
  - {{id: {note}, publisher: {statement.split()[0]}, title: a note, marking: "{source_marking}"}}
claims:
  - {{key: c-1, topic: formal_commitments, statement: {statement}, standing: unconfirmed, grade: C3,
     sources: [{note}]}}
"""


def _import(settings: Settings, nation: str, text: str, tmp_path: Path, name: str) -> None:
    with unit_of_work(settings, identity=who(nation)) as db:
        import_document(load_document(write(tmp_path, text, name)), db=db, origin=name, prune=False)


def test_another_nations_copy_does_not_stop_a_nation_narrowing_its_own_record(settings: Settings,
                                                                              tmp_path: Path) -> None:
    _import(settings, "FRA", _claim("REL TO FRA, GBR, POL", "France says so", "REL TO FRA, GBR, POL"),
            tmp_path, "french.yaml")
    _import(settings, "DEU", _claim("REL TO DEU, FRA", "Germany says otherwise", "REL TO DEU, FRA"),
            tmp_path, "german.yaml")

    _import(settings, "FRA", _claim("REL TO FRA, GBR", "France says so", "REL TO FRA, GBR, POL"),
            tmp_path, "french-narrowed.yaml")

    with unit_of_work(settings, identity=who("POL")) as db:
        assert [c.key for c in list_claims(db=db)] == [], "Poland still reads the claim France withdrew from it"

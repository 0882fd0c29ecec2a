"""Issue 21 review: every record written before revision 0009 could still be replaced (unowned rows now rank like
the reader's own: db/keys.foreign).

The fix ranks a reader's own nation's copy of a key first (`db/keys.first_per_key`), using `owner_nation`, which
revision 0009 adds. For rows already stored it fills in an owner only when the marking names one nation
(`REL TO FRA`); every other existing row (`REL TO FRA, GBR, POL`, PUBLIC: the usual coalition markings) stays NULL,
"writer unknown: ranked as another nation's". But the writer is not unknown: every such row was created by an audited
import whose `<entity>.create` row in `audit_log` names the actor's nation, the entity, the key and the marking.

So on any installation upgraded to this release, the attack the fix was for still works on all of France's existing
data: Germany, which sees no `ops`, imports a scenario `ops` marked `REL TO DEU, FRA` (accepted, as it must be), and
from then on France's planners see Germany's `ops` (its title, its pledge of quantity 0) in place of their own, as
before the fix. Here France's file is imported on a database at revision 0008 (the release before the fix), the
database is upgraded, then Germany imports.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from reassure import migrations as migrate
from reassure.db.uow import engine_for, unit_of_work
from reassure.domains.pledges.service import list_pledges
from reassure.domains.scenarios.service import list_scenarios
from reassure.settings import Settings
from tests.conftest import who
from tests.db.test_keys import FRENCH, GERMAN, _import


def _french_view(settings: Settings) -> dict[str, Any]:
    with unit_of_work(settings, identity=who("FRA")) as db:
        return {"scenarios": [(s.name, s.title, s.marking) for s in list_scenarios(db=db) if s.name == "ops"],
                "pledges": [(p.key, p.quantity, p.notes, p.marking) for p in list_pledges(db=db, scenario="ops")]}


def test_records_written_before_the_upgrade_cannot_be_replaced_by_another_nation(empty_db_url: str,
                                                                                  tmp_path: Path) -> None:
    settings = Settings(database_url=empty_db_url)
    engine = engine_for(settings)
    migrate.upgrade(engine)
    _import(settings, "FRA", FRENCH, tmp_path, "french.yaml")
    migrate.downgrade(engine, "0008")  # France's records as the release before the fix stored them (audited)
    migrate.upgrade(engine)
    before = _french_view(settings)
    assert before["scenarios"] == [("ops", "French operation", "REL TO FRA, GBR, POL")]

    _import(settings, "DEU", GERMAN, tmp_path, "german.yaml")  # Germany sees no "ops": accepted, as it must be

    assert _french_view(settings) == before, "Germany's ops replaced France's own in France's view"

"""Two ingests of one feed at once both finish: the loser of a get-or-create race re-runs and finds the winner's rows
(issue 15: `UNIQUE sources.id`, `uq_incidents_key` failed before). A locked database is a clear error."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest

from reassure.core.errors import Unavailable
from reassure.core.markings import PUBLIC
from reassure.db.uow import retrying, unit_of_work
from reassure.domains.incidents import actions
from reassure.domains.incidents.models import Incident, IncidentReport
from reassure.domains.scenarios.importing import import_document
from reassure.domains.sources.models import Source
from reassure.scenario_io.load import load_document
from reassure.settings import Settings
from tests.conftest import raw_counts, who
from tests.scenario_io.samples import VALID

ROWS = "\n".join(f"2025-01-{d:02d} 18:00,2025-01-{d + 1:02d} 08:00,Shahed-136/131,{10 + d},{5 + d}"
                 for d in range(1, 28))
CSV = "time_start,time_end,model,launched,destroyed\n" + ROWS + "\n"


def _together(*jobs: object) -> list[BaseException]:
    """Run the jobs in threads released at the same moment; return what any of them raised."""
    start, errors = threading.Barrier(len(jobs)), []

    def run(job: object) -> None:
        start.wait()
        try:
            job()  # type: ignore[operator]
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=run, args=(job,)) for job in jobs]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    return errors


@pytest.mark.parametrize("rounds", [3])
def test_two_ingests_of_one_feed_at_once_both_finish(settings: Settings, tmp_path: Path, rounds: int) -> None:
    for n in range(rounds):
        path = tmp_path / f"attacks-{n}.csv"
        path.write_text(CSV.replace("Shahed-136/131", ["Shahed-136/131", "Kh-101", "Iskander-M"][n]),
                        encoding="utf-8")

        def ingest(nation: str, path: Path = path) -> None:
            retrying(settings, who(nation), lambda db: actions.import_air_attacks(path, db=db, rel_to=PUBLIC))

        assert _together(lambda: ingest("GBR"), lambda: ingest("DEU")) == []
    incidents, reports, sources = raw_counts(settings.database_url, Incident, IncidentReport, Source)
    assert incidents == 27  # the files give the same 27 attack windows: later files revise the same attacks
    assert sources == 1  # one public feed source, not two
    assert reports == 27 * rounds  # each attack once: the second ingest of each file found it written


def test_two_scenario_imports_at_once_both_finish(settings: Settings, tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    path.write_text(VALID, encoding="utf-8")

    def load(nation: str) -> None:
        retrying(settings, who(nation), lambda db: import_document(load_document(path), db=db, origin=str(path)))

    assert _together(lambda: load("GBR"), lambda: load("FRA")) == []
    assert raw_counts(settings.database_url, Source)[0] == 1


def test_a_database_locked_past_the_wait_is_a_clear_error(tmp_path: Path) -> None:
    from reassure import migrations as migrate
    from reassure.db.uow import engine_for

    file = tmp_path / "locked.sqlite"
    quick = Settings(database_url=f"sqlite:///{file}?timeout=0.2")  # wait 0.2 s for the lock, not 30
    migrate.upgrade(engine_for(quick))
    holder = sqlite3.connect(file)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(Unavailable, match="locked by another writer"), \
                unit_of_work(quick, identity=who("GBR")) as db:
            actions.feed_source(db, {"id": "mmau", "publisher": "P", "title": "T"})
    finally:
        holder.rollback()
        holder.close()

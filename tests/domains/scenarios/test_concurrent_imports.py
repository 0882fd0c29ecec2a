"""A marking may only narrow, also when writers of several nations narrow one record at once (issue 21, item 8: a
check-then-write rule like the pledge status order). Each import is a thread with its own unit of work. Serially,
the first writer narrows the PUBLIC claim to its nation and GBR, and every later writer no longer sees it and makes
its own record; without a lock, several read it as PUBLIC and the last write wins, so a narrowing one nation made
was silently replaced by another nation's marking, releasing that nation's record to the other."""

from __future__ import annotations

import json
import threading
from pathlib import Path

from sqlalchemy import text

from reassure.core.errors import ReassureError
from reassure.core.identity import Role
from reassure.db.uow import engine_for, retrying, unit_of_work
from reassure.domains.scenarios.importing import import_document
from reassure.scenario_io.load import load_document
from reassure.settings import Settings
from tests.conftest import who

NATIONS = ("FRA", "DEU", "POL", "ITA", "ESP", "NLD", "BEL", "DNK")
CLAIM = """\
format: reassure-scenario/1
claims:
  - key: c-1
    topic: formal_commitments
    statement: Twenty-six nations committed.
    standing: assumption
    marking: {marking}
"""


def _write(tmp: Path, name: str, marking: str) -> Path:
    path = tmp / f"{name}.yaml"
    path.write_text(CLAIM.format(marking=marking), encoding="utf-8")
    return path


def test_concurrent_narrowings_of_one_record_never_replace_each_other(settings: Settings, tmp_path: Path) -> None:
    with unit_of_work(settings, identity=who("GBR", Role.ANALYST)) as db:
        import_document(load_document(_write(tmp_path, "public", "PUBLIC")), db=db, origin="public")
    start = threading.Barrier(len(NATIONS))
    errors: list[BaseException] = []

    def narrow(nation: str) -> None:
        document = load_document(_write(tmp_path, nation, f"REL TO {nation}, GBR"))
        start.wait()
        try:
            retrying(settings, who(nation, Role.ANALYST),
                     lambda db: import_document(document, db=db, origin=f"{nation}.yaml"))
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=narrow, args=(n,)) for n in NATIONS]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
    assert all(isinstance(e, ReassureError) for e in errors), [repr(e) for e in errors]
    with engine_for(settings).connect() as connection:
        updates = [json.loads(d) if isinstance(d, str) else d for d in connection.scalars(text(
            "SELECT details FROM audit_log WHERE action = 'claim.update' AND outcome = 'done' ORDER BY id"))]
        markings = sorted(connection.scalars(text("SELECT rel_to FROM claims WHERE key = 'c-1'")))
    from_public = [u for u in updates if u["before"].get("rel_to") == "PUBLIC"]
    assert len(from_public) == 1, f"{len(from_public)} writers each narrowed the same PUBLIC record: {from_public}"
    assert len(markings) == len(NATIONS) and "PUBLIC" not in markings  # one record per nation, none lost

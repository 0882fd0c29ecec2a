"""Two whole-scenario imports at once (issue 27, item 4; docs/adr/0051): one file drops pledges the scenario has (its
import deletes them), the other adds new ones. Started together, each in its own transaction as two users' commands
or uploads are, the result must be what one of the two serial orders gives: never a mix (the deleting import missing
the other's new pledge and keeping its own, while the other's import deletes what the first kept).

Imports of one scenario take turns (db/locks.py `serialize`: PostgreSQL's transaction-scoped advisory lock on the
scenario's name, SQLite's write lock), so the second reads what the first committed. Without that, on PostgreSQL the
two interleave: each inserts its own new pledge unseen by the other, then each prunes by what it sees."""

from __future__ import annotations

import threading
from pathlib import Path

from sqlalchemy import select

from reassure.db.uow import engine_for, unit_of_work
from reassure.domains.pledges.models import Pledge
from reassure.domains.scenarios.importing import import_document
from reassure.scenario_io.load import load_document
from reassure.settings import Settings
from tests.conftest import who
from tests.scenario_io.samples import PLEDGE_TABLE, VALID, write

HEADER = PLEDGE_TABLE.splitlines()[0]
ROWS = {line.split(",")[0]: line for line in PLEDGE_TABLE.splitlines()[1:]}
ROUNDS = 3


def _row(key: str) -> str:
    return ROWS["POL-LOG"].replace("POL-LOG", key, 1)


def _table(tmp: Path, name: str, keys: list[str]) -> Path:
    return write(tmp, "\n".join([HEADER, *(ROWS.get(k) or _row(k) for k in keys)]) + "\n", f"{name}.csv")


def _keys(settings: Settings) -> set[str]:
    table = Pledge.__table__
    with engine_for(settings).connect() as connection:
        return set(connection.scalars(select(table.c.key)))


def _import(settings: Settings, path: Path, scenario: str = "small") -> None:
    with unit_of_work(settings, identity=who("FRA")) as db:
        import_document(load_document(path), db=db, origin=path.name, scenario_name=scenario)


def test_two_whole_scenario_imports_at_once_equal_a_serial_order(settings: Settings, tmp_path: Path) -> None:
    _import(settings, write(tmp_path, VALID))
    outcomes = []
    for n in range(ROUNDS):
        base = _table(tmp_path, f"base-{n}", ["POL-LOG", "ITA-FRG"])
        _import(settings, base)
        before = _keys(settings)
        a = _table(tmp_path, f"a-{n}", [f"A-NEW-{n}"])  # keeps none of the scenario's pledges: deletes the rest
        b = _table(tmp_path, f"b-{n}", [f"B-NEW-{n}", "ITA-FRG"])  # adds one, keeps ITA-FRG, drops the others
        serial = {"A then B": {f"B-NEW-{n}", "ITA-FRG"}, "B then A": {f"A-NEW-{n}"}}
        start = threading.Barrier(2)
        errors: list[BaseException] = []

        def run(path: Path, start: threading.Barrier = start, errors: list[BaseException] = errors) -> None:
            start.wait()
            try:
                _import(settings, path)
            except BaseException as error:
                errors.append(error)

        threads = [threading.Thread(target=run, args=(p,)) for p in (a, b)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=120)
        after = _keys(settings)
        outcomes.append((sorted(before), sorted(after), [repr(e) for e in errors]))
        assert errors == [], outcomes[-1]
        assert after in serial.values(), f"round {n}: {sorted(after)} is neither serial order {serial}"

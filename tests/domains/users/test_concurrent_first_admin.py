"""Only one first admin, also when several installations start at once (issue 21, item 8: "the first admin while no
account exists" is a check-then-write rule over rows that do not exist yet; it is serialised, db/locks.py)."""

from __future__ import annotations

import threading

from sqlalchemy import text

from reassure.core.errors import Conflict
from reassure.core.identity import Identity, Role
from reassure.db.uow import engine_for, unit_of_work
from reassure.domains.users.actions import first_admin
from reassure.settings import Settings

FOUNDERS = ("FRA", "DEU", "POL", "ITA", "ESP", "NLD")


def test_concurrent_first_admins_make_exactly_one(settings: Settings) -> None:
    start = threading.Barrier(len(FOUNDERS))
    made: list[str] = []
    errors: list[BaseException] = []

    def found(nation: str) -> None:
        name = f"founder-{nation.lower()}"
        identity = Identity(user=name, nation=nation, roles=frozenset({Role.ADMIN}))
        start.wait()
        try:
            with unit_of_work(settings, identity=identity) as db:
                first_admin(name, nation, db=db)
            made.append(name)
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=found, args=(n,)) for n in FOUNDERS]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    with engine_for(settings).connect() as connection:
        users = connection.execute(text("SELECT count(*) FROM users")).scalar_one()
    assert (len(made), users) == (1, 1), (made, [repr(e) for e in errors])
    assert len(errors) == len(FOUNDERS) - 1 and all(isinstance(e, Conflict) for e in errors), errors

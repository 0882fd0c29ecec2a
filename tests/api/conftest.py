"""An in-process client of the API on the migrated test database, with tokens of stored users of any nation."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from reassure.api.app import create_app
from reassure.core.identity import Role
from reassure.db.uow import lookup_session, unit_of_work
from reassure.domains.scenarios.importing import import_document
from reassure.domains.users.actions import create_token
from reassure.domains.users.service import identity_for
from reassure.scenario_io.load import load_document
from reassure.settings import Settings
from tests.conftest import stored_user, who
from tests.scenario_io.samples import VALID, write


class Api:
    """Requests as a stored user of a nation (analyst and planner unless roles are given), through a bearer token."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.settings = Settings(database_url=url)
        self.client = TestClient(create_app(self.settings), raise_server_exceptions=False)
        self._tokens: dict[str, str] = {}

    def token(self, nation: str = "GBR", *roles: Role, name: str | None = None) -> str:
        """Return a bearer token of a stored user (made once per user)."""
        user = stored_user(self.url, nation, *roles, name=name)
        if user not in self._tokens:
            with lookup_session(self.settings) as db:
                identity = identity_for(db, user)
            with unit_of_work(self.settings, identity=identity) as db:
                self._tokens[user] = create_token(identity, "tests", db=db).secret
        return self._tokens[user]

    def headers(self, nation: str = "GBR", *roles: Role, name: str | None = None) -> dict[str, str]:
        """Return the Authorization header of a stored user."""
        return {"Authorization": f"Bearer {self.token(nation, *roles, name=name)}"}

    def get(self, path: str, who: str = "GBR", *roles: Role, **params: Any) -> Any:
        """GET /api/v1{path} as a user of nation `who`; return the response."""
        return self.client.get(f"/api/v1{path}", params=params, headers=self.headers(who, *roles))

    def post(self, path: str, nation: str = "GBR", *roles: Role, json: Any = None, **params: Any) -> Any:
        """POST /api/v1{path} as a user of `nation`; return the response."""
        return self.client.post(f"/api/v1{path}", params=params, json=json, headers=self.headers(nation, *roles))

    def store_sample_plan(self, nation: str = "FRA") -> str:
        """Solve the sample scenario as a planner of `nation` and store the plan; return its public id."""
        from reassure.domains.planning.problem import problem_and_marking, problem_json
        from reassure.domains.plans.actions import store_plan
        from reassure.planner.solver.solve import solve

        with unit_of_work(self.settings, identity=who(nation)) as db:
            problem, marking = problem_and_marking("small", db=db)
            plan = solve(problem, time_limit=2, seed=1, workers=1)
            return store_plan(db=db, scenario="small", problem=problem_json(problem), plan=plan, rel_to=marking,
                              settings={"method": "cp-sat", "time_limit": 2, "seed": 1}).id

    def ingest(self, tmp: Path, csv: str, *, nation: str = "DEU", marking: str = "PUBLIC") -> None:
        """Ingest an air-attack CSV as an analyst of `nation` under a marking (column form: PUBLIC or ',FRA,')."""
        from reassure.domains.incidents.actions import import_air_attacks

        path = tmp / f"feed-{nation}-{len(self._tokens)}-{abs(hash(csv))}.csv"
        path.write_text(csv, encoding="utf-8")
        with unit_of_work(self.settings, identity=who(nation)) as db:
            import_air_attacks(path, db=db, rel_to=marking)

    def load_sample(self, tmp: Path) -> None:
        """Import the small sample scenario (one pledge REL TO GBR, FRA) as a French planner."""
        document = load_document(write(tmp, VALID))
        with unit_of_work(self.settings, identity=who("FRA")) as db:
            import_document(document, db=db, origin="tests")


@pytest.fixture
def api(db_url: str) -> Api:
    """An API client bound to the migrated test database."""
    return Api(db_url)


@pytest.fixture
def worker(api: Api) -> Iterator[Any]:
    """The API app's job queue with one real worker thread running, stopped after the test."""
    from reassure.jobs.worker import queue_of

    class _Request:
        app = api.client.app

    queue = queue_of(_Request())  # type: ignore[arg-type]
    queue.start_worker(workers=1)
    yield queue
    queue.stop_worker()


def attacks_csv(month: int, days: int = 8, year: int = 2025) -> str:
    """Return an air-attack feed of `days` nightly attacks in a month."""
    return "time_start,time_end,model,launched,destroyed\n" + "".join(
        f"{year}-{month:02d}-{d:02d} 18:00,{year}-{month:02d}-{d + 1:02d} 08:00,Shahed-136/131,{100 + d},{90 + d}\n"
        for d in range(1, days + 1))

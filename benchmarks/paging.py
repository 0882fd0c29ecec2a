"""Time one page of a listing of many rows through the API: GET /api/v1/jobs (first and last page of 50).

Run: .venv/bin/python benchmarks/paging.py [--rows N] [--url DATABASE_URL]
(a fresh SQLite file in a temporary folder unless --url names an empty database to migrate; the rows are jobs of one
nation, bulk-inserted). The same script timed the slicing listing before docs/adr/0027 by running it on the older
source tree (PYTHONPATH=that/src): it makes HTTP requests only, so it measures whatever the route does.
"""

from __future__ import annotations

import argparse
import platform
import statistics
import tempfile
import time
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import insert

from reassure import migrations as migrate
from reassure.api.app import create_app
from reassure.core.identity import Identity, Role
from reassure.core.markings import PUBLIC
from reassure.core.public_ids import new_public_id
from reassure.db.uow import engine_for, lookup_session, unit_of_work
from reassure.domains.jobs.models import Job
from reassure.domains.users.actions import create_token
from reassure.domains.users.models import User
from reassure.domains.users.service import identity_for
from reassure.settings import Settings

REPEAT = 5


def prepare(url: str, rows: int) -> tuple[Settings, str]:
    """Migrate the database, store a French analyst and `rows` jobs of France; return the settings and a token."""
    settings = Settings(database_url=url)
    migrate.upgrade(engine_for(settings))
    with lookup_session(settings) as db:
        db.add(User(name="bench", nation="FRA", roles=[Role.ANALYST.value], active=True))
    with lookup_session(settings) as db:
        identity: Identity = identity_for(db, "bench")
    with unit_of_work(settings, identity=identity) as db:
        db.execute(insert(Job), [{"public_id": new_public_id("job"), "kind": "solve", "params": {"n": i},
                                  "state": "done", "owner": "bench", "owner_nation": "FRA", "rel_to": PUBLIC}
                                 for i in range(rows)])
        token = create_token(identity, "bench", db=db).secret
    return settings, token


def timed(client: TestClient, token: str, offset: int) -> tuple[float, float, int]:
    """Request one page REPEAT times; return the median wall and CPU seconds and the total the page reported."""
    walls, cpus, total = [], [], -1
    for _ in range(REPEAT):
        wall, cpu = time.perf_counter(), time.process_time()
        response = client.get("/api/v1/jobs", params={"limit": 50, "offset": offset},
                              headers={"Authorization": f"Bearer {token}"})
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
        assert response.status_code == 200, response.text
        total = response.json()["total"]
    return statistics.median(walls), statistics.median(cpus), total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=12_000)
    parser.add_argument("--url", default=None, help="an empty database (default: a temporary SQLite file)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = args.url or f"sqlite:///{Path(folder) / 'paging.sqlite'}"
        settings, token = prepare(url, args.rows)
        client = TestClient(create_app(settings))
        print(f"{platform.python_implementation()} {platform.python_version()}, {url.split(':')[0]}, "
              f"{args.rows} jobs, page of 50, median of {REPEAT}")
        for label, offset in (("first page", 0), ("last page", args.rows - 50)):
            wall, cpu, total = timed(client, token, offset)
            print(f"{label:<11} offset {offset:>7}: {wall * 1000:8.1f} ms wall {cpu * 1000:8.1f} ms CPU  "
                  f"total reported {total} (true {args.rows})")


if __name__ == "__main__":
    main()

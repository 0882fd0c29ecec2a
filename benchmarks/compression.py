"""What gzip and ETags give and cost on the largest answers: each export and asset fetched in-process from the served
app with and without `Accept-Encoding: gzip`, and again with `If-None-Match` (a 304). Figures: bytes sent, and the
median wall milliseconds of each over the repetitions (the server's work and the test client's, same process).

Run: .venv/bin/python benchmarks/compression.py --db sqlite:///path/demo.sqlite --user demo-admin [--repeat 5]
(a demo database: `reassure demo --data ../shared/data`). Notes with the figures: benchmarks/http-notes.md
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PATHS = ["/api/v1/incidents.geojson", "/api/v1/incidents.json", "/api/v1/incidents.csv",
         "/api/v1/incidents?limit=1000", "/api/v1/scenarios/illustrative/pledges.csv", "/api/v1/openapi.json",
         "/static/vendor/swagger-ui-bundle.js", "/static/vendor/vega.min.js"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", required=True)
    parser.add_argument("--user", default="demo-admin")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT / "src"))
    from fastapi.testclient import TestClient

    from reassure.db.uow import lookup_session, unit_of_work
    from reassure.domains.users.actions import create_token
    from reassure.domains.users.service import find_user, identity_for
    from reassure.settings import Settings
    from reassure.web.app import create_server

    settings = Settings(database_url=args.db)
    with lookup_session(settings) as db:
        user = find_user(db, args.user)
        assert user is not None, f"no user {args.user}"
        identity = identity_for(db, args.user)
    with unit_of_work(settings, identity=identity) as db:
        token = create_token(identity, "compression benchmark", db=db).secret
    auth = {"Authorization": f"Bearer {token}"}
    print(f"{'path':42} {'identity B':>11} {'gzip B':>10} {'ratio':>6} {'identity ms':>12} {'gzip ms':>8} "
          f"{'304 ms':>7}")
    with TestClient(create_server(settings)) as client:
        for path in PATHS:
            times: dict[str, list[float]] = {"identity": [], "gzip": [], "304": []}
            sizes: dict[str, int] = {}
            for _ in range(args.repeat):
                for label, extra in (("identity", {"Accept-Encoding": "identity"}),
                                     ("gzip", {"Accept-Encoding": "gzip"})):
                    started = time.perf_counter()
                    answer = client.get(path, headers={**auth, **extra})
                    times[label].append((time.perf_counter() - started) * 1000)
                    sizes[label] = int(answer.headers["content-length"])
                    etag = answer.headers["etag"]
                started = time.perf_counter()
                again = client.get(path, headers={**auth, "Accept-Encoding": "gzip", "If-None-Match": etag})
                times["304"].append((time.perf_counter() - started) * 1000)
                assert again.status_code == 304, (path, again.status_code)
            median = {k: statistics.median(v) for k, v in times.items()}
            print(f"{path:42} {sizes['identity']:>11,} {sizes['gzip']:>10,} {sizes['gzip'] / sizes['identity']:6.2f} "
                  f"{median['identity']:12.0f} {median['gzip']:8.0f} {median['304']:7.0f}")


if __name__ == "__main__":
    main()

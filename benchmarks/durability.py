"""The write cost of durability (docs/adr/0050): committed single-row writes per second with SQLite in WAL mode at
`synchronous=NORMAL` (the old setting) and `FULL` (the new one), and on PostgreSQL with `synchronous_commit` off and
on when a server is given; wall and CPU seconds of this process, and the load average beside them.

Run: .venv/bin/python benchmarks/durability.py [--commits 2000] [--pg postgresql+psycopg://user:pw@127.0.0.1/db]
                                                [--folder /path/on/the/disk/to/measure]

Each commit is one INSERT of a short row, the shape of a pledge edit and its audit row, in its own transaction: the
cost measured is the flush to disk each acknowledged commit waits for (none at NORMAL in WAL: the log is synced only
at checkpoints). The SQLite file is made in --folder (default: a temporary folder: mind tmpfs, which never syncs).
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

from sqlalchemy import Engine, create_engine, text


def _run(engine: Engine, commits: int, setup: str | None) -> tuple[float, float]:
    with engine.connect() as connection:
        connection.execute(text("CREATE TABLE IF NOT EXISTS bench (id INTEGER PRIMARY KEY, body VARCHAR(200))"))
        connection.execute(text("DELETE FROM bench"))
        connection.commit()
        if setup:
            connection.exec_driver_sql(setup)
            connection.commit()
        wall, cpu = time.perf_counter(), time.process_time()
        for number in range(commits):
            connection.execute(text("INSERT INTO bench (id, body) VALUES (:i, :b)"),
                               {"i": number, "b": f"pledge {number} confirmed; audit row {number}"})
            connection.commit()
        return time.perf_counter() - wall, time.process_time() - cpu


def _line(label: str, commits: int, wall: float, cpu: float) -> str:
    return (f"{label:<38} {commits / wall:9.0f} commits/s   {wall * 1000 / commits:7.3f} ms/commit   "
            f"wall {wall:6.2f} s   CPU {cpu:6.2f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--commits", type=int, default=2000)
    parser.add_argument("--pg", default=os.environ.get("REASSURE_BENCH_PG_URL"))
    parser.add_argument("--folder", type=Path, default=None)
    args = parser.parse_args()
    print(f"load average before: {os.getloadavg()[0]:.2f}; {args.commits} commits each")
    with tempfile.TemporaryDirectory(dir=args.folder) as folder:
        for level in ("NORMAL", "FULL"):
            engine = create_engine(f"sqlite:///{Path(folder) / f'{level}.sqlite'}")
            with engine.connect() as connection:
                connection.exec_driver_sql("PRAGMA journal_mode=WAL")
            wall, cpu = _run(engine, args.commits, f"PRAGMA synchronous={level}")
            print(_line(f"SQLite WAL synchronous={level}", args.commits, wall, cpu))
            engine.dispose()
    if args.pg:
        engine = create_engine(args.pg)
        try:
            for mode in ("off", "on"):
                wall, cpu = _run(engine, args.commits, f"SET synchronous_commit TO {mode}")
                print(_line(f"PostgreSQL synchronous_commit={mode}", args.commits, wall, cpu))
            with engine.begin() as connection:
                connection.execute(text("DROP TABLE bench"))
        finally:
            engine.dispose()
    print(f"load average after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
